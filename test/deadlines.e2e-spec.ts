import { randomUUID } from 'node:crypto';
import { BulgarianCalendar, computeDeadline, IsoDate, SofiaTime, WorkingTime } from '@umg/calendar';
import type { ApplicationPage, ApplicationsInternal, Problem } from '@umg/contracts';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { eventually, query } from './support/database';
import { districtApi } from './support/district-api';
import { backOffice, confirmBankDetails, operatorApi } from './support/districts';
import { pkiCommand } from './support/identity';
import { decide, read, submitRouted } from './support/lifecycle';
import { paymentRequestsOf, simulator } from './support/payments';
import { testEnv } from './support/test-env';

type Schemas = ApplicationsInternal.components['schemas'];
type DecreeDay = Schemas['DecreeDay'];
type DecreeDayChange = Schemas['DecreeDayChange'];

/** Free, 7 working days from submission; paid (2.56 EUR), 7 working days from payment. */
const FREE = { serviceNumber: 2052, urgency: 'regular' as const };
const PAID = { serviceNumber: 2016, urgency: 'regular' as const };
const sevenWorkingDays = { unit: 'working_days', amount: 7 } as const;

/**
 * Deadlines that follow the rules, through every service on the real broker and database: the
 * term runs from submission or from payment, stops while the application is returned for
 * corrections, counts decree days an administrator enters through the operator API at once, and
 * due-soon and overdue alerts reach the district (API and push) and the console.
 */
describe('deadlines: term start, stopped clock, decree days, alerts', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const suffix = randomUUID().slice(0, 8);
  const cookies: Record<string, string> = {};
  /** Decree days this spec entered and has not deleted yet (deleted at the end). */
  const entered = new Set<number>();

  beforeAll(async () => {
    await portal.start();
    const passwords: Record<string, string> = {};
    for (const role of ['viewer', 'administrator'] as const) {
      passwords[role] = `correct horse ${randomUUID()}`;
      expect(
        pkiCommand(['operator', `${role}-${suffix}`, role], { OPERATOR_PASSWORD: passwords[role] }).output,
      ).toContain(`operator ${role}-${suffix}: ${role}`);
    }
    for (const role of ['viewer', 'administrator'] as const) {
      const signIn = () =>
        fetch(`${testEnv.gatewayUrl}/operator/v1/session`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: `${role}-${suffix}`, password: passwords[role] }),
        });
      const response = await signIn().catch(() => signIn());
      expect(response.status).toBe(201);
      cookies[role] = response.headers.get('set-cookie')!.split(';')[0]!;
    }
  }, 120_000);

  afterAll(async () => {
    for (const id of entered) {
      await console_('administrator', 'DELETE', `/operator/v1/calendar/decree-days/${id}`, {
        reason: 'end of the deadlines test',
      });
    }
    await portal.stop();
  });

  async function console_<T>(
    role: 'viewer' | 'administrator' | undefined,
    method: string,
    path: string,
    body?: unknown,
  ) {
    const response = await fetch(`${testEnv.gatewayUrl}${path}`, {
      method,
      headers: {
        ...(role ? { Cookie: cookies[role]! } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** The calendar as the applications service counts it: statutory days plus the decree days in force. */
  async function currentCalendar(): Promise<BulgarianCalendar> {
    const days = await console_<DecreeDay[]>('viewer', 'GET', '/operator/v1/calendar/decree-days');
    expect(days.status).toBe(200);
    const inForce = days.body.filter((day) => day.deletedAt === null);
    return new BulgarianCalendar({
      extraDaysOff: inForce.filter((day) => day.kind === 'day_off').map((day) => day.date),
      extraWorkingDays: inForce.filter((day) => day.kind === 'working_day').map((day) => day.date),
    });
  }

  async function enterDecreeDay(date: string, kind: 'working_day' | 'day_off', decreeReference: string) {
    const answer = await console_<DecreeDayChange>('administrator', 'POST', '/operator/v1/calendar/decree-days', {
      date,
      kind,
      decreeReference,
    });
    expect(answer.status).toBe(201);
    entered.add(answer.body.decreeDay.id);
    return answer.body;
  }

  it('stops the clock of a returned application and carries the working time it stood still over', async () => {
    // The clock only moves on working days: make today one if it is not, so the pause counts.
    const today = SofiaTime.dateOf(new Date());
    if (!(await currentCalendar()).isWorkingDay(today)) {
      await enterDecreeDay(today, 'working_day', 'РМС № 901/2026 (test: today worked)');
    }
    const { applicationId, submission } = await submitRouted(portal, { districtCode: 'serdika', ...FREE });
    const routed = await read('serdika', applicationId);
    expect(routed.deadline).toMatchObject({ state: 'on_time', termStartsAt: 'submission', pausedSince: null });
    expect(routed.deadline!.termStartedAt).toBe(routed.receivedAt);
    const dueBefore = routed.deadline!.dueAt!;
    expect(dueBefore).toBe(
      computeDeadline(await currentCalendar(), new Date(routed.receivedAt), sevenWorkingDays).toISOString(),
    );

    const returned = await decide('serdika', applicationId, 'return-for-corrections', routed.version, {
      reasons: [{ field: 'formData.purpose', message: 'Посочете целта на удостоверението' }],
    });
    expect(returned.status).toBe(200);
    const paused = await read('serdika', applicationId);
    expect(paused.deadline).toMatchObject({ state: 'paused', dueAt: dueBefore });
    expect(paused.deadline!.pausedSince).toBe(paused.timeline.at(-1)!.occurredAt);
    expect(paused.overdue).toBe(false);
    const pausedList = await districtApi<ApplicationPage>(
      'serdika',
      'GET',
      '/v1/applications?deadline=paused&limit=200',
    );
    expect(pausedList.body.items.map((item) => item.id)).toContain(applicationId);

    // The applicant takes a while to correct it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const rerouted = portal.waitFor(
      (message) =>
        message.type === 'status-changed' &&
        message.body.applicationId === applicationId &&
        message.body.previousStatus === 'returned_for_corrections',
    );
    await portal.submit({
      ...submission,
      formData: { purpose: 'Пред съда', copies: 2 },
      resubmissionOf: applicationId,
    });
    await rerouted;

    const resumed = await read('serdika', applicationId);
    const [pause] = resumed.deadline!.pauses!;
    expect(pause!.pausedAt).toBe(paused.deadline!.pausedSince);
    expect(pause!.resumedAt).toBe(resumed.timeline.at(-1)!.occurredAt);
    // Today is a working day: every millisecond with the applicant was working time.
    expect(pause!.workingMs).toBe(Date.parse(pause!.resumedAt!) - Date.parse(pause!.pausedAt));
    expect(pause!.workingMs).toBeGreaterThanOrEqual(1_500);
    expect(resumed.deadline).toMatchObject({ state: 'on_time', pausedSince: null });
    const dueAfter = resumed.deadline!.dueAt!;
    // Moved on by exactly the paused working time, not restarted from the resubmission.
    expect(WorkingTime.between(await currentCalendar(), new Date(dueBefore), new Date(dueAfter))).toBe(
      pause!.workingMs,
    );
    expect(resumed.timeline.at(-1)!.details).toMatchObject({
      deadlineClock: 'resumed',
      pausedWorkingMs: pause!.workingMs,
      dueAt: dueAfter,
    });
  });

  it('starts the term of a paid service at payment', async () => {
    const { applicationId } = await submitRouted(portal, { districtCode: 'serdika', ...PAID });
    const routed = await read('serdika', applicationId);
    expect(routed.deadline).toMatchObject({
      state: 'not_started',
      dueAt: null,
      termStartsAt: 'payment',
      termStartedAt: null,
    });
    expect(routed.dueAt).toBeNull();
    const registered = await decide('serdika', applicationId, 'registration', routed.version, {
      registrationNumber: `СРД-${randomUUID().slice(0, 8)}`,
    });
    expect(registered.body.status).toBe('awaiting_payment');
    expect(registered.body.deadline!.state).toBe('not_started');

    const [request] = await eventually(
      () => paymentRequestsOf(applicationId),
      (found) => found[0]?.status === 'pending',
    );
    await simulator('POST', `/payments/${request!.paymentSystemId}/pay`);
    const paid = await eventually(
      () => read('serdika', applicationId),
      (application) => application.status === 'paid',
    );
    const payment = paid.timeline.at(-1)!;
    expect(paid.deadline!.termStartedAt).toBe(payment.occurredAt);
    const dueAt = computeDeadline(await currentCalendar(), new Date(payment.occurredAt), sevenWorkingDays);
    expect(paid.deadline).toMatchObject({ state: 'on_time', dueAt: dueAt.toISOString() });
    expect(paid.dueAt).toBe(dueAt.toISOString());
    expect(payment.details).toMatchObject({ deadlineClock: 'started', dueAt: dueAt.toISOString() });
  });

  it('moves an open application’s due time at once when an administrator enters a decree day, and back when it is deleted', async () => {
    const { applicationId } = await submitRouted(portal, { districtCode: 'serdika', ...FREE });
    const before = await read('serdika', applicationId);
    const calendar = await currentCalendar();
    // The next working day lies inside the 7-working-day term.
    const bridgeDay = calendar.addWorkingDays(SofiaTime.dateOf(new Date()), 1);
    const reference = `РМС № ${Math.floor(Math.random() * 900) + 100}/2026`;

    const refusedViewer = await console_<Problem>('viewer', 'POST', '/operator/v1/calendar/decree-days', {
      date: bridgeDay,
      kind: 'day_off',
      decreeReference: reference,
    });
    expect([refusedViewer.status, refusedViewer.body.code]).toEqual([403, 'operator_role_required']);
    const invalid = await console_<Problem>('administrator', 'POST', '/operator/v1/calendar/decree-days', {
      date: '2026-02-30',
      kind: 'day_off',
    });
    expect([invalid.status, invalid.body.code]).toEqual([400, 'validation_failed']);
    const sunday = IsoDate.addDays(bridgeDay, 7 - new Date(IsoDate.toUtcMs(bridgeDay)).getUTCDay());
    const nothing = await console_<Problem>('administrator', 'POST', '/operator/v1/calendar/decree-days', {
      date: sunday,
      kind: 'day_off',
      decreeReference: reference,
    });
    expect([nothing.status, nothing.body.code]).toEqual([422, 'decree_day_changes_nothing']);

    const change = await enterDecreeDay(bridgeDay, 'day_off', reference);
    expect(change.decreeDay).toMatchObject({
      date: bridgeDay,
      kind: 'day_off',
      decreeReference: reference,
      enteredBy: `operator:administrator-${suffix}`,
      deletedAt: null,
    });
    expect(change.recomputedApplications).toBeGreaterThanOrEqual(1);
    // At once: the next read already has the new due time, one working day later.
    const moved = await read('serdika', applicationId);
    const withDecree = await currentCalendar();
    expect(withDecree.isWorkingDay(bridgeDay)).toBe(false);
    const expected = computeDeadline(withDecree, new Date(before.receivedAt), sevenWorkingDays);
    expect(moved.deadline!.dueAt).toBe(expected.toISOString());
    // One working day later: the day taken off inside the term is added at its end.
    expect(withDecree.addWorkingDays(SofiaTime.dateOf(new Date(before.deadline!.dueAt!)), 1)).toBe(
      SofiaTime.dateOf(expected),
    );
    const dayOff = await console_<Schemas['CalendarYear']>(
      'viewer',
      'GET',
      `/operator/v1/calendar/days-off?year=${IsoDate.year(bridgeDay)}`,
    );
    expect(dayOff.body.days).toContainEqual({
      date: bridgeDay,
      name: 'Day off by Council of Ministers decision',
      reason: 'decree',
    });

    const twice = await console_<Problem>('administrator', 'POST', '/operator/v1/calendar/decree-days', {
      date: bridgeDay,
      kind: 'day_off',
      decreeReference: reference,
    });
    expect([twice.status, twice.body.code]).toEqual([409, 'decree_day_exists']);
    const noReason = await console_<Problem>(
      'administrator',
      'DELETE',
      `/operator/v1/calendar/decree-days/${change.decreeDay.id}`,
      {},
    );
    expect([noReason.status, noReason.body.code]).toEqual([400, 'validation_failed']);

    const deleted = await console_<DecreeDayChange>(
      'administrator',
      'DELETE',
      `/operator/v1/calendar/decree-days/${change.decreeDay.id}`,
      { reason: 'the decision was revoked' },
    );
    expect(deleted.status).toBe(200);
    entered.delete(change.decreeDay.id);
    expect(deleted.body.decreeDay).toMatchObject({
      deletedBy: `operator:administrator-${suffix}`,
      deletionReason: 'the decision was revoked',
    });
    expect((await read('serdika', applicationId)).deadline!.dueAt).toBe(before.deadline!.dueAt);
    const again = await console_<Problem>(
      'administrator',
      'DELETE',
      `/operator/v1/calendar/decree-days/${change.decreeDay.id}`,
      { reason: 'once more' },
    );
    expect([again.status, again.body.code]).toEqual([409, 'decree_day_deleted']);

    const audit = await console_<Schemas['CalendarAuditEntry'][]>('viewer', 'GET', '/operator/v1/calendar/audit');
    expect(audit.body.filter((entry) => entry.decreeDayId === change.decreeDay.id)).toEqual([
      expect.objectContaining({
        action: 'deleted',
        actor: `operator:administrator-${suffix}`,
        reason: 'the decision was revoked',
      }),
      expect.objectContaining({ action: 'entered', actor: `operator:administrator-${suffix}`, date: bridgeDay }),
    ]);
  });

  it('raises due soon and overdue once each, for the district API, a push district and the console', async () => {
    // A pull district reads the deadline state and filters by it.
    const { applicationId } = await submitRouted(portal, { districtCode: 'triaditsa', ...FREE });
    await query(`UPDATE applications.application SET due_at = now() + interval '1 hour' WHERE id = $1`, [
      applicationId,
    ]);
    await eventually(
      () =>
        query<{ due_soon_at: Date | null }>('SELECT due_soon_at FROM applications.application WHERE id = $1', [
          applicationId,
        ]),
      (rows) => rows[0]!.due_soon_at !== null,
    );
    const dueSoon = await districtApi<ApplicationPage>(
      'triaditsa',
      'GET',
      '/v1/applications?deadline=due_soon&limit=200',
    );
    expect(dueSoon.body.items.find((item) => item.id === applicationId)?.deadline?.state).toBe('due_soon');
    await query(`UPDATE applications.application SET due_at = now() - interval '1 hour' WHERE id = $1`, [
      applicationId,
    ]);
    await eventually(
      () =>
        query<{ overdue_at: Date | null }>('SELECT overdue_at FROM applications.application WHERE id = $1', [
          applicationId,
        ]),
      (rows) => rows[0]!.overdue_at !== null,
    );
    const overdue = await districtApi<ApplicationPage>(
      'triaditsa',
      'GET',
      '/v1/applications?deadline=overdue&deadline=due_soon&limit=200',
    );
    expect(overdue.body.items.find((item) => item.id === applicationId)).toMatchObject({
      overdue: true,
      deadline: { state: 'overdue' },
    });
    const onTime = await districtApi<ApplicationPage>(
      'triaditsa',
      'GET',
      '/v1/applications?deadline=on_time&limit=200',
    );
    expect(onTime.body.items.map((item) => item.id)).not.toContain(applicationId);
    const badFilter = await districtApi<Problem>('triaditsa', 'GET', '/v1/applications?deadline=late');
    expect([badFilter.status, badFilter.body.code]).toEqual([400, 'validation_failed']);
    // Once per threshold, however often the check runs.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const events = await query<{ message_type: string }>(
      `SELECT message_type FROM applications.outbox WHERE message_key = $1 AND message_type = ANY($2::text[]) ORDER BY 1`,
      [applicationId, ['bg.sofia.umg.application.due-soon.v1', 'bg.sofia.umg.application.overdue.v1']],
    );
    expect(events.map((event) => event.message_type)).toEqual([
      'bg.sofia.umg.application.due-soon.v1',
      'bg.sofia.umg.application.overdue.v1',
    ]);

    // The console's deadline view and its live stream.
    const alerts = await console_<Schemas['DeadlineAlerts']>(
      'viewer',
      'GET',
      '/operator/v1/deadline-alerts?district=triaditsa',
    );
    expect(alerts.body.items.find((item) => item.applicationId === applicationId)).toMatchObject({
      state: 'overdue',
      districtCode: 'triaditsa',
    });
    expect(alerts.body.overdue).toBeGreaterThanOrEqual(1);
    expect(await streamedDeadlines(applicationId)).toBe('overdue');

    // A push district's back office gets both alerts through its adapter.
    await backOffice.setMode('json', 'sredets', 'ok');
    await inPilotWith('sredets', FREE.serviceNumber);
    const pushed = await submitRouted(portal, { districtCode: 'sredets', ...FREE });
    await eventually(
      () => backOffice.registrations('json', 'sredets'),
      (entries) =>
        entries.some((entry) => entry.applicationId === pushed.applicationId && entry.kind === 'application'),
    );
    await query(`UPDATE applications.application SET due_at = now() + interval '1 hour' WHERE id = $1`, [
      pushed.applicationId,
    ]);
    await eventually(
      () => backOffice.registrations('json', 'sredets'),
      (entries) =>
        entries.some((entry) => entry.applicationId === pushed.applicationId && entry.kind === 'deadline_alert'),
    );
    await query(`UPDATE applications.application SET due_at = now() - interval '1 hour' WHERE id = $1`, [
      pushed.applicationId,
    ]);
    const alertsPushed = await eventually(
      async () =>
        (await backOffice.registrations('json', 'sredets')).filter(
          (entry) => entry.applicationId === pushed.applicationId && entry.kind === 'deadline_alert',
        ),
      (entries) => entries.length === 2,
    );
    expect(alertsPushed.map((entry) => [(entry as { status?: string }).status, entry.received]).sort()).toEqual([
      ['due_soon', 1],
      ['overdue', 1],
    ]);
    const deliveries = await query<{ kind: string; sequence: number; state: string }>(
      `SELECT kind, sequence, state FROM districts.outgoing_push WHERE application_id = $1 AND kind = 'deadline_alert' ORDER BY sequence`,
      [pushed.applicationId],
    );
    expect(deliveries).toEqual([
      { kind: 'deadline_alert', sequence: -2, state: 'answered' },
      { kind: 'deadline_alert', sequence: -1, state: 'answered' },
    ]);
  });

  /** Reads the console's event stream until a `deadlines` snapshot lists the application; its state. */
  async function streamedDeadlines(applicationId: string): Promise<string> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 30_000);
    try {
      const response = await fetch(`${testEnv.gatewayUrl}/operator/v1/events`, {
        headers: { Cookie: cookies.viewer!, Accept: 'text/event-stream' },
        signal: abort.signal,
      });
      expect(response.status).toBe(200);
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!/^event: deadlines$/m.test(frame)) continue;
          const data = JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) as Schemas['DeadlineAlerts'];
          const item = data.items.find((alert) => alert.applicationId === applicationId);
          if (item) return item.state;
        }
      }
      throw new Error('the event stream ended');
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }

  /** The push district in pilot with the service enabled, whatever earlier tests left it in. */
  async function inPilotWith(code: string, serviceNumber: number): Promise<void> {
    const district = await operatorApi<{ phase: string }>('GET', `/internal/v1/districts/${code}`);
    if (district.body.phase === 'not_started') {
      expect(
        (await operatorApi('POST', `/internal/v1/districts/${code}/phase`, { phase: 'onboarding', reason: 'ready' }))
          .status,
      ).toBe(200);
    }
    if (!['pilot', 'live'].includes(district.body.phase)) {
      await confirmBankDetails(code);
      const run = await operatorApi<{ passed: boolean }>('POST', `/internal/v1/districts/${code}/conformance-runs`);
      expect(run.body.passed).toBe(true);
      expect(
        (
          await operatorApi('POST', `/internal/v1/districts/${code}/phase`, {
            phase: 'pilot',
            reason: 'conformance passed',
          })
        ).status,
      ).toBe(200);
    }
    const enabled = await operatorApi('PUT', `/internal/v1/districts/${code}/services/${serviceNumber}`, {
      enabled: true,
      reason: 'deadlines test',
    });
    expect(enabled.status).toBe(200);
    await eventually(
      () =>
        query<{ services: { serviceNumber: number }[] }>(
          'SELECT services FROM applications.district_offering WHERE district_code = $1',
          [code],
        ),
      (rows) => rows[0]?.services.some((service) => service.serviceNumber === serviceNumber) ?? false,
    );
  }
});
