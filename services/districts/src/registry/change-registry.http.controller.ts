import { CallableBy, ContractBody } from '@umg/platform';
import { Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { DistrictsInternal } from '@umg/contracts';
import { BackOfficeEndpointPolicy } from '../push/back-office-endpoint-policy';
import { ChangePhaseService } from './change-phase.service';
import { DistrictError, DistrictErrorCode } from './district-error';
import { type DistrictView, toDistrictView } from './district.mapper';
import { Operator } from './operator-request';
import { checkedProfileChange } from './profile-changes';
import { UpdateProfileService } from './update-profile.service';

type Schemas = DistrictsInternal.components['schemas'];

/** updateDistrictProfile, changeDistrictPhase. */
@Controller('internal/v1/districts/:districtCode')
@CallableBy('gateway')
export class ChangeRegistryHttpController {
  constructor(
    private readonly updateProfile: UpdateProfileService,
    private readonly changePhase: ChangePhaseService,
    private readonly endpointPolicy: BackOfficeEndpointPolicy,
  ) {}

  @Patch('profile')
  async profile(
    @Param('districtCode') code: string,
    @Operator() actor: string,
    @ContractBody('districts-internal.updateDistrictProfile') body: Schemas['ProfileChange'],
  ): Promise<DistrictView> {
    const change = checkedProfileChange(body);
    // Checked again at every push (where the name resolves then); this refuses the obvious at once.
    const problem = change.endpoint ? this.endpointPolicy.problemOf(change.endpoint) : undefined;
    if (problem) {
      throw new DistrictError(DistrictErrorCode.ValidationFailed, `endpoint not allowed: ${problem}`, [
        { field: 'endpoint', code: 'endpoint_not_allowed', message: problem },
      ]);
    }
    return toDistrictView(await this.updateProfile.update(code, change, actor));
  }

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
