import { Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import type { DistrictsInternal } from '@umg/contracts';
import { CallableBy, ContractBody } from '@umg/platform';
import { Operator } from '../operator-request';
import { type DistrictServiceView, ServiceEnablementService } from './service-enablement.service';

/** listServicePhases, getServicePhase, changeServicePhase. */
@Controller('internal/v1/districts/:districtCode/service-phases')
@CallableBy('gateway')
export class ServicePhasesHttpController {
  constructor(private readonly enablement: ServiceEnablementService) {}

  @Get()
  list(@Param('districtCode') code: string): Promise<DistrictServiceView[]> {
    return this.enablement.list(code);
  }

  @Get(':serviceNumber')
  one(
    @Param('districtCode') code: string,
    @Param('serviceNumber', ParseIntPipe) serviceNumber: number,
  ): Promise<DistrictServiceView> {
    return this.enablement.one(code, serviceNumber);
  }

  @Put(':serviceNumber')
  change(
    @Param('districtCode') code: string,
    @Param('serviceNumber', ParseIntPipe) serviceNumber: number,
    @Operator() actor: string,
    @ContractBody('districts-internal.changeServicePhase')
    change: DistrictsInternal.components['schemas']['ServicePhaseChangeRequest'],
  ): Promise<DistrictServiceView> {
    return this.enablement.changePhase(code, serviceNumber, change.phase, actor, change.reason.trim());
  }
}
