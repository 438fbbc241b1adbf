import type { EntityManager } from 'typeorm';
import { cloudEventTypes, SchemaValidator } from '@umg/contracts';
import {
  allApplicationStatuses as statuses,
  applicationEventFixture as event,
  asConsumed,
  inboundMessage,
} from '../../../../test/support/handler-relevance';
import type { RequestPaymentService } from '../request-payment/request-payment.service';
import type { SuspendPaymentService } from '../suspend-payment/suspend-payment.service';
import { ApplicationEventMessageHandler } from './application-event.message-handler';

const message = (type: string, payload: unknown, headers: Record<string, string> = {}) =>
  inboundMessage('applications.events', type, payload, headers);

function handler() {
  const requestPayment = { request: jest.fn(() => Promise.resolve()) };
  const suspendPayment = { suspendFor: jest.fn(() => Promise.resolve()) };
  const subject = new ApplicationEventMessageHandler(
    requestPayment as unknown as RequestPaymentService,
    suspendPayment as unknown as SuspendPaymentService,
    new SchemaValidator(),
  );
  const acted = () => requestPayment.request.mock.calls.length + suspendPayment.suspendFor.mock.calls.length > 0;
  return { ...asConsumed(subject), acted };
}

describe('payments: which application events are relevant', () => {
  it.each(statuses)('accepts %s exactly when the handler acts on it', async (status) => {
    const { accepts, handle, acted } = handler();
    const announced = message(cloudEventTypes.ApplicationEvent, event(status), { ce_umgstatus: status });

    await handle(announced, {} as EntityManager);

    expect(accepts(announced)).toBe(acted());
  });

  it('skips deadline alerts, which the handler passes over', async () => {
    const { accepts, handle, acted } = handler();
    for (const type of [cloudEventTypes.ApplicationOverdue, cloudEventTypes.ApplicationDueSoon]) {
      const alert = message(type, {});
      await handle(alert, {} as EntityManager);
      expect(accepts(alert)).toBe(false);
    }
    expect(acted()).toBe(false);
  });

  it('accepts an event without the status header (an older producer) and any other type (poison, dead-lettered)', () => {
    const { accepts } = handler();
    expect(accepts(message(cloudEventTypes.ApplicationEvent, event('routed')))).toBe(true);
    expect(accepts(message('bg.sofia.umg.unknown.v1', {}, { ce_umgstatus: 'routed' }))).toBe(true);
  });
});
