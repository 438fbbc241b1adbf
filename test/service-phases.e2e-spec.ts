import type { DistrictsInternal, OperatorApi, Problem } from '@umg/contracts';
import { districts } from '@umg/catalogue';
import { type OperatorSession, signedInOperator } from './support/operator-session';

type DistrictService = DistrictsInternal.components['schemas']['DistrictService'];
type DistrictOverview = OperatorApi.components['schemas']['DistrictOverview'];

/**
 * Issue 17: a service is offered per district through its own phases, and one the catalogue
 * cannot support (placeholder number, no urgency, unknown term or fee) can never be offered.
 */
describe('operator API: service phases per district', () => {
  // No other test changes its services.
  const code = 'ilinden';
  const base = `/operator/v1/districts/${code}`;
  let administrator: OperatorSession;
  let viewer: OperatorSession;

  beforeAll(async () => {
    administrator = await signedInOperator('administrator', 'phases');
    viewer = await signedInOperator('viewer', 'phases');
  }, 60_000);

  it('refuses to move a service with catalogue gaps to pilot or live, naming the gaps, and changes nothing', async () => {
    const services = (await viewer.call<DistrictService[]>('GET', `${base}/service-phases`)).body;
    const withGaps = services.filter((service) => service.catalogueGaps.length > 0);
    // The catalogue still has services it cannot support; each of them is refused.
    expect(withGaps.length).toBeGreaterThan(0);
    for (const service of withGaps) {
      const refused = await administrator.call<Problem & { errors: { code: string }[] }>(
        'PUT',
        `${base}/service-phases/${service.serviceNumber}`,
        { phase: 'pilot', reason: 'try to offer it anyway' },
      );
      expect([service.serviceNumber, refused.status, refused.body.code]).toEqual([
        service.serviceNumber,
        409,
        'service_not_enableable',
      ]);
      expect(refused.body.errors.map((error) => error.code)).toEqual(service.catalogueGaps);
      const after = await viewer.call<DistrictService>('GET', `${base}/service-phases/${service.serviceNumber}`);
      expect(after.body.phase).toBe('not_started');
      expect(after.body.history).toEqual([]);
    }
    const overview = (await viewer.call<DistrictOverview>('GET', base)).body;
    expect(overview.enabledServices).toEqual([]);
  });

  it('moves a service only along not_started → pilot → live → suspended and back, with who, when and why', async () => {
    const service = (await viewer.call<DistrictService[]>('GET', `${base}/service-phases`)).body.find(
      (candidate) => candidate.catalogueGaps.length === 0,
    )!;
    const path = `${base}/service-phases/${service.serviceNumber}`;
    const skip = await administrator.call<Problem>('PUT', path, { phase: 'live', reason: 'straight to live' });
    expect(skip.status).toBe(409);
    expect(skip.body.code).toBe('service_phase_change_not_allowed');
    const noReason = await administrator.call<Problem>('PUT', path, { phase: 'pilot' });
    expect(noReason.status).toBe(400);
    const unknown = await administrator.call<Problem>('PUT', `${base}/service-phases/99999`, {
      phase: 'pilot',
      reason: 'no such service',
    });
    expect(unknown.status).toBe(404);

    for (const phase of ['pilot', 'live', 'suspended', 'live'] as const) {
      const moved = await administrator.call<DistrictService>('PUT', path, { phase, reason: `to ${phase}` });
      expect([phase, moved.status, moved.body.phase]).toEqual([phase, 200, phase]);
    }
    const history = (await viewer.call<DistrictService>('GET', path)).body.history!;
    expect(history.map((entry) => [entry.from, entry.to])).toEqual([
      ['suspended', 'live'],
      ['live', 'suspended'],
      ['pilot', 'live'],
      ['not_started', 'pilot'],
    ]);
    expect(history.every((entry) => entry.actor === `operator:${administrator.username}` && entry.at)).toBe(true);
    // Offered while live; the older on/off view agrees.
    const overview = (await viewer.call<DistrictOverview>('GET', base)).body;
    expect(overview.enabledServices.map((entry) => entry.serviceNumber)).toEqual([service.serviceNumber]);
  });

  it('offers no service with catalogue gaps in any district, the pilots included', async () => {
    for (const district of districts) {
      const services = (
        await viewer.call<DistrictService[]>('GET', `/operator/v1/districts/${district.code}/service-phases`)
      ).body;
      const offeredWithGaps = services.filter(
        (service) => service.catalogueGaps.length > 0 && (service.phase === 'pilot' || service.phase === 'live'),
      );
      expect([district.code, offeredWithGaps]).toEqual([district.code, []]);
      if (district.pilot) {
        // The pilots offer what the catalogue can support, live.
        const supported = services.filter((service) => service.catalogueGaps.length === 0);
        expect(supported.length).toBeGreaterThan(0);
        expect(supported.filter((service) => service.phase === 'live').length).toBeGreaterThan(0);
      }
    }
  });
});
