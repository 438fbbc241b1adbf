import { Controller, Param, Put } from '@nestjs/common';
import type { DistrictsInternal } from '@umg/contracts';
import { CallableBy, ContractBody } from '@umg/platform';
import { type DistrictView, toDistrictView } from '../district/district.mapper';
import { Operator } from '../operator-request';
import { ChangeEDeliveryIdentityService } from './change-e-delivery-identity.service';

/** changeEDeliveryIdentity. */
@Controller('internal/v1/districts/:districtCode/e-delivery')
@CallableBy('gateway')
export class ChangeEDeliveryIdentityHttpController {
  constructor(private readonly identities: ChangeEDeliveryIdentityService) {}

  @Put()
  async change(
    @Param('districtCode') code: string,
    @Operator() actor: string,
    @ContractBody('districts-internal.changeEDeliveryIdentity')
    change: DistrictsInternal.components['schemas']['EDeliveryIdentityChange'],
  ): Promise<DistrictView> {
    const identity = {
      unitIdentifier: change.unitIdentifier,
      certificateThumbprint: change.certificateThumbprint,
      signingKeyRef: change.signingKeyRef,
    };
    return toDistrictView(await this.identities.change(code, identity, actor, change.reason.trim()));
  }
}
