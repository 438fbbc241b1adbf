import { randomBytes, randomUUID } from 'node:crypto';
import { findDistrict } from '@umg/catalogue';
import { EDeliveryControl } from '../tools/simulators/e-delivery/e-delivery-control';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { demoBankDetails } from '../tools/dev/demo-onboarding';
import { eventually, query } from './support/database';
import { districtApi } from './support/district-api';
import { operatorApi } from './support/districts';
import { decide, read, submitRouted } from './support/lifecycle';
import {
  applicationEvent,
  paymentRequestsOf,
  PaymentsKafka,
  paymentsClient,
  sendNotification,
  simulator,
  simulatorCalls,
  type PaymentRequestView,
  type SimulatedPaymentView,
} from './support/payments';
import { managementUrl, testEnv } from './support/test-env';
import { asGateway, testOperator } from './support/service-identity';

/**
 * The eGov payment system on its real wire contract (contracts/fixtures/pay-egov), end to end on
 * the real broker and database against the simulator in both releases: the 2024 release's
 * unsigned Paid confirmed by a status query, forged hints, our credentials refused (bounded POSTs,
 * visible problem), bounded retries, desk payment, each district its own payee.
 */
describe('pay-egov for real', () => {
  const kafka = new PaymentsKafka();
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));

  beforeAll(async () => {
    await kafka.start();
    await portal.start();
  }, 60_000);
  afterAll(async () => {
    await kafka.stop();
    await portal.stop();
  });
  afterEach(async () => {
    await simulator('POST', '/failure', { mode: 'none' });
    await simulator('POST', '/release', { release: '2022' });
  });

  const reportsOf = (paymentRequestId: string) =>
    query<{ source: string; reported_status: string; applied: boolean }>(
      `SELECT source, reported_status, applied FROM payments.payment_status_report WHERE payment_request_id = $1 ORDER BY id`,
      [paymentRequestId],
    );

  async function pendingRequest(overrides = {}) {
    const event = applicationEvent(overrides);
    await kafka.publish(event);
    const [request] = await eventually(
      () => paymentRequestsOf(event.applicationId),
      (requests) => requests[0]?.status === 'pending',
    );
    return { event, request: request as PaymentRequestView & { paymentSystemId: string } };
  }

  it('creates the request on the real wire, with the access code the applicant pays with', async () => {
    const { event, request } = await pendingRequest();
    const sent = await simulator<SimulatedPaymentView>('GET', `/payments/${request.paymentSystemId}`);
    // yyMMdd + a counter, the request as the payment system's DO reads it, the code it issued.
    expect(request.paymentSystemId).toMatch(/^\d{6}\d+$/);
    expect(sent.request).toMatchObject({
      aisPaymentId: request.aisPaymentId,
      currency: 'EUR',
      paymentAmount: 2.56,
      paymentTypeCode: '448007',
      applicantUinTypeId: 1,
      administrativeServiceNotificationURL: expect.stringContaining('/v1/payment-notifications') as string,
    });
    expect(request.accessCode).toMatch(/^[A-Z1-9]{10}$/);
    expect(request.accessCode).toBe(sent.accessCode);
    const [pending] = await eventually(
      async () => kafka.eventsOf(event.applicationId),
      (events) => events.length === 1,
    );
    expect(pending).toMatchObject({ status: 'pending', accessCode: request.accessCode });
  });

  it('2024 release: the unsigned Paid is confirmed by a status query before the application moves', async () => {
    await simulator('POST', '/release', { release: '2024' });
    const { event, request } = await pendingRequest();
    const before = (await simulatorCalls()).paymentsStatus?.total ?? 0;
    // Card: Authorized then Paid; the 2024 release pushes only Paid, without an Hmac.
    await simulator('POST', `/payments/${request.paymentSystemId}/pay`);
    const reports = await eventually(
      () => reportsOf(request.id),
      (rows) => rows.some((row) => row.source === 'confirmation' && row.applied),
    );
    expect(reports.map((row) => [row.source, row.reported_status, row.applied])).toEqual([
      ['receipt', 'pending', true],
      ['unverified_notification', 'Paid', false],
      ['confirmation', 'paid', true],
    ]);
    expect((await simulatorCalls()).paymentsStatus!.total).toBeGreaterThan(before);
    await eventually(
      async () => kafka.eventsOf(event.applicationId).map((change) => change.status),
      (statuses) => statuses.includes('paid'),
    );
    expect(kafka.eventsOf(event.applicationId).map((change) => change.status)).toEqual(['pending', 'paid']);
  });

  it('a well-formed but unconfirmed callback changes nothing, and a flood of them asks the system a bounded number of times', async () => {
    const { event, request } = await pendingRequest();
    await simulator('POST', '/calls/reset');
    const forged = { Id: request.paymentSystemId, Status: 'Paid', ChangeTime: '2026-12-06T12:41:00.5678912+02:00' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => sendNotification(forged, { unsigned: true })));
    expect(answers.every((answer) => answer.status === 200 && answer.body.success === true)).toBe(true);
    await eventually(
      () => reportsOf(request.id),
      (rows) => rows.some((row) => row.source === 'confirmation'),
    );
    // Give any further (wrong) confirmation time to happen.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const calls = await simulatorCalls();
    expect(calls.paymentsStatus!.total).toBeGreaterThanOrEqual(1);
    expect(calls.paymentsStatus!.total).toBeLessThanOrEqual(3);
    expect((await paymentRequestsOf(event.applicationId))[0]!.status).toBe('pending');
    expect(kafka.eventsOf(event.applicationId).map((change) => change.status)).toEqual(['pending']);
  });

  it('401 from the payment system: an alert and a visible problem, a bounded number of POSTs, then recovery', async () => {
    await simulator('POST', '/calls/reset');
    await simulator('POST', '/failure', { mode: 'unauthorized' });
    const events = [applicationEvent(), applicationEvent(), applicationEvent()];
    for (const event of events) await kafka.publish(event);
    const held = await eventually(
      async () =>
        (
          await fetch(`${testEnv.paymentsUrl}/internal/v1/payment-system/clients`, {
            headers: await asGateway('payments'),
          })
        ).json() as Promise<{
          items: { clientId: string; detail: string }[];
        }>,
      (body) => body.items.some((client) => client.clientId === paymentsClient.clientId),
    );
    expect(held.items[0]!.detail).toContain('401');
    const metrics = await (await fetch(`${managementUrl('payments')}/metrics`)).text();
    expect(metrics).toMatch(/^umg_payment_system_unauthorized_clients\{[^}]*\} 1$/m);
    const requests = await eventually(
      async () => Promise.all(events.map(async (event) => (await paymentRequestsOf(event.applicationId))[0])),
      (found) => found.every((request) => request?.problem?.code === 'payment_system_unauthorized'),
    );
    expect(requests.every((request) => request!.status === 'sending')).toBe(true);
    // For 4 s (the hold is 3 s in tests): one refused POST, then at most a probe or two — no retry storm.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const refused = (await simulatorCalls()).paymentJson!;
    expect(refused.byStatus['401']).toBeGreaterThanOrEqual(1);
    expect(refused.total).toBeLessThanOrEqual(4);

    await simulator('POST', '/failure', { mode: 'none' });
    const recovered = await eventually(
      async () => Promise.all(events.map(async (event) => (await paymentRequestsOf(event.applicationId))[0])),
      (found) => found.every((request) => request?.status === 'pending'),
      30_000,
    );
    expect(recovered.every((request) => request!.problem === null)).toBe(true);
    const after = await (
      await fetch(`${testEnv.paymentsUrl}/internal/v1/payment-system/clients`, { headers: await asGateway('payments') })
    ).json();
    expect(after).toEqual({ items: [] });
  });

  it('gives a call up after its bounded attempts, visibly, and an operator retries it', async () => {
    await simulator('POST', '/failure', { mode: 'unavailable' });
    const event = applicationEvent();
    await kafka.publish(event);
    const [failed] = await eventually(
      () => paymentRequestsOf(event.applicationId),
      (found) => found[0]?.status === 'send_failed',
      60_000,
    );
    expect(failed!.problem?.code).toBe('payment_system_unavailable');
    const [call] = await query<{ attempts: number; gave_up: boolean }>(
      `SELECT attempts, gave_up FROM payments.outbound_call WHERE payment_request_id = $1 AND kind = 'create'`,
      [failed!.id],
    );
    expect(call).toEqual({ attempts: 5, gave_up: true });

    await simulator('POST', '/failure', { mode: 'none' });
    const retried = await fetch(`${testEnv.paymentsUrl}/internal/v1/payment-requests/${failed!.id}/retry`, {
      method: 'POST',
      headers: await asGateway('payments', testOperator()),
    });
    expect(retried.status).toBe(200);
    await eventually(
      () => paymentRequestsOf(event.applicationId),
      (found) => found[0]?.status === 'pending' && found[0].problem === null,
    );
    const again = await fetch(`${testEnv.paymentsUrl}/internal/v1/payment-requests/${failed!.id}/retry`, {
      method: 'POST',
      headers: await asGateway('payments', testOperator()),
    });
    expect(again.status).toBe(409);
  });

  it('desk payment through the district API: setStatusPaid with CashDesk, and the application is paid', async () => {
    const { applicationId } = await submitRouted(portal, {
      districtCode: 'triaditsa',
      serviceNumber: 2016,
      urgency: 'regular',
    });
    const routed = await read('triaditsa', applicationId);
    await decide('triaditsa', applicationId, 'registration', routed.version, {
      registrationNumber: `ТР-${randomUUID().slice(0, 8)}`,
    });
    const [request] = await eventually(
      () => paymentRequestsOf(applicationId),
      (found) => found[0]?.status === 'pending',
    );
    // The applicant is told the fee and the access code, through e-delivery, once.
    const eDelivery = new EDeliveryControl(testEnv.eDeliveryUrl);
    const inbox = await eventually(
      () => eDelivery.inbox(routed.applicant.identifier),
      (messages) => messages.some((message) => message.title.startsWith('Такса за услугата')),
    );
    const notices = inbox.filter((message) => message.title.startsWith('Такса за услугата'));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain(`код за достъп ${request!.accessCode}`);
    expect(notices[0]!.text).toContain(`заявка за плащане № ${request!.paymentSystemId}`);
    expect(notices[0]!.text).toContain('2,56 EUR');
    // The district sees the request, its access code, through its own API; another district does not.
    const seen = await districtApi<{ items: PaymentRequestView[] }>(
      'triaditsa',
      'GET',
      `/v1/applications/${applicationId}/payment-requests`,
    );
    expect(seen.status).toBe(200);
    expect(seen.body.items[0]).toMatchObject({ id: request!.id, accessCode: request!.accessCode });
    const stranger = await districtApi('serdika', 'GET', `/v1/applications/${applicationId}/payment-requests`);
    expect(stranger.status).toBe(404);

    const key = randomUUID();
    const body = { receiptNumber: 'КВ-2026-004512', cashier: 'Мария Иванова' };
    const desk = await districtApi<PaymentRequestView>(
      'triaditsa',
      'POST',
      `/v1/applications/${applicationId}/desk-payment`,
      {
        body,
        headers: { 'Idempotency-Key': key },
      },
    );
    expect(desk.status).toBe(202);
    const repeated = await districtApi('triaditsa', 'POST', `/v1/applications/${applicationId}/desk-payment`, {
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(repeated.status).toBe(202);
    const paid = await eventually(
      () => read('triaditsa', applicationId),
      (application) => application.status === 'paid',
    );
    expect(paid.timeline.at(-1)).toMatchObject({ fromStatus: 'awaiting_payment', toStatus: 'paid' });
    const sent = await simulator<SimulatedPaymentView & { paidMethod: unknown }>(
      'GET',
      `/payments/${request!.paymentSystemId}`,
    );
    expect(sent.statusName).toBe('Paid');
    // PaidStatusPaymentMethod 2 = CashDesk, with the desk's receipt in the description.
    expect(sent.paidMethod).toEqual({ method: 2, description: expect.stringContaining('КВ-2026-004512') as string });
    const reports = await reportsOf(request!.id);
    expect(reports.filter((row) => row.applied).map((row) => row.source)).toEqual(['receipt', 'desk']);

    const bad = await districtApi('triaditsa', 'POST', `/v1/applications/${applicationId}/desk-payment`, {
      body: { receiptNumber: '' },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(bad.status).toBe(400);
  });

  it('each district is its own payee: its IBAN and its own client, the secret rotated without a restart', async () => {
    const clientId = `sofia-nadezhda-${randomBytes(3).toString('hex')}`;
    const secret = `nadezhda-secret-${randomBytes(8).toString('hex')}`;
    const bank = demoBankDetails(findDistrict('nadezhda')!.no);
    await simulator('POST', '/clients', { clientId, secret });
    try {
      // First a wrong secret: the payment system refuses it, the district's calls are held.
      const wrong = await operatorApi<{ paymentSystemClient: unknown }>(
        'PATCH',
        '/internal/v1/districts/nadezhda/profile',
        {
          bank,
          paymentSystemClient: { clientId, secret: `${secret}-typo` },
          reason: 'the municipality registered a client for Nadezhda',
        },
      );
      expect(wrong.status).toBe(200);
      // Never the secret back, sealed or not.
      expect(wrong.body.paymentSystemClient).toEqual({ clientId, secretSet: true });
      expect(JSON.stringify(wrong.body)).not.toContain(secret);
      const audit = await operatorApi<unknown[]>('GET', '/internal/v1/districts/nadezhda/audit');
      expect(JSON.stringify(audit.body)).not.toContain(secret);
      const [stored] = await query<{ payment_system_client: unknown }>(
        `SELECT payment_system_client FROM districts.district WHERE code = 'nadezhda'`,
      );
      expect(JSON.stringify(stored)).not.toContain(secret);
      await eventually(
        () =>
          query(
            `SELECT 1 FROM payments.district_payee WHERE district_code = 'nadezhda' AND payment_system_client_id = $1`,
            [clientId],
          ),
        (rows) => rows.length === 1,
      );

      const event = applicationEvent({ districtCode: 'nadezhda' });
      await kafka.publish(event);
      await eventually(
        () => paymentRequestsOf(event.applicationId),
        (found) => found[0]?.problem?.code === 'payment_system_unauthorized',
      );
      // The right secret: held calls go at once, signed with the district's own client, paid into its IBAN.
      await operatorApi('PATCH', '/internal/v1/districts/nadezhda/profile', {
        paymentSystemClient: { clientId, secret },
        reason: 'corrected the secret',
      });
      const [request] = await eventually(
        () => paymentRequestsOf(event.applicationId),
        (found) => found[0]?.status === 'pending',
        10_000,
      );
      const sent = await simulator<SimulatedPaymentView>('GET', `/payments/${request!.paymentSystemId}`);
      expect(sent.clientId).toBe(clientId);
      expect(sent.serviceProviderIBAN).toBe(bank.iban);
      // Its callbacks are verified with its own secret.
      await simulator('POST', `/payments/${request!.paymentSystemId}/pay`);
      await eventually(
        () => paymentRequestsOf(event.applicationId),
        (found) => found[0]?.status === 'paid',
      );
      // Signed with its secret, its callbacks were acted on (Authorized may land after Paid: then it changes nothing).
      const applied = (await reportsOf(request!.id)).filter((row) => row.applied);
      expect(applied.map((row) => [row.source, row.reported_status])).toContainEqual(['notification', 'paid']);
      expect(applied[0]!.source).toBe('receipt');
    } finally {
      await operatorApi('PATCH', '/internal/v1/districts/nadezhda/profile', {
        paymentSystemClient: null,
        reason: 'back to the municipality’s client',
      });
    }
  });
});
