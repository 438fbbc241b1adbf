import { catalogueServices } from '@umg/catalogue';
import type { ApplicationEntity } from '../application/application.entity';
import { ApplicationError } from './application-error';
import { feeDue, feeRequired } from './fee-policy';

function withFee(predicate: (fee: number | null) => boolean) {
  for (const service of catalogueServices) {
    const urgency = service.urgencies.find((candidate) => predicate(candidate.fee?.amountMinor ?? null));
    if (urgency) return { serviceNumber: service.serviceNumber, urgency: urgency.urgency };
  }
  throw new Error('the catalogue has no such urgency');
}

function application(serviceNumber: number, urgency: string): ApplicationEntity {
  return { serviceNumber, urgency, conformanceRunId: null } as unknown as ApplicationEntity;
}

describe('fee policy: an unknown fee is never free', () => {
  const paid = withFee((fee) => fee !== null && fee > 0);
  const free = withFee((fee) => fee === 0);
  const unknown = withFee((fee) => fee === null);

  it('tells paid, free and unknown apart', () => {
    expect(feeDue(paid.serviceNumber, paid.urgency)).toBe('paid');
    expect(feeDue(free.serviceNumber, free.urgency)).toBe('free');
    expect(feeDue(unknown.serviceNumber, unknown.urgency)).toBe('unknown');
    expect(feeDue(2016, 'no-such-urgency')).toBe('unknown');
    expect(feeDue(1, 'regular')).toBe('unknown');
  });

  it('asks for payment of a paid fee, not of a free one, and refuses an unknown one', () => {
    expect(feeRequired(application(paid.serviceNumber, paid.urgency))).toBe(true);
    expect(feeRequired(application(free.serviceNumber, free.urgency))).toBe(false);
    expect(() => feeRequired(application(unknown.serviceNumber, unknown.urgency))).toThrow(ApplicationError);
  });
});
