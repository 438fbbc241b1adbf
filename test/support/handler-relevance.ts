import type { EntityManager } from 'typeorm';
import {
  type ApplicationEvent,
  type ApplicationStatus,
  applicationStatuses,
  type PaymentStatus,
  type PaymentStatusChanged,
} from '@umg/contracts';
import { InboundMessage, kafkaHandlersOf } from '@umg/messaging';

/**
 * What the services' relevance specs share: a message as a consumer receives it, a transaction
 * that fails at the first database work, and the events they run through each handler. A handler
 * may skip a message before any database work only when handling it would not have touched the
 * database either; these let each spec check exactly that against the real handler.
 */

/** Every application status, as the contract lists them. */
export const allApplicationStatuses: readonly ApplicationStatus[] = applicationStatuses;

/** Every payment status. */
export const allPaymentStatuses = Object.keys({
  pending: 1,
  authorized: 1,
  ordered: 1,
  paid: 1,
  expired: 1,
  canceled: 1,
  suspended: 1,
  in_process: 1,
} satisfies Record<PaymentStatus, 1>) as PaymentStatus[];

/** A message of `topic` as the consumer hands it to a handler. */
export const inboundMessage = (topic: string, type: string, payload: unknown, headers: Record<string, string> = {}) =>
  new InboundMessage(
    topic,
    0,
    '0',
    null,
    { ce_id: 'm', ce_type: type, ...headers },
    Buffer.from(JSON.stringify(payload)),
  );

/**
 * A handler as its service's consumer sees it: the relevance filter its `@EventPattern`s declare,
 * and the handling of a message (routed by type, as the Kafka transport does), per message topic.
 */
export function asConsumed(handler: object) {
  const { handlers, accepts } = kafkaHandlersOf(handler);
  return {
    accepts: (message: InboundMessage) => accepts[message.topic]!(message),
    handle: (message: InboundMessage, manager: EntityManager) => handlers[message.topic]!(message, manager),
  };
}

/** A transaction that fails as soon as the handler does any database work. */
export const untouchedManager = new Proxy(
  {},
  {
    get: () => {
      throw new Error('database touched');
    },
  },
) as EntityManager;

/** Whether the work (a handler run with `untouchedManager`) did database work. */
export async function touchesDatabase(work: Promise<unknown>): Promise<boolean> {
  try {
    await work;
    return false;
  } catch (error) {
    if (error instanceof Error && error.message === 'database touched') return true;
    throw error;
  }
}

/** An application event of Nadezhda's service 2016 that reached `status`. */
export const applicationEventFixture = (status: ApplicationStatus): ApplicationEvent => ({
  applicationId: '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10',
  portalApplicationId: 'EGOV-2026-000123456',
  serviceReferenceNumber: '20260312-2016-000123',
  districtCode: 'nadezhda',
  serviceNumber: 2016,
  urgency: 'fast',
  status,
  previousStatus: 'routed',
  sequence: 3,
  occurredAt: '2026-03-12T10:15:00+02:00',
  actor: { kind: 'district', id: 'nadezhda-archimed' },
  registrationNumber: 'НД-94-00-1234/12.03.2026',
  applicant: { identifierType: 'EGN', identifier: '7501020018', name: 'Иван Петров Иванов' },
  deliveryChannel: 'e_delivery',
  eDeliveryProfileId: '104578',
});

/** A payment status change of that application's payment request. */
export const paymentChangeFixture = (
  status: PaymentStatus,
  extra: Partial<PaymentStatusChanged> = {},
): PaymentStatusChanged => ({
  applicationId: '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10',
  paymentRequestId: '9b2e4c1a-7d3f-4a8e-b6c5-2f1e0d9c8b7a',
  aisPaymentId: 'SOF-05-0000000123',
  paymentSystemId: '4f6d1b2a-0c9e-4e7d-8a5b-3c2d1e0f9a8b',
  districtCode: 'nadezhda',
  status,
  previousStatus: null,
  amountMinor: 383,
  currency: 'EUR',
  changedAt: '2026-03-12T10:42:00+02:00',
  sequence: 1,
  ...extra,
});
