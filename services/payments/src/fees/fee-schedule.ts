import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { convertAtFixedRate, type Money } from '@umg/catalogue';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import type { PaymentsConfig } from '../config';

export type Fee = Money;

/**
 * Fees per service number and urgency, with a district's own fee where it differs from the
 * common one, in the deployment's currency (a fee kept in the other one is converted at the
 * fixed rate, as the euro changeover law prescribes).
 */
@Injectable()
export class FeeSchedule {
  constructor(@Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig) {}

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
    if (!row) return undefined;
    return convertAtFixedRate({ amountMinor: row.amount_minor, currency: row.currency }, this.config.PAYMENTS_CURRENCY);
  }
}
