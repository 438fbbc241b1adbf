import { findCatalogueService } from './catalogue-service';
import { findLifeEvent, lifeEventDefectsOf, lifeEvents, selectedParts } from './life-events';

describe('life events', () => {
  it.each(lifeEvents.map((event) => [event.code, event] as const))('%s is sound', (_, event) => {
    expect(lifeEventDefectsOf(event)).toEqual([]);
  });

  it('builds "Moving to or within Sofia" from the catalogue’s real address services', () => {
    const moving = findLifeEvent('moving')!;
    for (const part of moving.parts) {
      const service = findCatalogueService(part.serviceNumber)!;
      expect(service.serviceNumberIsPlaceholder).toBe(false);
      expect(service.category).toBe('address registration');
    }
    expect(moving.parts.find((part) => part.key === 'current-address-certificate')).toMatchObject({
      dependsOn: ['register-current-address'],
      competence: { address: 'new' },
    });
  });

  it('files the required parts and the selected optional ones, in order', () => {
    const moving = findLifeEvent('moving')!;
    expect(
      selectedParts(moving, ['permanent-address-history', 'current-address-certificate']).map((p) => p.key),
    ).toEqual(['register-current-address', 'current-address-certificate', 'permanent-address-history']);
  });

  it('finds a dependency on a later part, an unknown address role and a required part waiting for an optional one', () => {
    expect(
      lifeEventDefectsOf({
        code: 'broken',
        nameBg: 'x',
        nameEn: 'x',
        addresses: ['new'],
        parts: [
          { key: 'a', serviceNumber: 2107, competence: { address: 'old' }, dependsOn: ['b'], optional: false },
          { key: 'b', serviceNumber: 1997, competence: { address: 'new' }, dependsOn: [], optional: true },
          { key: 'c', serviceNumber: 1997, competence: { address: 'new' }, dependsOn: ['b'], optional: false },
        ],
      }),
    ).toEqual([
      'a: no address "old"',
      'a: depends on "b", not an earlier part',
      'a: required but waits for an optional part',
      'c: required but waits for an optional part',
    ]);
  });
});
