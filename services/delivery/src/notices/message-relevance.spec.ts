import { cloudEventTypes, type PaymentStatus, SchemaValidator } from '@umg/contracts';
import {
  allApplicationStatuses,
  allPaymentStatuses,
  applicationEventFixture,
  inboundMessage as message,
  paymentChangeFixture,
  asConsumed,
  touchesDatabase,
  untouchedManager as untouched,
} from '../../../../test/support/handler-relevance';
import type { DeliveryHistory } from '../delivery/delivery-history';
import { ApplicationEventMessageHandler } from './application-event.message-handler';
import { PaymentEventMessageHandler } from './payment-event.message-handler';
import { PlanNoticeService } from './plan-notice.service';

const planNotice = new PlanNoticeService({} as DeliveryHistory);
const validator = new SchemaValidator();

describe('delivery: which application events are relevant', () => {
  const subject = new ApplicationEventMessageHandler(planNotice, validator);
  const { accepts, handle } = asConsumed(subject);
  const event = applicationEventFixture;

  it.each(allApplicationStatuses)('accepts %s exactly when the handler plans a notice for it', async (status) => {
    const announced = message('applications.events', cloudEventTypes.ApplicationEvent, event(status), {
      ce_umgstatus: status,
    });
    expect(accepts(announced)).toBe(await touchesDatabase(handle(announced, untouched)));
  });

  it('skips deadline alerts, which the handler passes over', async () => {
    for (const type of [cloudEventTypes.ApplicationOverdue, cloudEventTypes.ApplicationDueSoon]) {
      const alert = message('applications.events', type, {});
      expect(await touchesDatabase(handle(alert, untouched))).toBe(false);
      expect(accepts(alert)).toBe(false);
    }
  });

  it('accepts an event without the status header, and any other type (poison for the handler)', () => {
    expect(accepts(message('applications.events', cloudEventTypes.ApplicationEvent, event('routed')))).toBe(true);
    expect(accepts(message('applications.events', 'bg.sofia.umg.unknown.v1', {}, { ce_umgstatus: 'x' }))).toBe(true);
  });
});

describe('delivery: which payment events are relevant', () => {
  const subject = new PaymentEventMessageHandler(planNotice, validator);
  const { accepts, handle } = asConsumed(subject);
  const change = (status: PaymentStatus) => paymentChangeFixture(status, { applicationSequence: 4 });

  it.each(allPaymentStatuses)('accepts %s exactly when the handler plans a payment notice for it', async (status) => {
    const announced = message('payments.events', cloudEventTypes.PaymentStatusChanged, change(status), {
      ce_umgstatus: status,
    });
    expect(accepts(announced)).toBe(await touchesDatabase(handle(announced, untouched)));
  });

  it('accepts a change without the status header (an older producer)', () => {
    expect(accepts(message('payments.events', cloudEventTypes.PaymentStatusChanged, change('paid')))).toBe(true);
  });
});
