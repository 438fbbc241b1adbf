import { randomUUID } from 'node:crypto';
import type { Problem } from '@umg/contracts';
import { eventually, query } from './support/database';
import {
  applicationEvent,
  paymentRequestsOf,
  PaymentsKafka,
  sendNotification,
  simulator,
  sofiaToday,
  type PaymentRequestView,
  type SimulatedPaymentView,
} from './support/payments';
import { testEnv } from './support/test-env';
import { asGateway, testOperator } from './support/service-identity';

/**
 * Payments on the real broker and database, against the payment system simulator over real
 * sockets. The tests play the applications service: they publish ApplicationEvents on
 * `applications.events` and read PaymentStatusChanged from `payments.events`.
 */
describe('payments', () => {
  const kafka = new PaymentsKafka();

  beforeAll(() => kafka.start(), 60_000);
  afterAll(() => kafka.stop());
  afterEach(async () => {
    await simulator('POST', '/failure', { mode: 'none' });
    await simulator('POST', '/notifications', { duplicate: false });
  });

  async function requestPayment(overrides = {}) {
    const event = applicationEvent(overrides);
    await kafka.publish(event);
    const [request] = await eventually(
      () => paymentRequestsOf(event.applicationId),
      (requests) => requests[0]?.status === 'pending',
    );
    return { event, request: request as PaymentRequestView & { paymentSystemId: string } };
  }

  const statusesOf = (applicationId: string) => kafka.eventsOf(applicationId).map((event) => event.status);
  const reportsOf = (paymentRequestId: string) =>
    query<{ source: string; reported_status: string; applied: boolean }>(
      `SELECT source, reported_status, applied FROM payments.payment_status_report WHERE payment_request_id = $1 ORDER BY id`,
      [paymentRequestId],
    );

  it('creates one payment request for the fee, however often the event is delivered, and sends it once', async () => {
    const event = applicationEvent();
    const messageId = randomUUID();
    await kafka.publish(event, messageId);
    await kafka.publish(event, messageId); // redelivery of the very same message
    const last = await kafka.publish(event); // the same timeline entry republished under a new id
    await eventually(
      () => kafka.consumedByPayments(last),
      (consumed) => consumed,
    );

    const requests = await eventually(
      () => paymentRequestsOf(event.applicationId),
      (found) => found[0]?.status === 'pending',
    );
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ attempt: 1, amountMinor: 256, currency: 'EUR', status: 'pending' });
    expect(requests[0]!.aisPaymentId).toMatch(/^SOF-05-\d{10}$/);

    const sent = await simulator<SimulatedPaymentView>('GET', `/payments/${requests[0]!.paymentSystemId}`);
    expect(sent).toMatchObject({
      aisPaymentId: requests[0]!.aisPaymentId,
      createCalls: 1,
      status: 1,
      paymentAmount: 2.56,
    });
    expect(sent.serviceProviderIBAN).toMatch(/^BG\d{2}SOMB/);
    await eventually(
      async () => statusesOf(event.applicationId),
      (statuses) => statuses.length === 1,
    );
    expect(kafka.eventsOf(event.applicationId)[0]).toMatchObject({
      paymentRequestId: requests[0]!.id,
      paymentSystemId: requests[0]!.paymentSystemId,
      status: 'pending',
      previousStatus: null,
      amountMinor: 256,
      sequence: 1,
    });
  });

  it('reports Authorized as not paid, then Paid when the money arrives', async () => {
    const { event, request } = await requestPayment({ urgency: 'express' });
    expect(request.amountMinor).toBe(511);

    await simulator('POST', `/payments/${request.paymentSystemId}/pay`, { stopBeforePaid: true });
    await eventually(
      async () => statusesOf(event.applicationId),
      (statuses) => statuses.includes('authorized'),
    );
    expect((await paymentRequestsOf(event.applicationId))[0]!.status).toBe('authorized');
    expect(statusesOf(event.applicationId)).not.toContain('paid');

    await simulator('POST', `/payments/${request.paymentSystemId}/pay`);
    const events = await eventually(
      async () => kafka.eventsOf(event.applicationId),
      (found) => found.some((change) => change.status === 'paid'),
    );
    expect(events.map((change) => [change.previousStatus, change.status, change.sequence])).toEqual([
      [null, 'pending', 1],
      ['pending', 'authorized', 2],
      ['authorized', 'paid', 3],
    ]);
    expect((await paymentRequestsOf(event.applicationId))[0]!.status).toBe('paid');
  });

  it('reports an expired request, and a district re-request creates a new one', async () => {
    const { event, request } = await requestPayment();
    await simulator('POST', `/payments/${request.paymentSystemId}/expire`);
    await eventually(
      async () => statusesOf(event.applicationId),
      (statuses) => statuses.includes('expired'),
    );
    expect((await paymentRequestsOf(event.applicationId))[0]!.status).toBe('expired');

    // The district asks again: expired_unpaid → awaiting_payment is a later timeline entry.
    await kafka.publish({ ...event, previousStatus: 'expired_unpaid', sequence: event.sequence + 2 });
    const requests = await eventually(
      () => paymentRequestsOf(event.applicationId),
      (found) => found.length === 2 && found[1]!.status === 'pending',
    );
    expect(requests.map((found) => [found.attempt, found.status])).toEqual([
      [1, 'expired'],
      [2, 'pending'],
    ]);
    expect(requests[1]!.aisPaymentId).not.toBe(requests[0]!.aisPaymentId);
  });

  it('suspends the pending request of a withdrawn application', async () => {
    const { event, request } = await requestPayment();
    await kafka.publish({
      ...event,
      status: 'withdrawn',
      previousStatus: 'awaiting_payment',
      sequence: event.sequence + 1,
    });

    await eventually(
      () => paymentRequestsOf(event.applicationId),
      (found) => found[0]?.status === 'suspended',
    );
    expect((await simulator<SimulatedPaymentView>('GET', `/payments/${request.paymentSystemId}`)).status).toBe(7);
    await eventually(
      async () => statusesOf(event.applicationId),
      (statuses) => statuses.includes('suspended'),
    );
  });

  it('does not suspend a request the applicant has already paid', async () => {
    const { event, request } = await requestPayment();
    await simulator('POST', `/payments/${request.paymentSystemId}/pay`);
    await eventually(
      () => paymentRequestsOf(event.applicationId),
      (found) => found[0]?.status === 'paid',
    );
    const refused = await kafka.publish({ ...event, status: 'refused', previousStatus: 'paid', sequence: 9 });
    await eventually(
      () => kafka.consumedByPayments(refused),
      (consumed) => consumed,
    );

    expect((await paymentRequestsOf(event.applicationId))[0]!.status).toBe('paid');
    expect((await simulator<SimulatedPaymentView>('GET', `/payments/${request.paymentSystemId}`)).status).toBe(4);
  });

  it('lets duplicate and out-of-order notifications change nothing', async () => {
    const { event, request } = await requestPayment();
    await simulator('POST', '/notifications', { duplicate: true });
    // Authorized first and Paid after it has landed, so that which change wins is not a race.
    await simulator('POST', `/payments/${request.paymentSystemId}/pay`, { stopBeforePaid: true });
    await eventually(
      () => paymentRequestsOf(event.applicationId),
      (found) => found[0]?.status === 'authorized',
    );
    await simulator('POST', `/payments/${request.paymentSystemId}/pay`);
    await eventually(
      () => paymentRequestsOf(event.applicationId),
      (found) => found[0]?.status === 'paid',
    );
    // Then the Authorized notification once more, after Paid: older ChangeTime.
    await simulator('POST', `/payments/${request.paymentSystemId}/resend`, { index: 1 });
    await simulator('POST', `/payments/${request.paymentSystemId}/resend`, { index: 0 });

    // 2 × authorized, 2 × paid, 2 × the replayed authorized, 2 × the replayed pending.
    const reports = await eventually(
      () => reportsOf(request.id),
      (rows) => rows.filter((row) => row.source === 'notification').length === 8,
    );
    expect(reports.filter((row) => row.applied).map((row) => row.reported_status)).toEqual([
      'pending',
      'authorized',
      'paid',
    ]);
    expect((await paymentRequestsOf(event.applicationId))[0]!.status).toBe('paid');
    expect(statusesOf(event.applicationId)).toEqual(['pending', 'authorized', 'paid']);
  });

  it('acts on no forged notification (bad HMAC, another client): each is only confirmed with the payment system', async () => {
    const { event, request } = await requestPayment();
    const paid = { Id: request.paymentSystemId, Status: 'Paid', ChangeTime: new Date().toISOString() };

    const forged = await sendNotification(paid, { secret: 'not-the-payment-systems-secret' });
    const stranger = await sendNotification(paid, { clientId: 'someone-else' });
    const garbage = await sendNotification(null, { data: Buffer.from('{not json').toString('base64') });
    const unknownStatus = await sendNotification({ ...paid, Status: 8 });
    const unknownRequest = await sendNotification({ ...paid, Id: '2612069999' });

    // A forged or foreign notification is a hint: answered as the system expects, acted on never.
    expect(forged).toEqual({ status: 200, body: { success: true } });
    expect(stranger).toEqual({ status: 200, body: { success: true } });
    expect([garbage.status, garbage.body.code]).toEqual([400, 'malformed_notification']);
    expect([unknownStatus.status, unknownStatus.body.code]).toEqual([400, 'malformed_notification']);
    expect([unknownRequest.status, unknownRequest.body.code]).toEqual([404, 'payment_request_not_found']);
    expect((garbage.body as unknown as Problem).type).toBe('urn:umg:problem:malformed-notification');
    // The status query says Pending: the claimed Paid changes nothing.
    const reports = await eventually(
      () => reportsOf(request.id),
      (rows) => rows.some((row) => row.source === 'confirmation'),
    );
    expect(reports.filter((row) => row.source === 'unverified_notification').map((row) => row.applied)).toEqual([
      false,
      false,
    ]);
    expect(reports.filter((row) => row.applied).map((row) => row.source)).toEqual(['receipt']);
    expect((await paymentRequestsOf(event.applicationId))[0]!.status).toBe('pending');
    expect(statusesOf(event.applicationId)).toEqual(['pending']);

    // The genuine notification is accepted and acted on.
    await simulator('POST', `/payments/${request.paymentSystemId}/pay`, { notify: false });
    const genuine = await sendNotification({ ...paid, ChangeTime: new Date(Date.now() + 1_000).toISOString() });
    expect(genuine).toEqual({ status: 200, body: { success: true } });
    expect((await paymentRequestsOf(event.applicationId))[0]!.status).toBe('paid');
  });

  it('sends a request made while the payment system is down once it is back: none lost, none doubled', async () => {
    await simulator('POST', '/failure', { mode: 'reset' });
    const event = applicationEvent();
    await kafka.publish(event);
    const attempts = () =>
      query<{ attempts: number }>(
        `SELECT c.attempts FROM payments.outbound_call c JOIN payments.payment_request p ON p.id = c.payment_request_id
          WHERE p.application_id = $1 AND c.kind = 'create'`,
        [event.applicationId],
      );
    await eventually(attempts, (rows) => (rows[0]?.attempts ?? 0) >= 2);
    await simulator('POST', '/failure', { mode: 'unavailable' });
    await eventually(attempts, (rows) => (rows[0]?.attempts ?? 0) >= 4);
    expect((await paymentRequestsOf(event.applicationId))[0]!.status).toBe('sending');

    await simulator('POST', '/failure', { mode: 'none' });
    const [request] = await eventually(
      () => paymentRequestsOf(event.applicationId),
      (found) => found[0]?.status === 'pending',
      60_000,
    );
    const sent = await simulator<{ items: SimulatedPaymentView[] }>(
      'GET',
      `/payments?aisPaymentId=${request!.aisPaymentId}`,
    );
    expect(sent.items).toHaveLength(1);
    expect(sent.items[0]!.createCalls).toBe(1);
    await eventually(
      async () => statusesOf(event.applicationId),
      (statuses) => statuses.length === 1,
    );
    expect(statusesOf(event.applicationId)).toEqual(['pending']);
  });

  it('repairs a missed notification by reconciliation and reports the mismatch (JSON and CSV)', async () => {
    const { event, request } = await requestPayment();
    await simulator('POST', `/payments/${request.paymentSystemId}/pay`, { notify: false });
    expect((await paymentRequestsOf(event.applicationId))[0]!.status).toBe('pending');

    const run = await fetch(`${testEnv.paymentsUrl}/internal/v1/reconciliation/runs`, {
      method: 'POST',
      headers: await asGateway('payments', testOperator()),
    });
    expect(run.status).toBe(200);
    expect(((await run.json()) as { repaired: number }).repaired).toBeGreaterThanOrEqual(1);
    expect((await paymentRequestsOf(event.applicationId))[0]!.status).toBe('paid');
    await eventually(
      async () => statusesOf(event.applicationId),
      (statuses) => statuses.includes('paid'),
    );

    const url = `${testEnv.paymentsUrl}/internal/v1/reports/reconciliation?district=serdika&date=${sofiaToday()}`;
    const report = (await (await fetch(url, { headers: await asGateway('payments') })).json()) as {
      byStatus: { status: string; count: number; amountMinor: number }[];
      mismatches: { paymentRequestId: string; recordedStatus: string; reportedStatus: string }[];
    };
    expect(report.mismatches).toContainEqual(
      expect.objectContaining({ paymentRequestId: request.id, recordedStatus: 'pending', reportedStatus: 'paid' }),
    );
    const paidRow = report.byStatus.find((row) => row.status === 'paid');
    expect(paidRow!.count).toBeGreaterThanOrEqual(1);
    expect(paidRow!.amountMinor).toBeGreaterThanOrEqual(256);

    const csv = await fetch(url, { headers: { Accept: 'text/csv', ...(await asGateway('payments')) } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe(
      'record,district,date,status,count,amount_minor,currency,payment_request_id,ais_payment_id,recorded_status,reported_status,found_at',
    );
    expect(lines.some((line) => line.startsWith('mismatch,serdika,') && line.includes(request.id))).toBe(true);
  });

  it('dead-letters a request for a service that has no fee', async () => {
    const event = applicationEvent({ serviceNumber: 999_999 });
    await kafka.publish(event);
    const rows = await eventually(
      () =>
        query<{ reason_code: string }>(`SELECT reason_code FROM payments.dead_letter WHERE message_key = $1`, [
          event.applicationId,
        ]),
      (found) => found.length === 1,
    );
    expect(rows[0]!.reason_code).toBe('no_fee');
    expect(await paymentRequestsOf(event.applicationId)).toEqual([]);
  });
});
