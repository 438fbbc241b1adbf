import { CallableBy, ContractBody } from '@umg/platform';
import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { DistrictsInternal } from '@umg/contracts';
import { type DistrictView, toDistrictView } from '../district/district.mapper';
import { Operator } from '../operator-request';
import { ChangePhaseService } from './change-phase.service';

type Schemas = DistrictsInternal.components['schemas'];

/** changeDistrictPhase. */
@Controller('internal/v1/districts/:districtCode')
@CallableBy('gateway')
export class ChangePhaseHttpController {
  constructor(private readonly changePhase: ChangePhaseService) {}

  @Post('phase')
  @HttpCode(200)
  async phase(
    @Param('districtCode') code: string,
    @Operator() actor: string,
    @ContractBody('districts-internal.changeDistrictPhase') change: Schemas['PhaseChange'],
  ): Promise<DistrictView> {
    return toDistrictView(await this.changePhase.change(code, change.phase, actor, change.reason.trim()));
  }
}
