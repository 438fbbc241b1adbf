import { bulgarianIbanProblem, districts } from '@umg/catalogue';
import { seedDistrictBankAccounts } from './district-bank-accounts';

describe('district bank accounts', () => {
  it('seeds one placeholder account per district, each a valid Bulgarian IBAN', () => {
    expect(seedDistrictBankAccounts.map((account) => account.districtCode).sort()).toEqual(
      districts.map((district) => district.code).sort(),
    );
    for (const account of seedDistrictBankAccounts) expect(bulgarianIbanProblem(account.iban)).toBeUndefined();
    expect(new Set(seedDistrictBankAccounts.map((account) => account.iban)).size).toBe(districts.length);
  });
});
