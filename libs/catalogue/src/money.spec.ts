import { bgnToEur, convertAtFixedRate } from './money';

describe('lev and euro at the fixed rate', () => {
  it('converts both ways, rounding to the cent', () => {
    expect(bgnToEur(5)).toEqual({ amountMinor: 256, currency: 'EUR' });
    expect(convertAtFixedRate({ amountMinor: 500, currency: 'BGN' }, 'EUR')).toEqual({
      amountMinor: 256,
      currency: 'EUR',
    });
    expect(convertAtFixedRate({ amountMinor: 256, currency: 'EUR' }, 'BGN')).toEqual({
      amountMinor: 501,
      currency: 'BGN',
    });
    expect(convertAtFixedRate({ amountMinor: 383, currency: 'EUR' }, 'EUR')).toEqual({
      amountMinor: 383,
      currency: 'EUR',
    });
  });
});
