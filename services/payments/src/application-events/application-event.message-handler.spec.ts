import type { EntityManager } from 'typeorm';
import { type ApplicationEvent, type ApplicationStatus, cloudEventTypes, SchemaValidator } from '@umg/contracts';
import { InboundMessage } from '@umg/messaging';
import type { RequestPaymentService } from '../request-payment/request-payment.service';
import type { SuspendPaymentService } from '../suspend-payment/suspend-payment.service';
import { ApplicationEventMessageHandler } from './application-event.message-handler';

const statuses = Object.keys({
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

const message = (type: string, payload: unknown, headers: Record<string, string> = {}) =>
  new InboundMessage(
    'applications.events',
    0,
    '0',
    null,
    { ce_id: 'm', ce_type: type, ...headers },
    Buffer.from(JSON.stringify(payload)),
  );

function handler() {
  const requestPayment = { request: jest.fn(() => Promise.resolve()) };
  const suspendPayment = { suspendFor: jest.fn(() => Promise.resolve()) };
  const subject = new ApplicationEventMessageHandler(
    requestPayment as unknown as RequestPaymentService,
    suspendPayment as unknown as SuspendPaymentService,
    new SchemaValidator(),
  );
  const acted = () => requestPayment.request.mock.calls.length + suspendPayment.suspendFor.mock.calls.length > 0;
  return { subject, acted };
}

describe('payments: which application events are relevant', () => {
  it.each(statuses)('accepts %s exactly when the handler acts on it', async (status) => {
    const { subject, acted } = handler();
    const announced = message(cloudEventTypes.ApplicationEvent, event(status), { ce_umgstatus: status });

    await subject.handle(announced, {} as EntityManager);

    expect(subject.accepts(announced)).toBe(acted());
  });

  it('skips deadline alerts, which the handler passes over', async () => {
    const { subject, acted } = handler();
    for (const type of [cloudEventTypes.ApplicationOverdue, cloudEventTypes.ApplicationDueSoon]) {
      const alert = message(type, {});
      await subject.handle(alert, {} as EntityManager);
      expect(subject.accepts(alert)).toBe(false);
    }
    expect(acted()).toBe(false);
  });

  it('accepts an event without the status header (an older producer) and any other type (poison, dead-lettered by the handler)', () => {
    const { subject } = handler();
    expect(subject.accepts(message(cloudEventTypes.ApplicationEvent, event('routed')))).toBe(true);
    expect(subject.accepts(message('bg.sofia.umg.unknown.v1', {}, { ce_umgstatus: 'routed' }))).toBe(true);
  });
});
