import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { cloudEventTypes, kafkaTopics, type PaymentStatusChanged } from '@umg/contracts';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { eventually, query } from './support/database';
import { decide, read, submitRouted } from './support/lifecycle';
import { paymentRequestsOf, simulator } from './support/payments';
import { testEnv } from './support/test-env';

/**
 * Review F5, the consumer's side: even a producer that may write `payments.events` (here the admin
 * identity, standing for a stolen or buggy payments) cannot move an application with a paid event
 * that does not match the request payments announced for it. Each such event is dead-lettered as
 * `payment_outcome_mismatch` and the application keeps waiting; the real payment still goes through.
 */
describe('payment outcomes are checked against the announced payment request', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const kafka = new Kafka({ clientId: 'payment-forger', ...testEnv.kafkaClient('admin'), logLevel: logLevel.NOTHING });
  let producer: Producer;

  beforeAll(async () => {
    await portal.start();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }, 60_000);
  afterAll(async () => {
    await producer.disconnect();
    await portal.stop();
  });

  async function publish(event: PaymentStatusChanged): Promise<string> {
    const messageId = `forged-${randomUUID()}`;
    await producer.send({
      topic: kafkaTopics.paymentsEvents,
      acks: -1,
      messages: [
        {
          key: event.applicationId,
          value: JSON.stringify(event),
          headers: {
            ce_specversion: '1.0',
            ce_id: messageId,
            ce_type: cloudEventTypes.PaymentStatusChanged,
            ce_source: 'urn:umg:service:payments',
            ce_time: new Date().toISOString(),
            'content-type': 'application/json',
            traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
          },
        },
      ],
    });
    return messageId;
  }

  it('dead-letters paid events with another amount, an unknown request or another district; the application stays awaiting payment', async () => {
    // Certificate of heirs, fast: 3.83 EUR.
    const { applicationId } = await submitRouted(portal, {
      districtCode: 'serdika',
      serviceNumber: 2016,
      urgency: 'fast',
    });
    const routed = await read('serdika', applicationId);
    const registered = await decide('serdika', applicationId, 'registration', routed.version, {
      registrationNumber: `СРД-${randomUUID().slice(0, 8)}`,
    });
    expect(registered.body.status).toBe('awaiting_payment');
    const [request] = await eventually(
      () => paymentRequestsOf(applicationId),
      (found) => found[0]?.status === 'pending',
    );
    // Applications has taken note of the request payments announced (its `pending` event).
    const announced = await eventually(
      () =>
        query<{ amount_minor: string; currency: string }>(
          'SELECT amount_minor, currency FROM applications.payment_request WHERE payment_request_id = $1',
          [request!.id],
        ),
      (rows) => rows.length === 1,
    );
    expect(announced[0]).toEqual({ amount_minor: '383', currency: 'EUR' });

    const genuine: PaymentStatusChanged = {
      applicationId,
      paymentRequestId: request!.id,
      aisPaymentId: request!.aisPaymentId,
      paymentSystemId: request!.paymentSystemId!,
      districtCode: 'serdika',
      status: 'paid',
      previousStatus: 'pending',
      amountMinor: 383,
      currency: 'EUR',
      changedAt: new Date().toISOString(),
      sequence: 2,
    };
    const forged = {
      [await publish({ ...genuine, amountMinor: 1 })]: /amount 1 EUR was announced as 383 EUR/,
      [await publish({ ...genuine, paymentRequestId: randomUUID() })]: /never announced/,
      [await publish({ ...genuine, districtCode: 'bankya' })]: /district bankya is not the application's serdika/,
    };

    const deadLetters = await eventually(
      () =>
        query<{ reason_code: string; reason_message: string; id: string }>(
          `SELECT reason_code, reason_message, headers->>'ce_id' AS id FROM applications.dead_letter
            WHERE message_key = $1 AND topic = 'payments.events'`,
          [applicationId],
        ),
      (rows) => rows.length === 3,
    );
    for (const letter of deadLetters) {
      expect(letter.reason_code).toBe('payment_outcome_mismatch');
      expect(letter.reason_message).toMatch(forged[letter.id]!);
    }
    expect((await read('serdika', applicationId)).status).toBe('awaiting_payment');

    // The citizen really pays: that outcome matches and moves the application.
    await simulator('POST', `/payments/${request!.paymentSystemId}/pay`);
    const paid = await eventually(
      () => read('serdika', applicationId),
      (application) => application.status === 'paid',
    );
    expect(paid.timeline.at(-1)!.details).toMatchObject({ paymentRequestId: request!.id, amountMinor: 383 });
  });
});
