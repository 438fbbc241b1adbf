import {
  cloudEventTypes,
  type DeliveryNoticeKind,
  type DeliveryStatus,
  type DeliveryStatusChanged,
  SchemaValidator,
} from '@umg/contracts';
import type { Logger } from '@umg/logging';
import {
  allPaymentStatuses as paymentStatuses,
  inboundMessage as message,
  paymentChangeFixture as change,
  asConsumed,
  touchesDatabase,
  untouchedManager as untouched,
} from '../../../../test/support/handler-relevance';
import type { ApplicationRepository } from '../application/application.repository';
import { DeliveryStatusMessageHandler } from '../delivery-outcomes/delivery-status.message-handler';
import { OpenFeedbackInvitationService } from '../feedback/open-feedback-invitation.service';
import { RecordDeliveryOutcomeService } from '../delivery-outcomes/record-delivery-outcome.service';
import type { WorkingCalendar } from '../calendar/working-calendar';
import type { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import { PaymentStatusMessageHandler } from './payment-status.message-handler';
import { RecordPaymentOutcomeService } from './record-payment-outcome.service';

const deliveryStatuses = Object.keys({
  ready_to_send: 1,
  sending: 1,
  waiting_for_retry: 1,
  waiting_for_receipt: 1,
  delivered: 1,
  send_failure: 1,
  no_profile: 1,
  receipt_timeout: 1,
  blocked_document: 1,
  desk_collection: 1,
} satisfies Record<DeliveryStatus, 1>) as DeliveryStatus[];

const noticeKinds = Object.keys({
  registration_notice: 1,
  payment_notice: 1,
  correction_notice: 1,
  expiry_notice: 1,
  refusal: 1,
  result: 1,
} satisfies Record<DeliveryNoticeKind, 1>) as DeliveryNoticeKind[];

const touched = () => {
  throw new Error('database touched');
};
const applications = { getForSystem: () => Promise.resolve().then(touched) } as unknown as ApplicationRepository;
const lifecycle = {} as ApplicationLifecycle;
const calendars = {} as WorkingCalendar;
const logger = { info: () => undefined } as unknown as Logger;
const validator = new SchemaValidator();

describe('applications: which payment events are relevant', () => {
  const subject = new PaymentStatusMessageHandler(
    new RecordPaymentOutcomeService(applications, lifecycle, calendars, logger),
    validator,
  );
  const { accepts, handle } = asConsumed(subject);

  it.each(paymentStatuses)('accepts %s exactly when recording it reads the application', async (status) => {
    const announced = message('payments.events', cloudEventTypes.PaymentStatusChanged, change(status), {
      ce_umgstatus: status,
    });
    expect(accepts(announced)).toBe(await touchesDatabase(handle(announced, untouched)));
  });

  it('accepts a change without the status header (an older producer), and any other type (poison)', () => {
    expect(accepts(message('payments.events', cloudEventTypes.PaymentStatusChanged, change('ordered')))).toBe(true);
    expect(accepts(message('payments.events', 'bg.sofia.umg.unknown.v1', {}, { ce_umgstatus: 'x' }))).toBe(true);
  });
});

describe('applications: which delivery events are relevant', () => {
  const subject = new DeliveryStatusMessageHandler(
    new RecordDeliveryOutcomeService(
      lifecycle,
      new OpenFeedbackInvitationService({
        FEEDBACK_TOKEN_SECRET: 'relevance-feedback-secret-0000000',
        FEEDBACK_VALID_DAYS: 30,
      }),
      logger,
    ),
    validator,
  );
  const { accepts, handle } = asConsumed(subject);
  const change = (noticeKind: DeliveryNoticeKind, status: DeliveryStatus): DeliveryStatusChanged => ({
    applicationId: '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10',
    districtCode: 'nadezhda',
    deliveryId: '9b2e4c1a-7d3f-4e5a-8c6b-1a2d3e4f5a6b',
    noticeKind,
    status,
    previousStatus: 'waiting_for_receipt',
    eDeliveryMessageId: '7731045',
    reason: null,
    nroAt: null,
    nrdAt: null,
    changedAt: '2026-03-16T18:40:09+02:00',
    sequence: 4,
  });
  const announced = (noticeKind: DeliveryNoticeKind, status: DeliveryStatus) =>
    message('delivery.events', cloudEventTypes.DeliveryStatusChanged, change(noticeKind, status), {
      ce_umgstatus: status,
    });

  it.each(deliveryStatuses)(
    'accepts %s exactly when recording a result’s outcome reads the application',
    async (status) => {
      const result = announced('result', status);
      expect(accepts(result)).toBe(await touchesDatabase(handle(result, untouched)));
    },
  );

  it('never skips a status the handler acts on, whatever the notice', async () => {
    for (const kind of noticeKinds) {
      for (const status of deliveryStatuses) {
        const change = announced(kind, status);
        if (!accepts(change))
          expect([kind, status, await touchesDatabase(handle(change, untouched))]).toEqual([kind, status, false]);
      }
    }
  });

  it('accepts a change without the status header (an older producer)', () => {
    expect(
      accepts(message('delivery.events', cloudEventTypes.DeliveryStatusChanged, change('result', 'sending'))),
    ).toBe(true);
  });
});
