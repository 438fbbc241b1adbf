import { districts, withIbanCheckDigits } from '@umg/catalogue';

/** Where a district's fees are paid: the service provider of its payment requests. */
export interface DistrictBankAccount {
  districtCode: string;
  providerName: string;
  bankName: string;
  bic: string;
  iban: string;
}

/**
 * The districts' fee accounts, seeded into `payments.district_bank_account`. PLACEHOLDERS: the
 * bank is the one Sofia Municipality uses (Общинска банка), the account numbers are made up
 * (valid check digits, district number in the account). Each district's real IBAN replaces
 * them by a data migration or the districts registry before go-live.
 */
export const seedDistrictBankAccounts: readonly DistrictBankAccount[] = districts.map((district) => ({
  districtCode: district.code,
  providerName: `Столична община – район „${district.nameBg}“`,
  bankName: 'Общинска банка АД',
  bic: 'SOMBBGSF',
  iban: withIbanCheckDigits('BG', `SOMB9130${'31'}${String(district.no).padStart(8, '0')}`),
}));
