import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { findCatalogueService, findDistrict } from '@umg/catalogue';
import type { Logger } from '@umg/logging';
import type { OperatorClaim } from '@umg/platform';
import { InjectLogger } from '../inject-logger';
import { PaymentError, PaymentErrorCode } from '../payment-error';
import {
  ALL_DISTRICTS,
  changeInForce,
  type FeeChange,
  feeChangeColumns,
  FeeSchedule,
  toFeeChange,
} from '../fees/fee-schedule';
import { parseEffectiveFrom } from './effective-from';

export interface FeeChangeRequest {
  urgency: 'regular' | 'fast' | 'express';
  districtCode: string;
  amountMinor: number;
  currency: 'EUR' | 'BGN';
  effectiveFrom: string;
  reason: string;
}

export interface FeeScheduleOfService {
  serviceNumber: number;
  /** In force now, one per urgency and scope (all districts, or a district with its own fee). */
  inForce: FeeChange[];
  /** Taking effect later, soonest first; these can still be cancelled. */
  scheduled: FeeChange[];
  /** Every change ever made, cancelled ones included, oldest first. */
  history: FeeChange[];
}

/**
 * Fee changes as operator actions: an administrator schedules a new fee for a service and
 * urgency, for all districts or one, from a date that is not in the past, with a reason; a change
 * not yet in effect can be cancelled with a reason. Nothing is ever updated in place or deleted:
 * the history is the audit, with the operator's name from the gateway's signed claim.
 */
@Injectable()
export class FeeChangesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly fees: FeeSchedule,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async scheduleOf(serviceNumber: number, now = new Date()): Promise<FeeScheduleOfService> {
    knownService(serviceNumber);
    const history = await this.fees.changesOf(this.dataSource.manager, serviceNumber);
    const scopes = new Set(history.map((change) => `${change.urgency}/${change.districtCode}`));
    const inForce = [...scopes].flatMap((scope) => {
      const [urgency, districtCode] = scope.split('/') as [string, string];
      const change = changeInForce(
        history.filter((c) => c.urgency === urgency && c.districtCode === districtCode),
        districtCode,
        now,
      );
      return change ? [change] : [];
    });
    const scheduled = history.filter((change) => change.cancelledAt === null && change.effectiveFrom > now);
    return { serviceNumber, inForce, scheduled, history };
  }

  async schedule(serviceNumber: number, request: FeeChangeRequest, operator: OperatorClaim): Promise<FeeChange> {
    const service = knownService(serviceNumber);
    // A fee only for an urgency the catalogue offers with a known, paid fee: whether an
    // application pays at all is the catalogue's (applications service); the amount is ours.
    const offered = service.urgencies.find((urgency) => urgency.urgency === request.urgency);
    if (!offered || offered.fee === null || offered.fee.amountMinor === 0) {
      throw new PaymentError(
        PaymentErrorCode.FeeUrgencyNotOffered,
        `service ${serviceNumber} has no paid fee at urgency "${request.urgency}" in the catalogue`,
      );
    }
    if (request.districtCode !== ALL_DISTRICTS && !findDistrict(request.districtCode)) {
      throw new PaymentError(PaymentErrorCode.FeeDistrictUnknown, `no district "${request.districtCode}"`);
    }
    const effectiveFrom = parseEffectiveFrom(request.effectiveFrom);
    if (!effectiveFrom) {
      throw new PaymentError(
        PaymentErrorCode.FeeEffectiveInvalid,
        `"${request.effectiveFrom}" is neither a date (YYYY-MM-DD) nor a date-time with an offset`,
      );
    }
    if (effectiveFrom.getTime() < Date.now()) {
      throw new PaymentError(
        PaymentErrorCode.FeeEffectiveInPast,
        `${effectiveFrom.toISOString()} is in the past; a fee already charged is not changed afterwards`,
      );
    }
    const id = randomUUID();
    await this.dataSource.manager.query(
      `INSERT INTO payments.fee_change
         (id, service_number, urgency, district_code, amount_minor, currency, effective_from, origin, changed_by, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'operator', $8, $9)`,
      [
        id,
        serviceNumber,
        request.urgency,
        request.districtCode,
        request.amountMinor,
        request.currency,
        effectiveFrom,
        operator.id,
        request.reason.trim(),
      ],
    );
    this.logger.info(
      { operator: operator.id, role: operator.role, feeChangeId: id, serviceNumber, ...request },
      'operator scheduled a fee change',
    );
    return (await this.find(this.dataSource.manager, id))!;
  }

  async cancel(changeId: string, reason: string, operator: OperatorClaim): Promise<FeeChange> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT ${feeChangeColumns} FROM payments.fee_change WHERE id = $1 FOR UPDATE`,
        [changeId],
      )) as Parameters<typeof toFeeChange>[0][];
      if (!rows[0]) throw new PaymentError(PaymentErrorCode.FeeChangeNotFound, `no fee change ${changeId}`);
      const change = toFeeChange(rows[0]);
      // In force (or past) it may already have priced payment requests: change it by a new one instead.
      if (change.cancelledAt !== null || change.effectiveFrom.getTime() <= Date.now()) {
        throw new PaymentError(
          PaymentErrorCode.FeeChangeNotScheduled,
          change.cancelledAt !== null
            ? `fee change ${changeId} was already cancelled`
            : `fee change ${changeId} took effect at ${change.effectiveFrom.toISOString()}; schedule a new one instead`,
        );
      }
      await manager.query(
        `UPDATE payments.fee_change SET cancelled_at = now(), cancelled_by = $2, cancel_reason = $3 WHERE id = $1`,
        [changeId, operator.id, reason.trim()],
      );
      this.logger.info(
        { operator: operator.id, role: operator.role, feeChangeId: changeId, reason },
        'operator cancelled a scheduled fee change',
      );
      return (await this.find(manager, changeId))!;
    });
  }

  private async find(manager: EntityManager, id: string): Promise<FeeChange | undefined> {
    const rows = (await manager.query(`SELECT ${feeChangeColumns} FROM payments.fee_change WHERE id = $1`, [
      id,
    ])) as Parameters<typeof toFeeChange>[0][];
    return rows[0] ? toFeeChange(rows[0]) : undefined;
  }
}

function knownService(serviceNumber: number) {
  const service = findCatalogueService(serviceNumber);
  if (!service) throw new PaymentError(PaymentErrorCode.FeeServiceUnknown, `no service ${serviceNumber}`);
  return service;
}
