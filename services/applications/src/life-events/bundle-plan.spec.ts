import type { LifeEventRequested } from '@umg/contracts';
import { bundleStatusOf } from './bundle-saga';
import { partPortalId, partSubmission, planBundle } from './bundle-plan';

const request = (overrides: Partial<LifeEventRequested> = {}): LifeEventRequested => ({
  requestId: 'LE-1',
  lifeEvent: 'moving',
  addresses: { old: { districtCode: 'lyulin' }, new: { districtCode: 'mladost' } },
  selectedParts: ['current-address-certificate', 'permanent-address-history'],
  urgency: 'regular',
  applicant: { identifierType: 'EGN', identifier: '7501020018', name: 'Иван Петров Иванов' },
  deliveryChannel: 'e_delivery',
  eDeliveryProfileId: '104578',
  formData: {},
  submittedAt: '2026-03-12T09:58:41+02:00',
  ...overrides,
});

describe('planning a life-event bundle', () => {
  it('routes each part to the district of its address role', () => {
    const { parts, reasons } = planBundle(request());
    expect(reasons).toEqual([]);
    expect(parts.map((p) => [p.part.key, p.districtCode, p.part.dependsOn])).toEqual([
      ['register-current-address', 'mladost', []],
      ['current-address-certificate', 'mladost', ['register-current-address']],
      ['permanent-address-history', 'lyulin', []],
    ]);
  });

  it('takes the applicant’s choice where any district may do the part, and asks for it when missing', () => {
    const death = request({
      lifeEvent: 'death-of-a-relative',
      addresses: { deceased: { districtCode: 'serdika' } },
      selectedParts: ['kinship-certificate'],
    });
    expect(planBundle(death).reasons).toEqual([expect.objectContaining({ code: 'district_not_chosen' })]);
    const chosen = planBundle({ ...death, chosenDistricts: { 'kinship-certificate': 'bankya' } });
    expect(chosen.parts.map((p) => [p.part.key, p.districtCode])).toEqual([
      ['death-record-extract', 'serdika'],
      ['kinship-certificate', 'bankya'],
    ]);
  });

  it('names an unknown life event, an unknown part, a missing address and an unknown district', () => {
    expect(planBundle(request({ lifeEvent: 'wedding' })).reasons.map((r) => r.code)).toEqual(['unknown_life_event']);
    expect(
      planBundle(
        request({
          selectedParts: ['register-current-address', 'permanent-address-history'],
          addresses: { new: { districtCode: 'atlantis' } },
        }),
      ).reasons.map((r) => [r.code, r.field]),
    ).toEqual([
      ['unknown_part', 'selectedParts'],
      ['unknown_district', 'parts.register-current-address'],
      ['address_missing', 'addresses.old'],
    ]);
  });

  it('files a part as a submission of its own, under the request id and the part key', () => {
    const submission = partSubmission(request(), {
      partKey: 'register-current-address',
      serviceNumber: 2107,
      districtCode: 'mladost',
    });
    expect(submission).toMatchObject({
      portalApplicationId: partPortalId('LE-1', 'register-current-address'),
      serviceNumber: 2107,
      districtCode: 'mladost',
      attachments: [],
    });
    expect(submission.portalApplicationId).toBe('LE-1/register-current-address');
  });
});

describe('a bundle’s one status', () => {
  it('is open while a part waits or is filed, completed when all are done, failed otherwise', () => {
    expect(bundleStatusOf(['done', 'waiting'])).toBe('open');
    expect(bundleStatusOf(['filed', 'failed'])).toBe('open');
    expect(bundleStatusOf(['done', 'done'])).toBe('completed');
    expect(bundleStatusOf(['failed', 'cancelled'])).toBe('failed');
    expect(bundleStatusOf(['done', 'cancelled'])).toBe('failed');
  });
});
