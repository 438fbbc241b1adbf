import { createHash, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { ApplicationPage, Problem, SubmissionRejected } from '@umg/contracts';
import { DistrictPullClient } from '../tools/simulators/district-pull/district-pull-client';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { eventually, query } from './support/database';
import { districtApi } from './support/district-api';
import { decide, read, submitRouted } from './support/lifecycle';
import { districtKeys, testEnv } from './support/test-env';

/** A birth certificate (2052) is free; a certificate of heirs (2016) costs 2.56 EUR regular. */
const FREE = { serviceNumber: 2052, urgency: 'regular' as const };
const PAID = { serviceNumber: 2016, urgency: 'regular' as const };

/** The district REST API through the gateway, on the real broker and database. */
describe('district API lifecycle', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));

  beforeAll(() => portal.start(), 60_000);
  afterAll(() => portal.stop());

  it('takes a free application from routed to registered, in progress and result ready', async () => {
    const { applicationId } = await submitRouted(portal, { districtCode: 'serdika', ...FREE });
    const client = new DistrictPullClient({
      gatewayUrl: testEnv.gatewayUrl,
      apiKey: districtKeys.serdika!,
      registrationPrefix: 'СРД',
      processToResult: false,
    });

    const routed = await client.list('routed');
    expect(routed.map((item) => item.id)).toContain(applicationId);

    const registered = await client.register(routed.find((item) => item.id === applicationId)!);
    expect(registered.status).toBe('registered');
    expect(registered.registrationNumber).toMatch(/^СРД-\d{4}-\d+$/);

    const started = await decide('serdika', applicationId, 'processing', registered.version, {
      note: 'Проверка в ЛБД',
    });
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('in_progress');

    const result = await client.submitResult(started.body);
    expect(result.status).toBe('result_ready');
    expect(result.documents).toHaveLength(1);
    expect(result.documents[0]).toMatchObject({ kind: 'result', mediaType: 'application/pdf' });
    expect(result.timeline.map((entry) => [entry.toStatus, entry.actor.kind])).toEqual([
      ['received', 'portal'],
      ['routed', 'system'],
      ['registered', 'district'],
      ['in_progress', 'district'],
      ['result_ready', 'district'],
    ]);
    expect(result.timeline[2]!.actor.id).toMatch(/^serdika:api-key:/);
  });

  it('moves an application with a fee from registered to awaiting payment', async () => {
    const { applicationId } = await submitRouted(portal, { districtCode: 'triaditsa', ...PAID });
    const application = await read('triaditsa', applicationId);

    const answer = await decide('triaditsa', applicationId, 'registration', application.version, {
      registrationNumber: `ТРД-${randomUUID().slice(0, 8)}`,
    });

    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('awaiting_payment');
    expect(answer.body.timeline.slice(-2).map((entry) => [entry.toStatus, entry.actor.kind])).toEqual([
      ['registered', 'district'],
      ['awaiting_payment', 'system'],
    ]);
    // A free-of-charge step is refused: the district cannot skip payment.
    const skip = await decide('triaditsa', applicationId, 'processing', answer.body.version, {});
    expect(skip.status).toBe(409);
    expect((skip.body as unknown as Problem).code).toBe('transition_not_allowed');
  });

  it('replays an Idempotency-Key with the first answer, and refuses it for another body', async () => {
    const { applicationId } = await submitRouted(portal, { districtCode: 'nadezhda', ...FREE });
    const version = (await read('nadezhda', applicationId)).version;
    const key = randomUUID();
    const body = { registrationNumber: `НДЖ-${randomUUID().slice(0, 8)}` };

    const first = await decide('nadezhda', applicationId, 'registration', version, body, key);
    const replay = await decide('nadezhda', applicationId, 'registration', version, body, key);
    const reused = await decide(
      'nadezhda',
      applicationId,
      'registration',
      version,
      { registrationNumber: 'НДЖ-other' },
      key,
    );
    const missing = await decide('nadezhda', applicationId, 'registration', version, body, null);

    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(reused.status).toBe(422);
    expect((reused.body as unknown as Problem).code).toBe('idempotency_key_reused');
    expect(missing.status).toBe(400);
    expect((missing.body as unknown as Problem).code).toBe('idempotency_key_missing');
    const timeline = await query(
      'SELECT 1 FROM applications.application_event WHERE application_id = $1 AND to_status = $2',
      [applicationId, 'registered'],
    );
    expect(timeline).toHaveLength(1);
  });

  it('lets one of two concurrent registrations win; the other gets 409 or 412', async () => {
    const { applicationId } = await submitRouted(portal, { districtCode: 'bankya', ...FREE });
    const version = (await read('bankya', applicationId)).version;

    const answers = await Promise.all(
      ['БНК-1', 'БНК-2'].map((prefix) =>
        decide('bankya', applicationId, 'registration', version, {
          registrationNumber: `${prefix}-${randomUUID().slice(0, 6)}`,
        }),
      ),
    );

    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses[0]).toBe(200);
    expect([409, 412]).toContain(statuses[1]);
    const application = await read('bankya', applicationId);
    const winner = answers.find((answer) => answer.status === 200)!;
    expect(application.registrationNumber).toBe(winner.body.registrationNumber);
  });

  it('guards versions: stale If-Match → 412, missing → 428, impossible step → 409, bad body → 400', async () => {
    const { applicationId } = await submitRouted(portal, { districtCode: 'serdika', ...FREE });
    const version = (await read('serdika', applicationId)).version;

    const stale = await decide('serdika', applicationId, 'registration', version - 1, {
      registrationNumber: 'СРД-stale',
    });
    const missing = await decide('serdika', applicationId, 'registration', null, { registrationNumber: 'СРД-none' });
    const impossible = await decide('serdika', applicationId, 'processing', version, {});
    const invalid = await decide('serdika', applicationId, 'registration', version, {
      registrationNumber: 'x'.repeat(65),
    });

    expect([stale.status, missing.status, impossible.status, invalid.status]).toEqual([412, 428, 409, 400]);
    expect((stale.body as unknown as Problem).code).toBe('version_mismatch');
    expect((missing.body as unknown as Problem).code).toBe('precondition_required');
    expect((impossible.body as unknown as Problem).code).toBe('transition_not_allowed');
    expect((invalid.body as unknown as Problem).code).toBe('validation_failed');
    expect((invalid.body as unknown as Problem).errors?.[0]).toMatchObject({
      field: 'registrationNumber',
      code: 'too_long',
    });
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect((await read('serdika', applicationId)).status).toBe('routed');
  });

  it('refuses a registration number the district already used for another application', async () => {
    const number = `СРД-${randomUUID().slice(0, 8)}`;
    const first = await submitRouted(portal, { districtCode: 'serdika', ...FREE });
    const second = await submitRouted(portal, { districtCode: 'serdika', ...FREE });
    await decide('serdika', first.applicationId, 'registration', 2, { registrationNumber: number });

    const clash = await decide('serdika', second.applicationId, 'registration', 2, { registrationNumber: number });

    expect(clash.status).toBe(409);
    expect((clash.body as unknown as Problem).code).toBe('registration_number_taken');
  });

  it('never lets a district read, list or change another district’s application', async () => {
    const { applicationId } = await submitRouted(portal, { districtCode: 'serdika', ...FREE });

    const read404 = await districtApi<Problem>('triaditsa', 'GET', `/v1/applications/${applicationId}`);
    const change404 = await decide('triaditsa', applicationId, 'registration', 2, { registrationNumber: 'ТРД-steal' });
    const list = await districtApi<ApplicationPage>('triaditsa', 'GET', '/v1/applications?status=routed&limit=200');

    expect(read404.status).toBe(404);
    expect(change404.status).toBe(404);
    expect(list.body.items.every((item) => item.districtCode === 'triaditsa')).toBe(true);
    expect((await read('serdika', applicationId)).status).toBe('routed');
  });

  it('pages through a district’s applications with an opaque cursor tied to the filters', async () => {
    await submitRouted(portal, { districtCode: 'nadezhda', ...FREE });
    await submitRouted(portal, { districtCode: 'nadezhda', ...FREE });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer: { status: number; body: ApplicationPage } = await districtApi<ApplicationPage>(
        'nadezhda',
        'GET',
        `/v1/applications?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(answer.status).toBe(200);
      seen.push(...answer.body.items.map((item) => item.id));
      cursor = answer.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 500);
    const all = await query<{ id: string }>(
      `SELECT id FROM applications.application WHERE district_code = 'nadezhda' ORDER BY received_at, id`,
    );
    expect(seen).toEqual(all.map((row) => row.id));

    const first = await districtApi<ApplicationPage>('nadezhda', 'GET', '/v1/applications?limit=1');
    const otherFilter = await districtApi<Problem>(
      'nadezhda',
      'GET',
      `/v1/applications?limit=1&status=routed&cursor=${first.body.nextCursor}`,
    );
    const badStatus = await districtApi<Problem>('nadezhda', 'GET', '/v1/applications?status=lost');
    expect(otherFilter.status).toBe(400);
    expect(otherFilter.body.code).toBe('invalid_cursor');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.code).toBe('validation_failed');
  });

  it('serves the applicant’s attachments with their digest', async () => {
    const { applicationId, submission } = await submitRouted(portal, {
      districtCode: 'bankya',
      ...FREE,
      attachments: 2,
    });
    const application = await read('bankya', applicationId);

    for (const [index, attachment] of application.attachments.entries()) {
      const response = await fetch(
        `${testEnv.gatewayUrl}/v1/applications/${applicationId}/attachments/${attachment.id}`,
        {
          headers: { 'X-Api-Key': districtKeys.bankya! },
        },
      );
      const content = Buffer.from(await response.arrayBuffer());
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/pdf');
      expect(createHash('sha256').update(content).digest('hex')).toBe(attachment.sha256);
      expect(response.headers.get('repr-digest')).toBe(
        `sha-256=:${createHash('sha256').update(content).digest('base64')}:`,
      );
      const sent = submission.attachments.find((candidate) => candidate.sha256 === attachment.sha256);
      expect(sent).toBeDefined();
      expect(index).toBeLessThan(2);
    }
  });

  it('checks result uploads: wrong SHA-256 → 422, type not allowed → 415, over 10 MiB → 413', async () => {
    const { applicationId } = await submitRouted(portal, { districtCode: 'triaditsa', ...FREE });
    const registered = await decide('triaditsa', applicationId, 'registration', 2, {
      registrationNumber: `ТРД-${randomUUID().slice(0, 8)}`,
    });
    const started = await decide('triaditsa', applicationId, 'processing', registered.body.version, {});
    const upload = (metadata: Record<string, unknown>, content = Buffer.from('%PDF-1.4 result')) => {
      const form = new FormData();
      form.append('metadata', JSON.stringify({ fileName: 'r.pdf', kind: 'result', ...metadata }));
      form.append('document', new Blob([new Uint8Array(content)]), 'r.pdf');
      return fetch(`${testEnv.gatewayUrl}/v1/applications/${applicationId}/result`, {
        method: 'POST',
        body: form,
        headers: {
          'X-Api-Key': districtKeys.triaditsa!,
          'If-Match': `"${started.body.version}"`,
          'Idempotency-Key': randomUUID(),
        },
      });
    };

    const wrongDigest = await upload({ mediaType: 'application/pdf', sha256: 'a'.repeat(64) });
    const wrongType = await upload({
      mediaType: 'text/html',
      sha256: createHash('sha256').update('%PDF-1.4 result').digest('hex'),
    });

    const tooLarge = await upload(
      { mediaType: 'application/pdf', sha256: 'b'.repeat(64) },
      Buffer.alloc(10 * 1024 * 1024 + 1, 0x25),
    );

    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as Problem).code).toBe('payload_too_large');
    expect(wrongDigest.status).toBe(422);
    expect(((await wrongDigest.json()) as Problem).code).toBe('sha256_mismatch');
    expect(wrongType.status).toBe(415);
    expect(((await wrongType.json()) as Problem).code).toBe('unsupported_media_type');
    expect((await read('triaditsa', applicationId)).status).toBe('in_progress');
  });

  it('returns an application for corrections and takes the corrected one back', async () => {
    const { applicationId, submission } = await submitRouted(portal, { districtCode: 'serdika', ...FREE });
    const returned = await decide('serdika', applicationId, 'return-for-corrections', 2, {
      reasons: [{ field: 'formData.purpose', message: 'Посочете целта на удостоверението' }],
    });
    expect(returned.body.status).toBe('returned_for_corrections');

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

    const application = await read('serdika', applicationId);
    expect(application.status).toBe('routed');
    expect(application.formData).toEqual({ purpose: 'Пред съда', copies: 2 });
    expect(application.timeline.at(-1)).toMatchObject({ fromStatus: 'returned_for_corrections', toStatus: 'routed' });
  });

  it('withdraws on the applicant’s request, and refuses a withdrawal once work has started', async () => {
    const early = await submitRouted(portal, { districtCode: 'bankya', ...FREE });
    await portal.withdraw(early.submission.portalApplicationId, 'Вече не ми е нужно');
    await eventually(
      () => read('bankya', early.applicationId),
      (application) => application.status === 'withdrawn',
    );

    const late = await submitRouted(portal, { districtCode: 'bankya', ...FREE });
    const registered = await decide('bankya', late.applicationId, 'registration', 2, {
      registrationNumber: `БНК-${randomUUID().slice(0, 8)}`,
    });
    await decide('bankya', late.applicationId, 'processing', registered.body.version, {});
    const refused = portal.waitFor(
      (message) =>
        message.type === 'submission-rejected' &&
        message.body.portalApplicationId === late.submission.portalApplicationId,
    );
    await portal.withdraw(late.submission.portalApplicationId);
    expect(((await refused).body as SubmissionRejected).reasons[0]!.code).toBe('transition_not_allowed');
    expect((await read('bankya', late.applicationId)).status).toBe('in_progress');
  });

  it('shows the due time in working days and flags an application once it is overdue', async () => {
    // A free service: its term runs from submission (a paid one's from payment, see deadlines.e2e-spec).
    const { applicationId } = await submitRouted(portal, { districtCode: 'triaditsa', ...FREE });
    const application = await read('triaditsa', applicationId);
    // 7 working days are at least 9 calendar days away (a weekend at least once in between).
    expect(Date.parse(application.dueAt!) - Date.parse(application.receivedAt)).toBeGreaterThan(8 * 24 * 3600 * 1000);
    expect(application.overdue).toBe(false);

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
    const overdue = await districtApi<ApplicationPage>('triaditsa', 'GET', '/v1/applications?overdue=true&limit=200');
    expect(overdue.body.items.map((item) => item.id)).toContain(applicationId);
    const event = await query<{ message_id: string }>(
      `SELECT message_id FROM applications.outbox WHERE message_key = $1 AND message_type = 'bg.sofia.umg.application.overdue.v1'`,
      [applicationId],
    );
    expect(event).toHaveLength(1);
    // Districts queues the alert for push districts (an inbox row); payments and delivery pass it
    // by from its headers, before any database work: consumed, no inbox row, and not poison to
    // them (they used to dead-letter every one).
    await eventually(
      () => query(`SELECT 1 FROM districts.inbox WHERE message_id = $1`, [event[0]!.message_id]),
      (rows) => rows.length === 1,
    );
    await consumedUpToNow(['umg.payments', 'umg.delivery'], 'applications.events');
    for (const schema of ['payments', 'delivery', 'districts']) {
      const deadLetters = await query(`SELECT 1 FROM ${schema}.dead_letter WHERE headers->>'ce_id' = $1`, [
        event[0]!.message_id,
      ]);
      expect(deadLetters).toHaveLength(0);
    }
    for (const schema of ['payments', 'delivery']) {
      expect(await query(`SELECT 1 FROM ${schema}.inbox WHERE message_id = $1`, [event[0]!.message_id])).toEqual([]);
    }
  });
});

/** Waits until each group has committed past every message on the topic now. */
async function consumedUpToNow(groups: string[], topic: string): Promise<void> {
  const admin = new Kafka({ ...testEnv.kafkaClient('admin'), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const groupId of groups) {
      await eventually(
        async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions,
        (committed) =>
          ends.every((end) => {
            const at = committed.find((partition) => partition.partition === end.partition);
            return Number(at?.offset ?? -1) >= Number(end.high) || Number(end.high) === 0;
          }),
        60_000,
      );
    }
  } finally {
    await admin.disconnect();
  }
}
