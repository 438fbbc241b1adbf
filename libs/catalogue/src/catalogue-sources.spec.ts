import reference from '../data/district-services.json';
import { catalogueServices } from './catalogue-service';

/**
 * The catalogue states nothing it cannot source: every known fact (register number, deadline,
 * fee) names at least one source, and every source it names is one of the service's listed pages.
 */
describe('catalogue facts and their sources', () => {
  const isUrl = (text: string) => /^https?:\/\/\S+$/.test(text);

  it('names a source for every real register number, and none for a placeholder', () => {
    const wrong = reference.services
      .filter((service) => (service.iisda_service_number !== null) !== service.iisda_service_number_sources.length > 0)
      .map((service) => service.name_bg);
    expect(wrong).toEqual([]);
  });

  it('names a source for every known deadline and fee, and none for an urgency with neither', () => {
    const wrong = reference.services.flatMap((service) =>
      service.urgencies
        .filter((urgency) => (urgency.deadline !== null || urgency.fee_bgn !== null) !== urgency.sources.length > 0)
        .map((urgency) => `${service.name_bg} (${urgency.kind})`),
    );
    expect(wrong).toEqual([]);
  });

  it('cites only pages listed among the service’s sources, all of them addresses', () => {
    for (const service of reference.services) {
      expect(service.sources.length).toBeGreaterThan(0);
      for (const source of service.sources) expect(isUrl(source)).toBe(true);
      const cited = [...service.iisda_service_number_sources, ...service.urgencies.flatMap((u) => u.sources)];
      for (const source of cited) expect(service.sources).toContain(source);
    }
  });

  it('gives each service a unique number, real numbers below the placeholder range', () => {
    const numbers = catalogueServices.map((service) => service.serviceNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
    const real = reference.services.flatMap((service) =>
      service.iisda_service_number === null ? [] : [service.iisda_service_number],
    );
    expect(new Set(real).size).toBe(real.length);
    for (const number of real) expect(number).toBeLessThan(90_000);
  });

  it('keeps fees as the sources give them: not negative, to the stotinka', () => {
    for (const service of reference.services) {
      for (const urgency of service.urgencies) {
        if (urgency.fee_bgn === null) continue;
        expect(urgency.fee_bgn).toBeGreaterThanOrEqual(0);
        expect(Math.round(urgency.fee_bgn * 100)).toBeCloseTo(urgency.fee_bgn * 100, 6);
      }
    }
  });
});
