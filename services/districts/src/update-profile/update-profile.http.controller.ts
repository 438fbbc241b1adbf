import { CallableBy, ContractBody } from '@umg/platform';
import { Controller, Param, Patch } from '@nestjs/common';
import type { DistrictsInternal } from '@umg/contracts';
import { BackOfficeEndpointPolicy } from '../push/back-office-endpoint-policy';
import { DistrictError, DistrictErrorCode } from '../district/district-error';
import { type DistrictView, toDistrictView } from '../district/district.mapper';
import { Operator } from '../operator-request';
import { checkedProfileChange } from '../district/profile-changes';
import { UpdateProfileService } from './update-profile.service';

type Schemas = DistrictsInternal.components['schemas'];

/** updateDistrictProfile. */
@Controller('internal/v1/districts/:districtCode')
@CallableBy('gateway')
export class UpdateProfileHttpController {
  constructor(
    private readonly updateProfile: UpdateProfileService,
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
}
