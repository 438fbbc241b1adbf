import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import type { PaymentRequestEntity } from '../payment-request/payment-request.entity';
import { PaymentStatusRecorder, type ReportSource } from '../payment-request/payment-status-recorder';
import type { StatusChangeDecision } from '../payment-request/decide-status-change';
import { parsePaymentStatus } from '../payment-system/egov-payment-status';
import { parseEgovTime } from '../payment-system/egov-time';
import { type PaymentSystemCredentials, PaymentSystemClient } from '../payment-system/payment-system.client';

export interface ConfirmedChange {
  request: PaymentRequestEntity;
  from: PaymentRequestEntity['status'];
  decision: StatusChangeDecision;
}

/**
 * Asks the payment system (`paymentsStatus`, one call for a batch of one client's requests) what
 * the status of each request really is, and records the answers: the only way an unsigned
 * notification, or a missing one, ever changes a request.
 */
@Injectable()
export class ConfirmStatusesService {
  constructor(
    private readonly paymentSystem: PaymentSystemClient,
    private readonly recorder: PaymentStatusRecorder,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** The requests must be locked by the caller and belong to the client of `credentials`. */
  async confirm(
    manager: EntityManager,
    requests: PaymentRequestEntity[],
    credentials: PaymentSystemCredentials,
    source: Extract<ReportSource, 'confirmation' | 'reconciliation'>,
  ): Promise<ConfirmedChange[]> {
    const byPaymentSystemId = new Map(
      requests.filter((request) => request.paymentSystemId).map((request) => [request.paymentSystemId!, request]),
    );
    if (byPaymentSystemId.size === 0) return [];
    const reported = await this.paymentSystem.paymentsStatus(credentials, [...byPaymentSystemId.keys()]);
    const changes: ConfirmedChange[] = [];
    for (const entry of reported) {
      const request = byPaymentSystemId.get(entry.paymentSystemId);
      const status = parsePaymentStatus(entry.status);
      const changeTime = parseEgovTime(entry.changeTime);
      if (!request) continue;
      if (!status || !changeTime) {
        // null for an id the system does not know: nothing to record, and worth a look.
        this.logger.warn(
          { paymentRequestId: request.id, status: entry.status, changeTime: entry.changeTime },
          'the payment system reported no usable status',
        );
        continue;
      }
      const from = request.status;
      const decision = await this.recorder.record(manager, request, { status, changeTime }, source);
      changes.push({ request, from, decision });
    }
    return changes;
  }
}
