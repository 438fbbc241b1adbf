import { Controller, Get, Param, Put } from '@nestjs/common';
import type { DistrictsInternal } from '@umg/contracts';
import { CallableBy, ContractBody } from '@umg/platform';
import { Operator } from '../operator-request';
import { type DistrictSecretMetadata, DistrictSecretStore } from './district-secret-store';

/** getDistrictSecret, setDistrictSecret: metadata only, ever; the value goes in and never comes out. */
@Controller('internal/v1/districts/:districtCode/secret')
@CallableBy('gateway')
export class DistrictSecretHttpController {
  constructor(private readonly secrets: DistrictSecretStore) {}

  @Get()
  get(@Param('districtCode') code: string): Promise<DistrictSecretMetadata> {
    return this.secrets.metadata(code);
  }

  @Put()
  set(
    @Param('districtCode') code: string,
    @Operator() actor: string,
    @ContractBody('districts-internal.setDistrictSecret')
    change: DistrictsInternal.components['schemas']['DistrictSecretChange'],
  ): Promise<DistrictSecretMetadata> {
    return this.secrets.set(code, change.secret, actor, change.reason.trim());
  }
}
