import type { EntityManager } from 'typeorm';
import { cloudEventTypes, SchemaValidator } from '@umg/contracts';
import {
  allApplicationStatuses as statuses,
  applicationEventFixture as event,
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
