import type { EntityManager } from 'typeorm';
import {
  type ApplicationEvent,
  type ApplicationStatus,
  cloudEventTypes,
  type PaymentStatus,
  type PaymentStatusChanged,
  SchemaValidator,
} from '@umg/contracts';
import { InboundMessage } from '@umg/messaging';
import type { DeliveryHistory } from '../delivery/delivery-history';
import { ApplicationEventMessageHandler } from './application-event.message-handler';
import { PaymentEventMessageHandler } from './payment-event.message-handler';
import { PlanNoticeService } from './plan-notice.service';

const applicationStatuses = Object.keys({
  received: 1,
  routed: 1,
  registered: 1,
  awaiting_payment: 1,
  paid: 1,
  in_progress: 1,
  result_ready: 1,
  delivered: 1,
  returned_for_corrections: 1,
  refused: 1,
  withdrawn: 1,
  expired_unpaid: 1,
  awaiting_collection: 1,
  result_blocked: 1,
  handed_over: 1,
} satisfies Record<ApplicationStatus, 1>) as ApplicationStatus[];

const paymentStatuses = Object.keys({
  pending: 1,
  authorized: 1,
  ordered: 1,
  paid: 1,
  expired: 1,
  canceled: 1,
  suspended: 1,
  in_process: 1,
} satisfies Record<PaymentStatus, 1>) as PaymentStatus[];

/** A transaction that fails as soon as the handler does any database work. */
const untouched = new Proxy(
  {},
  {
    get: () => {
      throw new Error('database touched');
    },
  },
) as EntityManager;

/** Whether handling the message did database work (the real use case, planning a notice). */
async function touchesDatabase(work: Promise<unknown>): Promise<boolean> {
  try {
    await work;
    return false;
  } catch (error) {
    if (error instanceof Error && error.message === 'database touched') return true;
    throw error;
  }
}

const message = (topic: string, type: string, payload: unknown, headers: Record<string, string> = {}) =>
  new InboundMessage(
    topic,
    0,
    '0',
    null,
    { ce_id: 'm', ce_type: type, ...headers },
    Buffer.from(JSON.stringify(payload)),
  );

const planNotice = new PlanNoticeService({} as DeliveryHistory);
const validator = new SchemaValidator();

describe('delivery: which application events are relevant', () => {
  const subject = new ApplicationEventMessageHandler(planNotice, validator);
  const event = (status: ApplicationStatus): ApplicationEvent => ({
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

  it.each(applicationStatuses)('accepts %s exactly when the handler plans a notice for it', async (status) => {
    const announced = message('applications.events', cloudEventTypes.ApplicationEvent, event(status), {
      ce_umgstatus: status,
    });
    expect(subject.accepts(announced)).toBe(await touchesDatabase(subject.handle(announced, untouched)));
  });

  it('skips deadline alerts, which the handler passes over', async () => {
    for (const type of [cloudEventTypes.ApplicationOverdue, cloudEventTypes.ApplicationDueSoon]) {
      const alert = message('applications.events', type, {});
      expect(await touchesDatabase(subject.handle(alert, untouched))).toBe(false);
      expect(subject.accepts(alert)).toBe(false);
    }
  });

  it('accepts an event without the status header, and any other type (poison for the handler)', () => {
    expect(subject.accepts(message('applications.events', cloudEventTypes.ApplicationEvent, event('routed')))).toBe(
      true,
    );
    expect(subject.accepts(message('applications.events', 'bg.sofia.umg.unknown.v1', {}, { ce_umgstatus: 'x' }))).toBe(
      true,
    );
  });
});

describe('delivery: which payment events are relevant', () => {
  const subject = new PaymentEventMessageHandler(planNotice, validator);
  const change = (status: PaymentStatus): PaymentStatusChanged => ({
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
    applicationSequence: 4,
  });

  it.each(paymentStatuses)('accepts %s exactly when the handler plans a payment notice for it', async (status) => {
    const announced = message('payments.events', cloudEventTypes.PaymentStatusChanged, change(status), {
      ce_umgstatus: status,
    });
    expect(subject.accepts(announced)).toBe(await touchesDatabase(subject.handle(announced, untouched)));
  });

  it('accepts a change without the status header (an older producer)', () => {
    expect(subject.accepts(message('payments.events', cloudEventTypes.PaymentStatusChanged, change('paid')))).toBe(
      true,
    );
  });
});
