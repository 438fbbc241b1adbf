import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DistrictBankAccount } from './district-bank-accounts';

export interface Fee {
  amountMinor: number;
  currency: 'EUR' | 'BGN';
}

/**
 * Fees per service number and urgency, with a district's own fee where it differs from the
 * common one, and the district's account the fee is paid into.
 */
@Injectable()
export class FeeSchedule {
  async feeFor(
    manager: EntityManager,
    districtCode: string,
    serviceNumber: number,
    urgency: string,
  ): Promise<Fee | undefined> {
    const rows = (await manager.query(
      `SELECT amount_minor, currency FROM payments.fee
        WHERE service_number = $1 AND urgency = $2 AND district_code IN ($3, '*')
        ORDER BY (district_code = '*') LIMIT 1`,
      [serviceNumber, urgency, districtCode],
    )) as { amount_minor: number; currency: Fee['currency'] }[];
    const row = rows[0];
    return row ? { amountMinor: row.amount_minor, currency: row.currency } : undefined;
  }

  async accountOf(manager: EntityManager, districtCode: string): Promise<DistrictBankAccount | undefined> {
    const rows = (await manager.query(
      `SELECT district_code, provider_name, bank_name, bic, iban FROM payments.district_bank_account WHERE district_code = $1`,
      [districtCode],
    )) as { district_code: string; provider_name: string; bank_name: string; bic: string; iban: string }[];
    const row = rows[0];
    return row
      ? {
          districtCode: row.district_code,
          providerName: row.provider_name,
          bankName: row.bank_name,
          bic: row.bic,
          iban: row.iban,
        }
      : undefined;
  }
}
