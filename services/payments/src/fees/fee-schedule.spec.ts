import { changeInForce, type FeeChange } from './fee-schedule';

let next = 0;
function change(
  districtCode: string,
  amountMinor: number,
  effectiveFrom: string,
  extra: Partial<FeeChange> = {},
): FeeChange {
  next += 1;
  return {
    id: `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`,
    serviceNumber: 2016,
    urgency: 'regular',
    districtCode,
    amountMinor,
    currency: 'EUR',
    effectiveFrom: new Date(effectiveFrom),
    origin: 'operator',
    changedBy: 'admin',
    reason: 'ordinance amended',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    cancelledAt: null,
    cancelledBy: null,
    cancelReason: null,
    ...extra,
  };
}

describe('changeInForce: the fee that prices a payment request created at an instant', () => {
  const catalogue = change('*', 256, '2026-01-01T00:00:00+02:00', { origin: 'catalogue', changedBy: 'catalogue' });
  const raise = change('*', 300, '2026-03-01T00:00:00+02:00');

  it('takes the latest change in effect at that instant, not one scheduled after it', () => {
    const changes = [catalogue, raise];
    expect(changeInForce(changes, 'serdika', new Date('2026-02-28T21:59:59.999Z'))?.amountMinor).toBe(256);
    expect(changeInForce(changes, 'serdika', new Date('2026-02-28T22:00:00.000Z'))?.amountMinor).toBe(300);
  });

  it('knows no fee before the first change: undefined, never zero', () => {
    expect(changeInForce([raise], 'serdika', new Date('2026-02-01T00:00:00Z'))).toBeUndefined();
    expect(changeInForce([], 'serdika', new Date())).toBeUndefined();
  });

  it('ignores a cancelled change', () => {
    const cancelled = {
      ...raise,
      cancelledAt: new Date('2026-02-15T00:00:00Z'),
      cancelledBy: 'admin',
      cancelReason: 'x',
    };
    expect(changeInForce([catalogue, cancelled], 'serdika', new Date('2026-04-01T00:00:00Z'))?.amountMinor).toBe(256);
  });

  it('lets a district’s own fee win over the all-districts one, for that district only', () => {
    const own = change('bankya', 200, '2026-01-15T00:00:00+02:00');
    const changes = [catalogue, raise, own];
    const april = new Date('2026-04-01T00:00:00Z');
    expect(changeInForce(changes, 'bankya', april)?.amountMinor).toBe(200);
    expect(changeInForce(changes, 'serdika', april)?.amountMinor).toBe(300);
    expect(changeInForce(changes, 'bankya', new Date('2026-01-10T00:00:00Z'))?.amountMinor).toBe(256);
  });

  it('settles two changes effective at the same instant by the later made', () => {
    const first = change('*', 400, '2026-05-01T00:00:00+03:00', { createdAt: new Date('2026-04-01T10:00:00Z') });
    const second = change('*', 410, '2026-05-01T00:00:00+03:00', { createdAt: new Date('2026-04-02T10:00:00Z') });
    expect(changeInForce([second, first], 'serdika', new Date('2026-05-02T00:00:00Z'))?.amountMinor).toBe(410);
  });
});
