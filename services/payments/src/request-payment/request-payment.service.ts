import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApplicationEvent } from '@umg/contracts';
import { findDistrict } from '@umg/catalogue';
import type { Logger } from '@umg/logging';
import { PoisonMessageError } from '@umg/messaging';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import type { PaymentsConfig } from '../config';
import { FeeSchedule } from '../fees/fee-schedule';
import { InjectLogger } from '../inject-logger';
import { OutboundCalls } from '../outbound/outbound-calls';
import { PaymentRequestEntity } from '../payment-request/payment-request.entity';
import { openPaymentStatuses } from '../payment-request/payment-request-status';
import { paymentRequestForm } from './payment-request-form';
import { DistrictPayees } from '../payees/district-payees';
import { PaymentSystemClients } from '../payment-system/payment-system-clients';

export type RequestPaymentOutcome = 'created' | 'duplicate' | 'already_open';

const dayMs = 24 * 3600 * 1000;

/**
 * An application entered `awaiting_payment`: create one payment request for its fee and queue
 * it for the payment system. The timeline entry that asked for it identifies the request, so a
 * redelivered or republished event finds it and creates nothing.
 */
@Injectable()
export class RequestPaymentService {
  constructor(
    private readonly fees: FeeSchedule,
    private readonly payees: DistrictPayees,
    private readonly clients: PaymentSystemClients,
    private readonly outbound: OutboundCalls,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async request(manager: EntityManager, event: ApplicationEvent): Promise<RequestPaymentOutcome> {
    // The fee in force when the request is created, not when the service was applied for.
    const now = new Date();
    const fee = await this.fees.feeFor(manager, event.districtCode, event.serviceNumber, event.urgency, now);
    const payee = await this.payees.payeeOf(manager, event.districtCode);
    if (!fee || !payee) {
      // The applications service asked for payment of a service we have no fee for: an
      // operator has to fix the fee schedule and replay the message.
      throw new PoisonMessageError(
        fee ? 'no_district_account' : 'no_fee',
        `no ${fee ? 'bank account' : 'fee'} for service ${event.serviceNumber} (${event.urgency}) in ${event.districtCode}`,
      );
    }
    // Made-up bank details never reach the real payment system: the request waits for an
    // operator to enter the district's account and retry it.
    const heldForPayee = payee.placeholder && this.config.NODE_ENV === 'production';
    const earlier = await manager.find(PaymentRequestEntity, { where: { applicationId: event.applicationId } });
    if (earlier.some((request) => request.applicationSequence === event.sequence)) return 'duplicate';
    const open = earlier.find(
      (request) => request.status === 'sending' || openPaymentStatuses.includes(request.status as never),
    );
    if (open) {
      this.logger.warn(
        { applicationId: event.applicationId, paymentRequestId: open.id },
        'payment requested again while a request is still open; keeping the open one',
      );
      return 'already_open';
    }
    const expiresAt = new Date(now.getTime() + this.config.PAYMENT_EXPIRATION_DAYS * dayMs);
    const aisPaymentId = await this.nextAisPaymentId(manager, event.districtCode);
    const request = Object.assign(new PaymentRequestEntity(), {
      id: randomUUID(),
      applicationId: event.applicationId,
      applicationSequence: event.sequence,
      attempt: earlier.length + 1,
      aisPaymentId,
      paymentSystemId: null,
      districtCode: event.districtCode,
      serviceNumber: event.serviceNumber,
      urgency: event.urgency,
      amountMinor: fee.amountMinor,
      currency: fee.currency,
      status: heldForPayee ? 'send_failed' : 'sending',
      statusChangedAt: null,
      sequence: 0,
      wireRequest: paymentRequestForm({
        aisPaymentId,
        event,
        fee,
        account: payee,
        expiresAt,
        notificationUrl: this.config.PAYMENTS_NOTIFICATION_URL,
      }),
      paymentSystemClientId: payee.paymentSystemClientId ?? this.clients.municipalityClientId,
      accessCode: null,
      problem: heldForPayee
        ? {
            code: 'placeholder_bank_details',
            detail: `${event.districtCode} has no real bank details in the registry yet`,
            at: now.toISOString(),
          }
        : null,
      rejectionReasons: null,
      expiresAt,
      createdAt: now,
      updatedAt: now,
    } satisfies PaymentRequestEntity);
    // The unique (application_id, application_sequence) settles a race between two deliveries.
    const inserted = (await manager
      .createQueryBuilder()
      .insert()
      .into(PaymentRequestEntity)
      .values(request)
      .orIgnore()
      .returning(['id'])
      .execute()) as { raw: unknown[] };
    if (inserted.raw.length === 0) return 'duplicate';
    if (!heldForPayee) await this.outbound.enqueue(manager, request.id, 'create');
    this.logger.info(
      { applicationId: event.applicationId, paymentRequestId: request.id, aisPaymentId, amountMinor: fee.amountMinor },
      'payment request created',
    );
    return 'created';
  }

  /** `SOF-<district no.>-<10 digits>`: readable on bank statements, unique across districts. */
  private async nextAisPaymentId(manager: EntityManager, districtCode: string): Promise<string> {
    const [row] = (await manager.query(`SELECT nextval('payments.ais_payment_number') AS next`)) as { next: string }[];
    const districtNo = String(findDistrict(districtCode)?.no ?? 0).padStart(2, '0');
    return `SOF-${districtNo}-${String(row!.next).padStart(10, '0')}`;
  }
}
