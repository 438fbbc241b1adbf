import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { ApplicationStatusChanged, DistrictsInternal, OperatorApi, Problem } from '@umg/contracts';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { randomSubmission } from '../tools/simulators/portal/submission-factory';
import { eventually, query } from './support/database';
import { backOffice, confirmBankDetails, operatorApi } from './support/districts';
import { pkiCommand } from './support/identity';
import { testEnv } from './support/test-env';

type Schemas = OperatorApi.components['schemas'];
type Districts = DistrictsInternal.components['schemas'];

/**
 * The console's recovery page over the operator API, on the real broker and database: a message
 * dead-lettered for a real reason is listed, inspected, replayed through the normal consumer path
 * once the cause is fixed (consumed once; a second replay changes nothing), or discarded with a
 * reason; parked pushes alike; a viewer reads but may not act.
 */
describe('operator API: recovery of dead letters and parked pushes', () => {
  const suffix = randomUUID().slice(0, 8);
  const cookies: Record<string, string> = {};
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  // A pilot district (pull, live) whose offerings this spec hides for a moment, the cause fixed below.
  const district = 'nadezhda';

  beforeAll(async () => {
    await portal.start();
    const passwords: Record<string, string> = {};
    for (const role of ['viewer', 'operator'] as const) {
      passwords[role] = `correct horse ${randomUUID()}`;
      expect(
        pkiCommand(['operator', `${role}-${suffix}`, role], { OPERATOR_PASSWORD: passwords[role] }).output,
      ).toContain(`operator ${role}-${suffix}: ${role}`);
    }
    for (const role of ['viewer', 'operator'] as const) {
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
  afterAll(() => portal.stop());

  async function call<T>(role: 'viewer' | 'operator', method: string, path: string, body?: unknown) {
    const response = await fetch(`${testEnv.gatewayUrl}${path}`, {
      method,
      headers: { Cookie: cookies[role]!, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** The district's offerings as the applications service holds them, taken away: intake cannot judge its submissions. */
  async function hideOfferings(): Promise<() => Promise<void>> {
    const [row] = await query<Record<string, unknown>>(
      `SELECT district_code, phase, adapter_style, services, version, changed_at FROM applications.district_offering
        WHERE district_code = $1`,
      [district],
    );
    expect(row).toBeDefined();
    await query('DELETE FROM applications.district_offering WHERE district_code = $1', [district]);
    return async () => {
      await query(
        `INSERT INTO applications.district_offering (district_code, phase, adapter_style, services, version, changed_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6) ON CONFLICT (district_code) DO NOTHING`,
        [
          row!.district_code,
          row!.phase,
          row!.adapter_style,
          JSON.stringify(row!.services),
          row!.version,
          row!.changed_at,
        ],
      );
    };
  }

  async function deadLetterOf(portalApplicationId: string, state: string) {
    const page = await eventually(
      () =>
        call<Schemas['OperatorDeadLetterPage']>(
          'viewer',
          'GET',
          `/operator/v1/dead-letters?service=applications&state=${state}&topic=portal.application-submitted&limit=200`,
        ),
      (answer) => answer.body.items.some((item) => item.key === portalApplicationId),
      60_000,
    );
    return page.body.items.find((item) => item.key === portalApplicationId)!;
  }

  const applicationsOf = (portalApplicationId: string) =>
    query<{ id: string; status: string }>(
      'SELECT id, status FROM applications.application WHERE portal_application_id = $1',
      [portalApplicationId],
    );

  /** Waits until the applications groups (main and intake lane) have consumed everything on their replay topic. */
  async function replaysConsumed(): Promise<void> {
    const admin = new Kafka({ ...testEnv.kafkaClient('admin'), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await eventually(
        async () => {
          const ends = await admin.fetchTopicOffsets('applications.replay');
          const caughtUp = async (groupId: string) => {
            const [committed] = await admin.fetchOffsets({ groupId, topics: ['applications.replay'] });
            return ends.every((end) => {
              const at = committed!.partitions.find((partition) => partition.partition === end.partition);
              return Number(end.high) === 0 || Number(at?.offset ?? -1) >= Number(end.high);
            });
          };
          return (await caughtUp('umg.applications')) && (await caughtUp('umg.applications.intake'));
        },
        (caughtUp) => caughtUp,
        60_000,
      );
    } finally {
      await admin.disconnect();
    }
  }

  it('replays a submission dead-lettered while its district’s offerings were unknown, once the cause is fixed: consumed once, a second replay changes nothing', async () => {
    const restore = await hideOfferings();
    const submission = randomSubmission({ districtCode: district });
    const messageId = randomUUID();
    try {
      await portal.submit(submission, messageId);
      const letter = await deadLetterOf(submission.portalApplicationId, 'open');
      expect(letter).toMatchObject({
        service: 'applications',
        ref: `applications:${letter.id}`,
        topic: 'portal.application-submitted',
        // Submissions are read by the intake lane, which dead-letters (and replays) in its own group.
        consumerGroup: 'umg.applications.intake',
        reasonCode: 'processing_failed',
        attempts: 3,
        state: 'open',
        replayCount: 0,
        replayedBy: null,
      });
      expect(await applicationsOf(submission.portalApplicationId)).toEqual([]);

      // Across every service too, under its ref.
      const all = await call<Schemas['OperatorDeadLetterPage']>(
        'viewer',
        'GET',
        '/operator/v1/dead-letters?state=open',
      );
      expect(all.status).toBe(200);
      expect(all.body.items.map((item) => item.ref)).toContain(letter.ref);

      const inspected = await call<Schemas['OperatorDeadLetterDetail']>(
        'viewer',
        'GET',
        `/operator/v1/dead-letters/applications/${letter.id}`,
      );
      expect(inspected.status).toBe(200);
      expect(inspected.body.messageId).toBe(messageId);
      expect(inspected.body.headers.ce_id).toBe(messageId);
      expect(inspected.body.payloadBase64).toBeNull();
      expect(inspected.body.payload).toMatchObject({ portalApplicationId: submission.portalApplicationId });
      expect(inspected.body.reasonMessage).toContain('not known yet');

      // A viewer may look but not replay.
      const refused = await call<Problem>('viewer', 'POST', '/operator/v1/dead-letter-replays', { ids: [letter.ref] });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('operator_role_required');
      expect((await deadLetterOf(submission.portalApplicationId, 'open')).state).toBe('open');
    } finally {
      await restore();
    }

    const replayed = await call<Schemas['DeadLetterRefOutcomes']>(
      'operator',
      'POST',
      '/operator/v1/dead-letter-replays',
      {
        ids: [`applications:${(await deadLetterOf(submission.portalApplicationId, 'open')).id}`],
      },
    );
    expect(replayed.status).toBe(200);
    expect(replayed.body.results).toHaveLength(1);
    expect(replayed.body.results[0]!.outcome).toBe('replayed');

    // Consumed through the normal path: the application appears, routed, once.
    const [application] = await eventually(
      () => applicationsOf(submission.portalApplicationId),
      (rows) => rows[0]?.status === 'routed',
      60_000,
    );
    const letter = await deadLetterOf(submission.portalApplicationId, 'replayed');
    expect(letter).toMatchObject({ state: 'replayed', replayCount: 1, replayedBy: `operator-${suffix}` });
    const inbox = await query<{ dead_lettered: boolean }>(
      'SELECT dead_lettered FROM applications.inbox WHERE consumer_group = $1 AND message_id = $2',
      // The service's one inbox, shared by its lanes.
      ['umg.applications', messageId],
    );
    expect(inbox).toEqual([{ dead_lettered: false }]);
    const timeline = () =>
      query<{ count: string }>('SELECT count(*) FROM applications.application_event WHERE application_id = $1', [
        application!.id,
      ]);
    const entriesBefore = (await timeline())[0]!.count;

    // A replay of a replay: ordered, consumed, and nothing changes.
    const again = await call<Schemas['DeadLetterRefOutcomes']>('operator', 'POST', '/operator/v1/dead-letter-replays', {
      ids: [letter.ref],
    });
    expect(again.body.results[0]!.outcome).toBe('replayed');
    await replaysConsumed();
    expect(await applicationsOf(submission.portalApplicationId)).toHaveLength(1);
    expect((await timeline())[0]!.count).toBe(entriesBefore);
    expect(await deadLetterOf(submission.portalApplicationId, 'replayed')).toMatchObject({
      state: 'replayed',
      replayCount: 2,
      attempts: 3,
    });
  });

  it('dead-letters a replay that fails again with its attempts counted, and discards it with a reason', async () => {
    const restore = await hideOfferings();
    const submission = randomSubmission({ districtCode: district });
    try {
      await portal.submit(submission);
      const letter = await deadLetterOf(submission.portalApplicationId, 'open');
      expect(letter.attempts).toBe(3);

      // The cause is not fixed: the replay fails as the first delivery did, and the same entry is open again.
      const replayed = await call<Schemas['DeadLetterRefOutcomes']>(
        'operator',
        'POST',
        '/operator/v1/dead-letter-replays',
        {
          ids: [letter.ref],
        },
      );
      expect(replayed.body.results).toEqual([{ id: letter.ref, outcome: 'replayed' }]);
      const reopened = await eventually(
        () =>
          call<Schemas['OperatorDeadLetterDetail']>(
            'viewer',
            'GET',
            `/operator/v1/dead-letters/applications/${letter.id}`,
          ),
        (answer) => answer.body.state === 'open' && answer.body.attempts === 6,
        60_000,
      );
      expect(reopened.body).toMatchObject({ reasonCode: 'processing_failed', replayCount: 1 });
      expect(await applicationsOf(submission.portalApplicationId)).toEqual([]);

      const noReason = await call<Problem>('operator', 'POST', '/operator/v1/dead-letter-discards', {
        ids: [letter.ref],
        reason: '  ',
      });
      expect(noReason.status).toBe(400);
      expect(noReason.body.code).toBe('reason_required');
      const badRef = await call<Problem>('operator', 'POST', '/operator/v1/dead-letter-replays', { ids: ['portal:1'] });
      expect(badRef.status).toBe(400);
      expect(badRef.body.code).toBe('validation_failed');
      const viewerDiscard = await call<Problem>('viewer', 'POST', '/operator/v1/dead-letter-discards', {
        ids: [letter.ref],
        reason: 'viewer tries',
      });
      expect(viewerDiscard.status).toBe(403);

      const discarded = await call<Schemas['DeadLetterRefOutcomes']>(
        'operator',
        'POST',
        '/operator/v1/dead-letter-discards',
        {
          ids: [letter.ref, 'applications:999999999'],
          reason: 'the applicant filed it again on the portal',
        },
      );
      expect(discarded.body.results).toEqual([
        { id: letter.ref, outcome: 'discarded' },
        { id: 'applications:999999999', outcome: 'not_found' },
      ]);
      const open = await call<Schemas['OperatorDeadLetterPage']>(
        'viewer',
        'GET',
        '/operator/v1/dead-letters?service=applications&state=open&limit=200',
      );
      expect(open.body.items.map((item) => item.ref)).not.toContain(letter.ref);
      expect(await deadLetterOf(submission.portalApplicationId, 'discarded')).toMatchObject({
        state: 'discarded',
        discardedBy: `operator-${suffix}`,
        discardReason: 'the applicant filed it again on the portal',
      });
      // A discarded message is not replayed.
      const late = await call<Schemas['DeadLetterRefOutcomes']>(
        'operator',
        'POST',
        '/operator/v1/dead-letter-replays',
        {
          ids: [letter.ref],
        },
      );
      expect(late.body.results).toEqual([{ id: letter.ref, outcome: 'already_discarded' }]);
    } finally {
      await restore();
    }
    const missing = await call<Problem>('viewer', 'GET', '/operator/v1/dead-letters/payments/999999999');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('dead_letter_not_found');
  });

  describe('parked pushes', () => {
    const pushDistrict = 'sredets';

    /** Sredets (push JSON) in pilot with service 2079, whichever spec got it there first. */
    async function pushDistrictInPilot(): Promise<void> {
      const { body } = await operatorApi<{ phase: string }>('GET', `/internal/v1/districts/${pushDistrict}`);
      if (body.phase === 'not_started') {
        await operatorApi('POST', `/internal/v1/districts/${pushDistrict}/phase`, {
          phase: 'onboarding',
          reason: 'back office ready',
        });
      }
      if (body.phase === 'not_started' || body.phase === 'onboarding') {
        await confirmBankDetails(pushDistrict);
        const run = await operatorApi<{ passed: boolean }>(
          'POST',
          `/internal/v1/districts/${pushDistrict}/conformance-runs`,
        );
        expect(run.body.passed).toBe(true);
        const pilot = await operatorApi('POST', `/internal/v1/districts/${pushDistrict}/phase`, {
          phase: 'pilot',
          reason: 'conformance passed',
        });
        expect(pilot.status).toBe(200);
      }
      await operatorApi('PUT', `/internal/v1/districts/${pushDistrict}/services/2079`, {
        enabled: true,
        reason: 'the recovery test needs a pushed service',
      });
      await eventually(
        () =>
          query<{ phase: string; services: { serviceNumber: number }[] }>(
            'SELECT phase, services FROM applications.district_offering WHERE district_code = $1',
            [pushDistrict],
          ),
        (rows) =>
          ['pilot', 'live'].includes(rows[0]?.phase ?? '') && rows[0]!.services.some((s) => s.serviceNumber === 2079),
      );
    }

    async function routed(): Promise<string> {
      const submission = randomSubmission({ districtCode: pushDistrict, serviceNumber: 2079 });
      const answered = portal.waitFor(
        (message) =>
          message.type === 'status-changed' && message.body.portalApplicationId === submission.portalApplicationId,
      );
      await portal.submit(submission);
      return ((await answered).body as ApplicationStatusChanged).applicationId;
    }

    afterAll(() => backOffice.setMode('json', pushDistrict, 'ok'));

    it('lists and inspects pushes the back office refused, replays one once it is fixed and discards another with a reason', async () => {
      await pushDistrictInPilot();
      await backOffice.setMode('json', pushDistrict, 'reject');
      const first = await routed();
      const second = await routed();
      const page = await eventually(
        () =>
          call<Districts['ParkedPushPage']>(
            'viewer',
            'GET',
            `/operator/v1/parked-pushes?district=${pushDistrict}&limit=200`,
          ),
        (answer) =>
          [first, second].every((id) =>
            answer.body.items.some((push) => push.applicationId === id && push.kind === 'application'),
          ),
        60_000,
      );
      const parkedOf = (applicationId: string) =>
        page.body.items.find((push) => push.applicationId === applicationId && push.kind === 'application')!;
      const [one, other] = [parkedOf(first), parkedOf(second)];
      expect(one).toMatchObject({ districtCode: pushDistrict, state: 'parked', replayCount: 0, discardedBy: null });

      const detail = await call<Districts['ParkedPushDetail']>('viewer', 'GET', `/operator/v1/parked-pushes/${one.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.payload).toMatchObject({ applicationId: first });
      expect(detail.body.attemptLog.length).toBeGreaterThanOrEqual(1);
      expect(detail.body.attemptLog[0]!.httpStatus).toBe(422);

      const viewerReplay = await call<Problem>('viewer', 'POST', '/operator/v1/parked-push-replays', { ids: [one.id] });
      expect(viewerReplay.status).toBe(403);

      await backOffice.setMode('json', pushDistrict, 'ok');
      const replayed = await call<Districts['ParkedPushOutcomes']>(
        'operator',
        'POST',
        '/operator/v1/parked-push-replays',
        {
          ids: [one.id],
          reason: 'Sredets fixed its registry',
        },
      );
      expect(replayed.body.results).toEqual([{ id: one.id, outcome: 'replayed' }]);
      const delivered = await eventually(
        () => call<Districts['ParkedPushDetail']>('viewer', 'GET', `/operator/v1/parked-pushes/${one.id}`),
        (answer) => answer.body.state === 'answered',
        60_000,
      );
      expect(delivered.body).toMatchObject({ replayCount: 1, replayedBy: `operator:operator-${suffix}` });

      const discarded = await call<Districts['ParkedPushOutcomes']>(
        'operator',
        'POST',
        '/operator/v1/parked-push-discards',
        {
          ids: [other.id, one.id],
          reason: 'the applicant withdrew it by phone',
        },
      );
      expect(discarded.body.results).toEqual([
        { id: other.id, outcome: 'discarded' },
        { id: one.id, outcome: 'not_parked' },
      ]);
      const parkedNow = await call<Districts['ParkedPushPage']>(
        'viewer',
        'GET',
        `/operator/v1/parked-pushes?district=${pushDistrict}&limit=200`,
      );
      expect(parkedNow.body.items.map((push) => push.id)).not.toContain(other.id);
      const gaveUp = await call<Districts['ParkedPushPage']>(
        'viewer',
        'GET',
        `/operator/v1/parked-pushes?district=${pushDistrict}&state=discarded&limit=200`,
      );
      expect(gaveUp.body.items.find((push) => push.id === other.id)).toMatchObject({
        state: 'discarded',
        discardedBy: `operator:operator-${suffix}`,
        discardReason: 'the applicant withdrew it by phone',
      });
      // Both actions are in the district's audit trail under the operator's name.
      const audit = await operatorApi<{ change: string; actor: string; reason: string; after: { pushId: number } }[]>(
        'GET',
        `/internal/v1/districts/${pushDistrict}/audit`,
      );
      expect(
        audit.body
          .filter((entry) => [one.id, other.id].includes(entry.after?.pushId))
          .map(({ change, actor, reason }) => ({ change, actor, reason })),
      ).toEqual(
        expect.arrayContaining([
          { change: 'push_replay', actor: `operator:operator-${suffix}`, reason: 'Sredets fixed its registry' },
          {
            change: 'push_discard',
            actor: `operator:operator-${suffix}`,
            reason: 'the applicant withdrew it by phone',
          },
        ]),
      );
      const noReason = await call<Problem>('operator', 'POST', '/operator/v1/parked-push-discards', { ids: [one.id] });
      expect(noReason.status).toBe(400);
      expect(noReason.body.code).toBe('reason_required');
    });
  });
});
