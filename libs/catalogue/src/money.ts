/** The fixed conversion rate of the lev to the euro (Bulgaria adopted the euro on 1 January 2026). */
export const BGN_PER_EUR = 1.95583;

/** An amount in minor units (cents) with its currency. */
export interface Money {
  amountMinor: number;
  currency: 'EUR' | 'BGN';
}

/** Converts a BGN amount at the fixed rate and rounds to the cent: 5.00 BGN → 2.56 EUR. */
export function bgnToEur(amountBgn: number): Money {
  return { amountMinor: Math.round((amountBgn * 100) / BGN_PER_EUR), currency: 'EUR' };
}

/** Converts between the lev and the euro at the fixed rate, rounding to the cent (2.56 EUR → 5.01 BGN). */
export function convertAtFixedRate(money: Money, to: Money['currency']): Money {
  if (money.currency === to) return money;
  const amountMinor =
    to === 'EUR' ? Math.round(money.amountMinor / BGN_PER_EUR) : Math.round(money.amountMinor * BGN_PER_EUR);
  return { amountMinor, currency: to };
}
