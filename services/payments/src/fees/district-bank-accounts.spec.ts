import { seedDistrictBankAccounts, withIbanCheckDigits } from './district-bank-accounts';

function ibanIsValid(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return BigInt(rearranged) % 97n === 1n;
}

describe('district bank accounts', () => {
  it('computes ISO 13616 check digits (known IBAN)', () => {
    // The example IBAN of the Bulgarian National Bank's format description.
    expect(withIbanCheckDigits('BG', 'BNBG96611020345678')).toBe('BG80BNBG96611020345678');
  });

  it('gives every one of the 24 districts a valid Bulgarian IBAN of its own', () => {
    expect(seedDistrictBankAccounts).toHaveLength(24);
    expect(new Set(seedDistrictBankAccounts.map((account) => account.iban)).size).toBe(24);
    for (const account of seedDistrictBankAccounts) {
      expect(account.iban).toMatch(/^BG\d{2}[A-Z]{4}\d{6}[0-9A-Z]{8}$/);
      expect(ibanIsValid(account.iban)).toBe(true);
    }
  });
});
