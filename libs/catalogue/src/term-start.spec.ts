import { findCatalogueService } from './catalogue-service';
import { termStartOf } from './term-start';

describe('termStartOf', () => {
  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' as const });

  it('runs the term of a paid service from payment, of a free one from submission', () => {
    expect(termStartOf(1, [{ fee: eur(256) }])).toBe('payment');
    expect(termStartOf(1, [{ fee: eur(0) }, { fee: eur(0) }])).toBe('submission');
    // One paid urgency is enough: the applicant who picks it pays before the term runs.
    expect(termStartOf(1, [{ fee: eur(0) }, { fee: eur(384) }])).toBe('payment');
  });

  it('never treats an unknown fee as free', () => {
    expect(termStartOf(1, [{ fee: null }])).toBe('payment');
  });

  it('is part of every catalogue service', () => {
    const heirs = findCatalogueService(2016)!;
    const paid = heirs.urgencies.some((urgency) => (urgency.fee?.amountMinor ?? 1) > 0);
    expect(heirs.termStartsAt).toBe(paid ? 'payment' : 'submission');
  });
});
