import { CallableBy } from '@umg/platform';
import { Controller, Get } from '@nestjs/common';
import { catalogueServices } from '@umg/catalogue';
import type { DistrictsInternal } from '@umg/contracts';

type CatalogueServiceView = DistrictsInternal.components['schemas']['CatalogueService'];

/**
 * listCatalogueServices: the catalogue from the reference data (libs/catalogue), which stays the
 * single source of the facts and their sources; what each district offers lives in this service.
 */
@Controller('internal/v1/catalogue/services')
@CallableBy('gateway')
export class ListCatalogueHttpController {
  private readonly view: CatalogueServiceView[] = catalogueServices.map((service) => ({
    serviceNumber: service.serviceNumber,
    serviceNumberIsPlaceholder: service.serviceNumberIsPlaceholder,
    nameBg: service.nameBg,
    nameEn: service.nameEn,
    category: service.category,
    urgencies: service.urgencies.map((urgency) => ({
      urgency: urgency.urgency,
      deadlineText: urgency.deadlineText,
      feeEurMinor: urgency.fee ? urgency.fee.amountMinor : null,
      feeBgn: urgency.feeBgn,
    })),
    sources: [...service.sources],
    notes: service.notes,
  }));

  @Get()
  list(): CatalogueServiceView[] {
    return this.view;
  }
}
