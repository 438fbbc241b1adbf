import { randomUUID } from 'node:crypto';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { eventually } from './support/database';
import { decide, read, submitRouted } from './support/lifecycle';
import { paymentRequestsOf, simulator, type SimulatedPaymentView } from './support/payments';
import { testEnv } from './support/test-env';

/**
 * The whole payment path through every service: the portal files an application, the district
 * registers it through the gateway, payments asks the payment system for the fee, the citizen
 * pays, and the district sees the application paid.
 */
describe('payment of an application, end to end', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));

  beforeAll(() => portal.start(), 60_000);
  afterAll(() => portal.stop());

  it('registered → awaiting payment → paid, as the district sees it through the REST API', async () => {
    // Certificate of heirs, fast: 7.50 BGN = 3.83 EUR.
    const { applicationId } = await submitRouted(portal, {
      districtCode: 'serdika',
      serviceNumber: 2016,
      urgency: 'fast',
    });
    const routed = await read('serdika', applicationId);

    const registered = await decide('serdika', applicationId, 'registration', routed.version, {
      registrationNumber: `СРД-${randomUUID().slice(0, 8)}`,
    });
    expect(registered.status).toBe(200);
    expect(registered.body.status).toBe('awaiting_payment');

    const [request] = await eventually(
      () => paymentRequestsOf(applicationId),
      (found) => found[0]?.status === 'pending',
    );
    expect(request).toMatchObject({ amountMinor: 383, currency: 'EUR', attempt: 1 });
    const sent = await simulator<SimulatedPaymentView>('GET', `/payments/${request!.paymentSystemId}`);
    expect(sent.paymentAmount).toBe(3.83);

    // Authorized (card) is not yet paid: the application keeps waiting.
    await simulator('POST', `/payments/${request!.paymentSystemId}/pay`, { stopBeforePaid: true });
    await eventually(
      () => paymentRequestsOf(applicationId),
      (found) => found[0]?.status === 'authorized',
    );
    expect((await read('serdika', applicationId)).status).toBe('awaiting_payment');

    await simulator('POST', `/payments/${request!.paymentSystemId}/pay`);
    const paid = await eventually(
      () => read('serdika', applicationId),
      (application) => application.status === 'paid',
    );
    const last = paid.timeline.at(-1)!;
    expect([last.fromStatus, last.toStatus, last.actor.kind, last.actor.id]).toEqual([
      'awaiting_payment',
      'paid',
      'system',
      'payments',
    ]);
    expect(last.details).toMatchObject({ paymentRequestId: request!.id, amountMinor: 383, currency: 'EUR' });

    // The district can now start processing.
    const processing = await decide('serdika', applicationId, 'processing', paid.version, {});
    expect(processing.status).toBe(200);
    expect(processing.body.status).toBe('in_progress');
  });

  it('moves an application whose request expired to expired unpaid, and asks again on the district’s request', async () => {
    const { applicationId } = await submitRouted(portal, {
      districtCode: 'bankya',
      serviceNumber: 2016,
      urgency: 'regular',
    });
    const routed = await read('bankya', applicationId);
    await decide('bankya', applicationId, 'registration', routed.version, {
      registrationNumber: `БНК-${randomUUID().slice(0, 8)}`,
    });
    const [request] = await eventually(
      () => paymentRequestsOf(applicationId),
      (found) => found[0]?.status === 'pending',
    );

    await simulator('POST', `/payments/${request!.paymentSystemId}/expire`);

    const expired = await eventually(
      () => read('bankya', applicationId),
      (application) => application.status === 'expired_unpaid',
    );
    expect(expired.timeline.at(-1)!.actor).toEqual({ kind: 'system', id: 'payments' });

    // The district gives the applicant another chance: a second payment request is made.
    const again = await decide('bankya', applicationId, 'payment-request', expired.version, {
      note: 'The applicant asked for another payment request',
    });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('awaiting_payment');
    expect(again.body.timeline.at(-1)!.actor.kind).toBe('district');
    const requests = await eventually(
      () => paymentRequestsOf(applicationId),
      (found) => found.length === 2 && found.some((candidate) => candidate.status === 'pending'),
    );
    expect(requests.map((candidate) => candidate.status).sort()).toEqual(['expired', 'pending']);
    // Only from expired unpaid: asking again while a request is open is refused.
    const twice = await decide('bankya', applicationId, 'payment-request', again.body.version, {});
    expect(twice.status).toBe(409);
  });
});
