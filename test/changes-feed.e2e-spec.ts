import { randomBytes } from 'node:crypto';
import { findDistrict } from '@umg/catalogue';
import type { ApplicationChange, ApplicationChangePage, DistrictsInternal, Problem } from '@umg/contracts';
import { demoBankDetails } from '../tools/dev/demo-onboarding';
import { ChangesWebhookReceiver } from '../tools/simulators/district-pull/changes-webhook';
import { DistrictPullClient } from '../tools/simulators/district-pull/district-pull-client';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { randomSubmission } from '../tools/simulators/portal/submission-factory';
import { eventually, query } from './support/database';
import { districtApi } from './support/district-api';
import { decide, read, submitRouted } from './support/lifecycle';
import { type OperatorSession, signedInOperator } from './support/operator-session';
import { districtKeys, testEnv } from './support/test-env';

type ConformanceRun = DistrictsInternal.components['schemas']['ConformanceRun'];
type DistrictService = DistrictsInternal.components['schemas']['DistrictService'];

/** A birth certificate (2052) is free: routed → registered → in progress → result ready → delivered. */
const FREE = { serviceNumber: 2052, urgency: 'regular' as const };

/**
 * Issue 18 (4, 6c): the changes feed. Iskar — a pull district no other test or profile file
 * touches — is onboarded through the operator API alone, and its back office (the pull simulator)
 * learns of everything through `GET /v1/applications/changes` (long-poll), never by listing.
 */
describe('changes feed of a pull district', () => {
  const code = 'iskar';
  const base = `/operator/v1/districts/${code}`;
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  let administrator: OperatorSession;

  const feed = (query: Record<string, string>) =>
    districtApi<ApplicationChangePage>(code, 'GET', `/v1/applications/changes?${new URLSearchParams(query)}`);

  /** Reads the feed to its end (no wait) and returns the cursor there. */
  async function head(): Promise<string> {
    let after: string | undefined;
    for (;;) {
      const page = await feed({ limit: '200', ...(after ? { after } : {}) });
      expect(page.status).toBe(200);
      if (page.body.items.length === 0) return page.body.nextCursor;
      after = page.body.nextCursor;
    }
  }

  function feedClient(): DistrictPullClient {
    return new DistrictPullClient({
      gatewayUrl: testEnv.gatewayUrl,
      apiKey: districtKeys[code]!,
      registrationPrefix: 'ИСК',
      processToResult: true,
      concurrency: 4,
    });
  }

  /** Runs the client's feed loop in the background until stopped; keeps what it did. */
  function follow(client: DistrictPullClient) {
    const lines: string[] = [];
    let running = true;
    const loop = (async () => {
      while (running) lines.push(...(await client.followChanges(1)));
    })();
    return {
      lines,
      stop: async () => {
        running = false;
        await loop;
      },
    };
  }

  beforeAll(async () => {
    await portal.start();
    administrator = await signedInOperator('administrator', 'changes-feed');
  }, 60_000);
  afterAll(() => portal.stop());

  it('onboards the pull office by configuration: its feed-following client passes conformance, then pilot', async () => {
    const onboarding = await administrator.call('POST', `${base}/phase`, {
      phase: 'onboarding',
      reason: 'the district’s back office follows the changes feed',
    });
    expect(onboarding.status).toBe(200);
    const payee = await administrator.call('PUT', `${base}/payee`, {
      bank: demoBankDetails(findDistrict(code)!.no),
      reason: 'the district confirmed the account its fees are paid into',
    });
    expect(payee.status).toBe(200);

    const started = await administrator.call<ConformanceRun>('POST', `${base}/conformance-runs`);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'running', adapterStyle: 'pull' });
    const client = feedClient();
    const following = follow(client);
    const finished = await eventually(
      async () => (await administrator.call<ConformanceRun>('GET', `${base}/conformance-runs/${started.body.id}`)).body,
      (run) => run.status !== 'running',
      60_000,
    ).finally(() => following.stop());
    expect(finished.status).toBe('passed');
    expect(finished.checks.every((check) => check.passed)).toBe(true);
    // Learned through the feed: it never had to resync by listing.
    expect(following.lines.some((line) => line.startsWith('resync'))).toBe(false);
    expect(following.lines.some((line) => line.startsWith(`registered ${started.body.sandboxApplicationId}`))).toBe(
      true,
    );

    const pilot = await administrator.call('POST', `${base}/phase`, { phase: 'pilot', reason: 'conformance passed' });
    expect(pilot.status).toBe(200);
    const service = await administrator.call<DistrictService>('PUT', `${base}/service-phases/${FREE.serviceNumber}`, {
      phase: 'pilot',
      reason: 'first service of the pilot',
    });
    expect(service.status).toBe(200);
    // The applications service routes to it once the offering has reached it.
    await eventually(
      () =>
        query<{ services: unknown }>(`SELECT services FROM applications.district_offering WHERE district_code = $1`, [
          code,
        ]),
      (rows) => JSON.stringify(rows[0]?.services ?? []).includes(String(FREE.serviceNumber)),
    );
  }, 120_000);

  it('runs applications to delivered results, learning of them only through the feed', async () => {
    const client = feedClient();
    const following = follow(client);
    try {
      const ids: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        ids.push((await submitRouted(portal, { districtCode: code, ...FREE })).applicationId);
      }
      for (const id of ids) {
        const final = await eventually(
          () => read(code, id),
          (application) => application.status === 'delivered',
          60_000,
        );
        expect(final.registrationNumber).toMatch(/^ИСК-/);
        expect(final.timeline.map((entry) => entry.toStatus)).toEqual([
          'received',
          'routed',
          'registered',
          'in_progress',
          'result_ready',
          'delivered',
        ]);
      }
    } finally {
      await following.stop();
    }
    expect(following.lines.some((line) => line.startsWith('resync'))).toBe(false);
  }, 180_000);

  it('answers a waiting long-poll within a second of a change, without listing', async () => {
    const samples: { requestToAnswerMs: number; occurredToAnswerMs: number }[] = [];
    for (let round = 0; round < 5; round += 1) {
      const { applicationId } = await submitRouted(portal, { districtCode: code, ...FREE });
      const application = await read(code, applicationId);
      const after = await head();
      const waiting = feed({ after, wait: '20' }).then((answer) => ({ answer, at: Date.now() }));
      // Let the long-poll settle into its wait before the change happens.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const requestedAt = Date.now();
      const registered = await decide(code, applicationId, 'registration', application.version, {
        registrationNumber: `ИСК-LAT-${randomBytes(4).toString('hex')}`,
      });
      expect(registered.status).toBe(200);
      const { answer, at } = await waiting;
      expect(answer.status).toBe(200);
      const change = answer.body.items.find((item) => item.applicationId === applicationId)!;
      expect(change).toMatchObject({
        status: 'registered',
        previousStatus: 'routed',
        version: application.version + 1,
      });
      samples.push({ requestToAnswerMs: at - requestedAt, occurredToAnswerMs: at - Date.parse(change.occurredAt) });
    }
    const worst = Math.max(...samples.map((sample) => sample.requestToAnswerMs));
    console.log(
      `changes feed: long-poll answered ${samples.map((sample) => sample.requestToAnswerMs).join(', ')} ms after the change ` +
        `was requested (${samples.map((sample) => sample.occurredToAnswerMs).join(', ')} ms after it occurred); worst ${worst} ms`,
    );
    expect(worst).toBeLessThan(1000);

    // With nothing happening, the long-poll answers empty at its timeout with the same cursor.
    const after = await head();
    const started = Date.now();
    const idle = await feed({ after, wait: '1' });
    expect(idle.status).toBe(200);
    expect(idle.body).toEqual({ items: [], nextCursor: after });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  }, 120_000);

  it('never skips or repeats a change under concurrent writers', async () => {
    const start = await head();
    const seen: ApplicationChange[] = [];
    let cursor = start;
    let writing = true;
    // A reader with small pages, following while many transactions commit at once.
    const reader = (async () => {
      for (;;) {
        const page = await feed({ after: cursor, limit: '7', wait: writing ? '1' : '0' });
        expect(page.status).toBe(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
        if (!writing && page.body.items.length === 0) return;
      }
    })();
    // The portal files them all at once (intake commits concurrently), then the district registers
    // and starts processing all of them at once.
    const submissions = Array.from({ length: 16 }, () => randomSubmission({ districtCode: code, ...FREE }));
    await Promise.all(submissions.map((submission) => portal.submit(submission)));
    const routed = await eventually(
      () =>
        query<{ id: string; version: number }>(
          `SELECT id, version FROM applications.application WHERE portal_application_id = ANY($1) AND status = 'routed'`,
          [submissions.map((submission) => submission.portalApplicationId)],
        ),
      (rows) => rows.length === submissions.length,
      120_000,
    );
    const ids = await Promise.all(
      routed.map(async ({ id, version }, index) => {
        const registered = await decide(code, id, 'registration', version, {
          registrationNumber: `ИСК-CON-${index}-${randomBytes(3).toString('hex')}`,
        });
        expect(registered.status).toBe(200);
        const started = await decide(code, id, 'processing', registered.body.version, {});
        expect(started.status).toBe(200);
        return id;
      }),
    );
    writing = false;
    await reader;

    const written = await query<{ application_id: string; sequence: number; to_status: string }>(
      `SELECT application_id, sequence, to_status FROM applications.application_event
       WHERE application_id = ANY($1::uuid[]) ORDER BY application_id, sequence`,
      [ids],
    );
    const mine = seen.filter((change) => ids.includes(change.applicationId));
    const key = (applicationId: string, version: number) => `${applicationId}#${version}`;
    // Every change once: the union of the pages is exactly the set of changes written.
    expect(new Set(mine.map((change) => key(change.applicationId, change.version))).size).toBe(mine.length);
    expect(mine.map((change) => key(change.applicationId, change.version)).sort()).toEqual(
      written.map((row) => key(row.application_id, row.sequence)).sort(),
    );
    // In order per application: versions 1, 2, 3, … as they happened.
    for (const id of ids) {
      const versions = mine.filter((change) => change.applicationId === id).map((change) => change.version);
      expect(versions).toEqual(versions.map((_, index) => index + 1));
    }
    console.log(`changes feed: ${mine.length} changes of ${ids.length} applications read once each, in order`);
  }, 180_000);

  it('refuses a mangled or another district’s cursor with 400, and one it does not know with 410', async () => {
    const mangled = await feed({ after: 'not-a-cursor' });
    expect(mangled.status).toBe(400);
    expect(mangled.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((mangled.body as unknown as Problem).code).toBe('invalid_cursor');

    const serdikas = await districtApi<ApplicationChangePage>('serdika', 'GET', '/v1/applications/changes?limit=1');
    expect(serdikas.status).toBe(200);
    const foreign = await feed({ after: serdikas.body.nextCursor });
    expect(foreign.status).toBe(400);
    expect((foreign.body as unknown as Problem).code).toBe('invalid_cursor');

    const ahead = await feed({ after: Buffer.from(`c1:${code}:999999999`).toString('base64url') });
    expect(ahead.status).toBe(410);
    expect((ahead.body as unknown as Problem).code).toBe('resync_required');

    const tooLong = await feed({ wait: '31' });
    expect(tooLong.status).toBe(400);
    expect((tooLong.body as unknown as Problem).code).toBe('validation_failed');
  });

  it('POSTs the same entries, signed, to the district’s webhook, retrying what failed', async () => {
    const secret = `webhook-${randomBytes(24).toString('hex')}`;
    const receiver = new ChangesWebhookReceiver(secret);
    const url = await receiver.start();
    try {
      const set = await administrator.call('PUT', `${base}/secret`, { secret, reason: 'the webhook’s HMAC secret' });
      expect(set.status).toBe(200);
      const profile = await administrator.call('PATCH', `${base}/profile`, {
        endpoint: url,
        reason: 'the district takes its changes by webhook',
      });
      expect(profile.status).toBe(200);
      const after = await head();
      // Its first delivery is refused for a moment: the gateway tries again.
      receiver.refuseNext(1, 503);
      const { applicationId } = await submitRouted(portal, { districtCode: code, ...FREE });
      const fromFeed = await eventually(
        async () => (await feed({ after })).body.items.filter((item) => item.applicationId === applicationId),
        (items) => items.length >= 2,
      );
      const byWebhook = await eventually(
        async () => receiver.accepted().filter((item) => item.applicationId === applicationId),
        (items) => items.length >= 2,
      );
      expect(byWebhook.slice(0, 2)).toEqual(fromFeed.slice(0, 2));
      expect(byWebhook.map((item) => item.status).slice(0, 2)).toEqual(['received', 'routed']);
      expect(receiver.calls.every((call) => call.signed)).toBe(true);
      expect(receiver.calls.some((call) => call.answered === 503)).toBe(true);
    } finally {
      await administrator.call('PATCH', `${base}/profile`, { endpoint: null, reason: 'back to the feed only' });
      await receiver.stop();
    }
  }, 120_000);
});
