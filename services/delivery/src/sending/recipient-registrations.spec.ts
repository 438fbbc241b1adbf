import type { DeliveryConfig } from '../config';
import type { SubjectRegistration } from '../e-delivery/e-delivery-wire';
import type { EDeliveryClient } from '../e-delivery/e-delivery.client';
import { RecipientRegistrations } from './recipient-registrations';

describe('RecipientRegistrations', () => {
  let answers: Record<string, SubjectRegistration>;
  let calls: string[];
  let registrations: RecipientRegistrations;

  function withCache(ms: number): RecipientRegistrations {
    const eDelivery = {
      checkRegistration: (_district: string, identifier: string) => {
        calls.push(identifier);
        return Promise.resolve(answers[identifier]!);
      },
    } as unknown as EDeliveryClient;
    return new RecipientRegistrations(eDelivery, { E_DELIVERY_REGISTRATION_CACHE_MS: ms } as DeliveryConfig);
  }

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2026-12-07T10:00:00Z') });
    calls = [];
    answers = {
      '8001010006': { hasRegistration: true, subjectId: 'subject-1' },
      '9001010007': { hasRegistration: false, subjectId: null },
    };
    registrations = withCache(60_000);
  });
  afterEach(() => jest.useRealTimers());

  it('asks once for a recipient with a profile while the answer is fresh, and again after', async () => {
    expect(await registrations.check('serdika', '8001010006')).toEqual(answers['8001010006']);
    expect(await registrations.check('lozenets', '8001010006')).toEqual(answers['8001010006']);
    jest.advanceTimersByTime(60_001);
    await registrations.check('serdika', '8001010006');
    expect(calls).toEqual(['8001010006', '8001010006']);
  });

  it('never remembers a recipient without a profile', async () => {
    await registrations.check('serdika', '9001010007');
    answers['9001010007'] = { hasRegistration: true, subjectId: 'subject-2' };
    expect(await registrations.check('serdika', '9001010007')).toEqual({
      hasRegistration: true,
      subjectId: 'subject-2',
    });
    expect(calls).toEqual(['9001010007', '9001010007']);
  });

  it('shares one call between checks of the same recipient made at the same time', async () => {
    await Promise.all([registrations.check('serdika', '8001010006'), registrations.check('serdika', '8001010006')]);
    expect(calls).toEqual(['8001010006']);
  });

  it('asks before every send when the cache is off (0)', async () => {
    registrations = withCache(0);
    await registrations.check('serdika', '8001010006');
    await registrations.check('serdika', '8001010006');
    expect(calls).toHaveLength(2);
  });
});
