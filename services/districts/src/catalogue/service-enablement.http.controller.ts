import { CallableBy } from '@umg/platform';
import { Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import type { DistrictsInternal } from '@umg/contracts';
import { ContractBody } from '@umg/platform';
import { Operator } from '../operator-request';
import { ServiceEnablementService } from './service-enablement.service';

type ServiceEnablementView = DistrictsInternal.components['schemas']['ServiceEnablement'];

/** listDistrictServices, setServiceEnablement: the older on/off view of the service phases (pilot or live is on). */
@Controller('internal/v1/districts/:districtCode/services')
@CallableBy('gateway')
export class ServiceEnablementHttpController {
  constructor(private readonly enablement: ServiceEnablementService) {}

  @Get()
  async list(@Param('districtCode') code: string): Promise<ServiceEnablementView[]> {
    const numbers = await this.enablement.offered(code);
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
    await this.enablement.setEnabled(code, serviceNumber, change.enabled, actor, change.reason.trim());
    return { districtCode: code, serviceNumber, enabled: change.enabled };
  }
}
