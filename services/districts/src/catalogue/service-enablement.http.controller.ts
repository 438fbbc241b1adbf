import { CallableBy } from '@umg/platform';
import { Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import type { DistrictsInternal } from '@umg/contracts';
import { ContractBody } from '@umg/platform';
import { Operator } from '../registry/operator-request';
import { ServiceEnablementService } from './service-enablement.service';

type ServiceEnablementView = DistrictsInternal.components['schemas']['ServiceEnablement'];

/** listDistrictServices, setServiceEnablement. */
@Controller('internal/v1/districts/:districtCode/services')
@CallableBy('gateway')
export class ServiceEnablementHttpController {
  constructor(private readonly enablement: ServiceEnablementService) {}

  @Get()
  async list(@Param('districtCode') code: string): Promise<ServiceEnablementView[]> {
    const numbers = await this.enablement.list(code);
    return numbers.map((serviceNumber) => ({ districtCode: code, serviceNumber, enabled: true }));
  }

  @Put(':serviceNumber')
  async set(
    @Param('districtCode') code: string,
    @Param('serviceNumber', ParseIntPipe) serviceNumber: number,
    @Operator() actor: string,
    @ContractBody('districts-internal.setServiceEnablement')
    change: DistrictsInternal.components['schemas']['EnablementChange'],
  ): Promise<ServiceEnablementView> {
    await this.enablement.set(code, serviceNumber, change.enabled, actor, change.reason.trim());
    return { districtCode: code, serviceNumber, enabled: change.enabled };
  }
}
