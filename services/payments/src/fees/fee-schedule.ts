import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { convertAtFixedRate, type Money } from '@umg/catalogue';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import type { PaymentsConfig } from '../config';

export type Fee = Money;

/** All districts: the fee a district charges unless it has a change of its own. */
export const ALL_DISTRICTS = '*';

/** One dated change of a fee, as `payments.fee_change` keeps it. */
export interface FeeChange {
  id: string;
  serviceNumber: number;
  urgency: string;
  districtCode: string;
  amountMinor: number;
  currency: Fee['currency'];
  effectiveFrom: Date;
  origin: 'catalogue' | 'operator';
  changedBy: string;
  reason: string;
  createdAt: Date;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancelReason: string | null;
}

interface FeeChangeRow {
  id: string;
  service_number: number;
  urgency: string;
  district_code: string;
  amount_minor: number;
  currency: Fee['currency'];
  effective_from: Date;
  origin: FeeChange['origin'];
  changed_by: string;
  reason: string;
  created_at: Date;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

export function toFeeChange(row: FeeChangeRow): FeeChange {
  return {
    id: row.id,
    serviceNumber: row.service_number,
    urgency: row.urgency,
    districtCode: row.district_code,
    amountMinor: row.amount_minor,
    currency: row.currency,
    effectiveFrom: row.effective_from,
    origin: row.origin,
    changedBy: row.changed_by,
    reason: row.reason,
    createdAt: row.created_at,
    cancelledAt: row.cancelled_at,
    cancelledBy: row.cancelled_by,
    cancelReason: row.cancel_reason,
  };
}

/**
 * The change in force for a district at an instant: the latest one in effect by then, not
 * cancelled; a district's own change wins over the all-districts one (its own fee stays its own
 * until it is changed again). Two changes with the same effective time: the later made wins.
 */
export function changeInForce(changes: readonly FeeChange[], districtCode: string, at: Date): FeeChange | undefined {
  const latest = (scope: string) =>
    changes
      .filter((change) => change.districtCode === scope && change.cancelledAt === null && change.effectiveFrom <= at)
      .sort(
        (a, b) =>
          b.effectiveFrom.getTime() - a.effectiveFrom.getTime() || b.createdAt.getTime() - a.createdAt.getTime(),
      )[0];
  return latest(districtCode) ?? latest(ALL_DISTRICTS);
}

export const feeChangeColumns = `id, service_number, urgency, district_code, amount_minor, currency, effective_from, origin,
  changed_by, reason, created_at, cancelled_at, cancelled_by, cancel_reason`;

/**
 * Fees per service number and urgency as dated changes, with a district's own fee where it
 * differs from the common one, in the deployment's currency (a fee kept in the other one is
 * converted at the fixed rate, as the euro changeover law prescribes).
 */
@Injectable()
export class FeeSchedule {
  constructor(@Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig) {}

  /** The fee in force at `at` (the payment request's creation); undefined when none is known: never free. */
  async feeFor(
    manager: EntityManager,
    districtCode: string,
    serviceNumber: number,
    urgency: string,
    at: Date,
  ): Promise<Fee | undefined> {
    const rows = (await manager.query(
      `SELECT ${feeChangeColumns} FROM payments.fee_change
        WHERE service_number = $1 AND urgency = $2 AND district_code IN ($3, '*')
          AND cancelled_at IS NULL AND effective_from <= $4`,
      [serviceNumber, urgency, districtCode, at],
    )) as FeeChangeRow[];
    const change = changeInForce(rows.map(toFeeChange), districtCode, at);
    if (!change) return undefined;
    return convertAtFixedRate(
      { amountMinor: change.amountMinor, currency: change.currency },
      this.config.PAYMENTS_CURRENCY,
    );
  }

  /** Every change of a service's fees, cancelled ones included, oldest first. */
  async changesOf(manager: EntityManager, serviceNumber: number): Promise<FeeChange[]> {
    const rows = (await manager.query(
      `SELECT ${feeChangeColumns} FROM payments.fee_change WHERE service_number = $1
        ORDER BY effective_from, created_at`,
      [serviceNumber],
    )) as FeeChangeRow[];
    return rows.map(toFeeChange);
  }
}
