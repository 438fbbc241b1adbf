import { catalogueGaps, catalogueServices, findCatalogueService } from './catalogue-service';
import { districts, findDistrict } from './district';
import { bgnToEur } from './money';

describe('catalogue reference data', () => {
  it('has the 24 districts with the four pilots', () => {
    expect(districts).toHaveLength(24);
    expect(
      districts
        .filter((district) => district.pilot)
        .map((district) => district.code)
        .sort(),
    ).toEqual(['bankya', 'nadezhda', 'serdika', 'triaditsa']);
    expect(new Set(districts.map((district) => district.code)).size).toBe(24);
    expect(findDistrict('krasno-selo')?.no).toBe(2);
  });

  it('keeps every service with a unique service number and its sources', () => {
    expect(catalogueServices.length).toBeGreaterThanOrEqual(70);
    expect(new Set(catalogueServices.map((service) => service.serviceNumber)).size).toBe(catalogueServices.length);
    for (const service of catalogueServices) expect(service.sources.length).toBeGreaterThan(0);
  });

  it('marks services without a known IISDA number as placeholders', () => {
    const heirs = findCatalogueService(2016);
    expect(heirs?.serviceNumberIsPlaceholder).toBe(false);
    const placeholders = catalogueServices.filter((service) => service.serviceNumberIsPlaceholder);
    expect(placeholders.length).toBeGreaterThan(0);
    for (const service of placeholders) expect(service.serviceNumber).toBeGreaterThan(90_000);
  });

  it('charges in euro converted at the fixed rate, rounded to the cent', () => {
    expect(bgnToEur(5)).toEqual({ amountMinor: 256, currency: 'EUR' });
    expect(bgnToEur(7.5)).toEqual({ amountMinor: 383, currency: 'EUR' });
    expect(bgnToEur(10)).toEqual({ amountMinor: 511, currency: 'EUR' });
    const regular = findCatalogueService(2016)?.urgencies.find((u) => u.urgency === 'regular');
    expect(regular?.fee).toEqual({ amountMinor: 256, currency: 'EUR' });
    expect(regular?.deadline).toEqual({ unit: 'working_days', amount: 7 });
  });
});

describe('catalogueGaps', () => {
  it('names every missing fact and none for a complete service', () => {
    const complete = catalogueServices.find((service) => catalogueGaps(service).length === 0);
    expect(complete).toBeDefined();
    const broken = {
      ...complete!,
      serviceNumberIsPlaceholder: true,
      urgencies: [{ ...complete!.urgencies[0], deadline: null, fee: null }],
    };
    expect(catalogueGaps(broken)).toEqual(['placeholder_service_number', 'term_unknown', 'fee_unknown']);
    expect(catalogueGaps({ ...complete!, urgencies: [] })).toEqual(['no_urgency']);
  });
});
