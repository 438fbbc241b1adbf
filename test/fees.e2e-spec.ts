import { randomUUID } from 'node:crypto';
import type { OperatorApi, PaymentsInternalComponents, Problem, SubmissionRejected } from '@umg/contracts';
import { catalogueServices } from '@umg/catalogue';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { randomSubmission } from '../tools/simulators/portal/submission-factory';
import { eventually, query } from './support/database';
import { pkiCommand } from './support/identity';
import { applicationEvent, paymentRequestsOf, PaymentsKafka } from './support/payments';
import { testEnv } from './support/test-env';

type ServiceFees = OperatorApi.components['schemas']['ServiceFees'];
type FeeChange = PaymentsInternalComponents['schemas']['FeeChange'];

/**
 * Fees as operator actions with an effective date, on the real broker and database: the console's
 * operator API in the gateway over the payments service. A payment request is priced by the fee in
 * force when it is created; an unknown fee refuses the application at intake instead of waiving it.
 */
describe('fees: effective-dated changes and unknown fees', () => {
  const suffix = randomUUID().slice(0, 8);
  const cookies: Record<string, string> = {};
  const kafka = new PaymentsKafka();
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  // Used by no other test: its own fee for 2016 cannot change what other tests are charged.
  const district = 'slatina';

  beforeAll(async () => {
    await kafka.start();
    await portal.start();
    const roles = ['viewer', 'administrator'] as const;
    const passwords: Record<string, string> = {};
    for (const role of roles) {
      passwords[role] = `correct horse ${randomUUID()}`;
      expect(
        pkiCommand(['operator', `fees-${role}-${suffix}`, role], { OPERATOR_PASSWORD: passwords[role] }).output,
      ).toContain(`operator fees-${role}-${suffix}: ${role}`);
    }
    for (const role of roles) {
      const signIn = () =>
        fetch(`${testEnv.gatewayUrl}/operator/v1/session`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: `fees-${role}-${suffix}`, password: passwords[role] }),
        });
      const response = await signIn().catch(() => signIn());
      expect(response.status).toBe(201);
      cookies[role] = response.headers.get('set-cookie')!.split(';')[0]!;
    }
  }, 120_000);
  afterAll(async () => {
    await portal.stop();
    await kafka.stop();
  });

  async function call<T>(role: 'viewer' | 'administrator', method: string, path: string, body?: unknown) {
    const response = await fetch(`${testEnv.gatewayUrl}${path}`, {
      method,
      headers: { Cookie: cookies[role]!, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** The payment request made for a new application of 2016 (regular) in the district: its amount and when it was made. */
  async function pricedNow(): Promise<{ amountMinor: number; createdAt: number }> {
    const event = applicationEvent({ districtCode: district, serviceNumber: 2016, urgency: 'regular' });
    await kafka.publish(event);
    const [request] = await eventually(
      () => paymentRequestsOf(event.applicationId),
      (requests) => requests.length === 1,
    );
    const [row] = await query<{ created_at: Date }>('SELECT created_at FROM payments.payment_request WHERE id = $1', [
      request!.id,
    ]);
    return { amountMinor: request!.amountMinor, createdAt: row!.created_at.getTime() };
  }

  it('shows a service’s catalogue facts with their sources and the fee in force', async () => {
    const answer = await call<ServiceFees>('viewer', 'GET', '/operator/v1/fees/2016');
    expect(answer.status).toBe(200);
    expect(answer.body.catalogueGaps).toEqual([]);
    expect(answer.body.serviceNumberSources.length).toBeGreaterThan(0);
    const regular = answer.body.catalogue.find((urgency) => urgency.urgency === 'regular')!;
    expect(regular).toMatchObject({ deadlineText: '7 days', feeEurMinor: 256, feeBgn: 5 });
    expect(regular.sources.length).toBeGreaterThan(0);
    expect(
      answer.body.inForce.find((change) => change.urgency === 'regular' && change.districtCode === '*'),
    ).toMatchObject({ amountMinor: 256, currency: 'EUR', origin: 'catalogue' });

    const unknown = await call<Problem>('viewer', 'GET', '/operator/v1/fees/999999');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('fee_service_unknown');
  });

  it('lets only an administrator schedule a change, never in the past, only for a paid urgency', async () => {
    const change = {
      urgency: 'regular',
      districtCode: district,
      amountMinor: 300,
      currency: 'EUR',
      effectiveFrom: '2099-01-01',
      reason: 'not allowed for a viewer',
    };
    const asViewer = await call<Problem>('viewer', 'POST', '/operator/v1/fees/2016/changes', change);
    expect(asViewer.status).toBe(403);

    const past = await call<Problem>('administrator', 'POST', '/operator/v1/fees/2016/changes', {
      ...change,
      effectiveFrom: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(422);
    expect(past.body.code).toBe('fee_effective_in_past');

    const noOffset = await call<Problem>('administrator', 'POST', '/operator/v1/fees/2016/changes', {
      ...change,
      effectiveFrom: '2099-01-01T10:00:00',
    });
    expect(noOffset.status).toBe(400);
    expect(noOffset.body.code).toBe('fee_effective_invalid');

    // The original birth certificate is free in the catalogue: no fee can be put on it here.
    const free = await call<Problem>('administrator', 'POST', '/operator/v1/fees/2052/changes', change);
    expect(free.status).toBe(422);
    expect(free.body.code).toBe('fee_urgency_not_offered');

    const noReason = await call<Problem>('administrator', 'POST', '/operator/v1/fees/2016/changes', {
      ...change,
      reason: '',
    });
    expect(noReason.status).toBe(400);

    const stored = await query(`SELECT 1 FROM payments.fee_change WHERE changed_by = $1`, [
      `fees-administrator-${suffix}`,
    ]);
    expect(stored).toHaveLength(0);
  });

  it('prices payment requests by the fee in force when each is created: the old one before, the new one after', async () => {
    expect((await pricedNow()).amountMinor).toBe(256);
    // Far enough ahead that the request below is made before it even on a loaded machine.
    const effectiveFrom = new Date(Date.now() + 10_000);
    const scheduled = await call<FeeChange>('administrator', 'POST', '/operator/v1/fees/2016/changes', {
      urgency: 'regular',
      districtCode: district,
      amountMinor: 333,
      currency: 'EUR',
      effectiveFrom: effectiveFrom.toISOString(),
      reason: 'ordinance amended by the council',
    });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body).toMatchObject({
      amountMinor: 333,
      districtCode: district,
      origin: 'operator',
      changedBy: `fees-administrator-${suffix}`,
      reason: 'ordinance amended by the council',
      cancelledAt: null,
    });

    const listedBefore = await call<ServiceFees>('viewer', 'GET', '/operator/v1/fees/2016');
    expect(listedBefore.body.scheduled.map((change) => change.id)).toContain(scheduled.body.id);
    // Created before the change takes effect: still the old fee.
    const priorRequest = await pricedNow();
    expect(priorRequest.createdAt).toBeLessThan(effectiveFrom.getTime());
    expect(priorRequest.amountMinor).toBe(256);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, effectiveFrom.getTime() - Date.now()) + 200));
    const after = await pricedNow();
    expect(after.createdAt).toBeGreaterThanOrEqual(effectiveFrom.getTime());
    expect(after.amountMinor).toBe(333);
    // Other districts keep the all-districts fee.
    const elsewhere = applicationEvent({ districtCode: 'serdika', serviceNumber: 2016, urgency: 'regular' });
    await kafka.publish(elsewhere);
    const [serdika] = await eventually(
      () => paymentRequestsOf(elsewhere.applicationId),
      (requests) => requests.length === 1,
    );
    expect(serdika!.amountMinor).toBe(256);

    const listedAfter = await call<ServiceFees>('viewer', 'GET', '/operator/v1/fees/2016');
    expect(listedAfter.body.scheduled.map((change) => change.id)).not.toContain(scheduled.body.id);
    expect(listedAfter.body.inForce.map((change) => change.id)).toContain(scheduled.body.id);

    // In force, it may have priced requests: it cannot be cancelled, only replaced.
    const late = await call<Problem>('administrator', 'POST', `/operator/v1/fee-changes/${scheduled.body.id}/cancel`, {
      reason: 'too late',
    });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('fee_change_not_scheduled');
  }, 60_000);

  it('cancels a scheduled change with who and why, once, and keeps it in the history', async () => {
    const scheduled = await call<FeeChange>('administrator', 'POST', '/operator/v1/fees/2016/changes', {
      urgency: 'express',
      districtCode: '*',
      amountMinor: 2000,
      currency: 'BGN',
      effectiveFrom: '2099-03-01',
      reason: 'draft of next year’s ordinance',
    });
    expect(scheduled.status).toBe(201);
    // 00:00 Sofia time (winter, UTC+2).
    expect(scheduled.body.effectiveFrom).toBe('2099-02-28T22:00:00.000Z');

    const viewer = await call<Problem>('viewer', 'POST', `/operator/v1/fee-changes/${scheduled.body.id}/cancel`, {
      reason: 'not mine to cancel',
    });
    expect(viewer.status).toBe(403);

    const cancelled = await call<FeeChange>(
      'administrator',
      'POST',
      `/operator/v1/fee-changes/${scheduled.body.id}/cancel`,
      { reason: 'the council withdrew the draft' },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      cancelledBy: `fees-administrator-${suffix}`,
      cancelReason: 'the council withdrew the draft',
    });
    expect(cancelled.body.cancelledAt).not.toBeNull();

    const again = await call<Problem>('administrator', 'POST', `/operator/v1/fee-changes/${scheduled.body.id}/cancel`, {
      reason: 'twice',
    });
    expect(again.status).toBe(409);

    const fees = await call<ServiceFees>('viewer', 'GET', '/operator/v1/fees/2016');
    expect(fees.body.scheduled.map((change) => change.id)).not.toContain(scheduled.body.id);
    expect(fees.body.history.find((change) => change.id === scheduled.body.id)).toMatchObject({
      cancelReason: 'the council withdrew the draft',
    });

    const missing = await call<Problem>('administrator', 'POST', `/operator/v1/fee-changes/${randomUUID()}/cancel`, {
      reason: 'no such change',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('fee_change_not_found');
  });

  it('refuses at intake an application whose fee is not known, instead of treating it as free', async () => {
    // A service whose fee no source gives cannot be enabled (service-phases.e2e); intake still
    // refuses one that is offered anyway — a snapshot published before the catalogue lost the fee —
    // so the district's snapshot is given such a service here, and put back afterwards.
    const service = catalogueServices.find((candidate) => candidate.urgencies.some((urgency) => urgency.fee === null))!;
    const urgency = service.urgencies.find((candidate) => candidate.fee === null)!.urgency;
    const submit = async () => {
      const submission = {
        ...randomSubmission({ districtCode: 'serdika' }),
        serviceNumber: service.serviceNumber,
        urgency,
      };
      const rejected = portal.waitFor(
        (message) =>
          message.type === 'submission-rejected' && message.body.portalApplicationId === submission.portalApplicationId,
      );
      await portal.submit(submission);
      const reasons = ((await rejected).body as SubmissionRejected).reasons.map((reason) => reason.code);
      const rows = await query('SELECT 1 FROM applications.application WHERE portal_application_id = $1', [
        submission.portalApplicationId,
      ]);
      expect(rows).toHaveLength(0);
      return reasons;
    };
    expect(await submit()).toEqual(['service_not_enabled']);

    const [snapshot] = await query<{ services: unknown }>(
      `SELECT services FROM applications.district_offering WHERE district_code = 'serdika'`,
    );
    await query(
      `UPDATE applications.district_offering SET services = services || $1::jsonb WHERE district_code = 'serdika'`,
      [JSON.stringify([{ serviceNumber: service.serviceNumber, urgencies: [urgency] }])],
    );
    try {
      expect(await submit()).toEqual(['fee_unknown']);
    } finally {
      await query(`UPDATE applications.district_offering SET services = $1::jsonb WHERE district_code = 'serdika'`, [
        JSON.stringify(snapshot!.services),
      ]);
    }
  });
});
