import { CallableBy } from '@umg/platform';
import { Controller, Get, Param } from '@nestjs/common';
import type { AuditEntryView, DistrictView } from '../district/district.mapper';
import { ReadRegistryService } from './read-registry.service';

/** listDistricts, getDistrict, listDistrictAudit. */
@Controller('internal/v1/districts')
@CallableBy('gateway')
export class ReadRegistryHttpController {
  constructor(private readonly registry: ReadRegistryService) {}

  /** Delivery reads each district's e-delivery identity from the registry. */
  @Get()
  @CallableBy('gateway', 'delivery')
  list(): Promise<DistrictView[]> {
    return this.registry.list();
  }

  @Get(':districtCode')
  @CallableBy('gateway', 'delivery')
  get(@Param('districtCode') code: string): Promise<DistrictView> {
    return this.registry.get(code);
  }

  @Get(':districtCode/audit')
  audit(@Param('districtCode') code: string): Promise<AuditEntryView[]> {
    return this.registry.audit(code);
  }
}
