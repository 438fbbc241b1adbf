import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Application, ApplicationStatusChanged, Problem, SubmissionRejected } from '@umg/contracts';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { randomSubmission } from '../tools/simulators/portal/submission-factory';
import { eventually, query } from './support/database';
import { districtApi } from './support/district-api';
import { testEnv } from './support/test-env';

/** Portal intake on the real broker and database, read back through the gateway's REST API. */
describe('portal intake', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));

  beforeAll(() => portal.start(), 60_000);
  afterAll(() => portal.stop());

  async function submitAndWaitRouted(submission = randomSubmission({ districtCode: 'serdika' })) {
    const routed = portal.waitFor(
      (message) =>
        message.type === 'status-changed' &&
        message.body.portalApplicationId === submission.portalApplicationId &&
        message.body.status === 'routed',
    );
    await portal.submit(submission);
    const status = (await routed).body as ApplicationStatusChanged;
    return { submission, applicationId: status.applicationId };
  }

  it('stores a submission and serves it to its district through the gateway', async () => {
    const { submission, applicationId } = await submitAndWaitRouted();

    const answer = await districtApi<Application>('serdika', 'GET', `/v1/applications/${applicationId}`);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe(`"${answer.body.version}"`);
    expect(answer.body).toMatchObject({
      id: applicationId,
      portalApplicationId: submission.portalApplicationId,
      serviceNumber: submission.serviceNumber,
      districtCode: 'serdika',
      status: 'routed',
      registrationNumber: null,
      applicant: submission.applicant,
    });
    expect(answer.body.timeline.map((entry) => [entry.fromStatus, entry.toStatus, entry.actor.kind])).toEqual([
      [null, 'received', 'portal'],
      ['received', 'routed', 'system'],
    ]);
    expect(answer.body.attachments).toHaveLength(submission.attachments.length);
    expect(answer.body.attachments[0]!.sha256).toBe(submission.attachments[0]!.sha256);
    expect(answer.body.dueAt === null || Date.parse(answer.body.dueAt) > Date.parse(answer.body.receivedAt)).toBe(true);
  });

  it('creates one application when the same submission is delivered twice or republished', async () => {
    const submission = randomSubmission({ districtCode: 'triaditsa' });
    const messageId = randomUUID();
    await portal.submit(submission, messageId);
    await portal.submit(submission, messageId); // redelivery of the very same message
    await portal.submit(submission); // the portal publishing it again under a new message id
    // A later submission on the same key is processed after the three above (same partition).
    const { applicationId } = await submitAndWaitRouted({
      ...randomSubmission({ districtCode: 'triaditsa' }),
      portalApplicationId: `${submission.portalApplicationId}-later`,
    });

    const rows = await query<{ count: string }>(
      'SELECT count(*) FROM applications.application WHERE portal_application_id = $1',
      [submission.portalApplicationId],
    );
    expect(Number(rows[0]!.count)).toBe(1);
    const events = await query<{ count: string }>(
      `SELECT count(*) FROM applications.application_event e JOIN applications.application a ON a.id = e.application_id
       WHERE a.portal_application_id = $1`,
      [submission.portalApplicationId],
    );
    expect(Number(events[0]!.count)).toBe(2);
    expect(applicationId).toBeDefined();
  });

  it('answers an invalid submission to the portal with its reasons and stores nothing', async () => {
    const submission = { ...randomSubmission({ districtCode: 'serdika' }), serviceNumber: 999_999 };
    const rejected = portal.waitFor(
      (message) =>
        message.type === 'submission-rejected' && message.body.portalApplicationId === submission.portalApplicationId,
    );
    await portal.submit(submission);
    const body = (await rejected).body as SubmissionRejected;
    expect(body.reasons.map((reason) => reason.code)).toContain('unknown_service');
    const rows = await query('SELECT 1 FROM applications.application WHERE portal_application_id = $1', [
      submission.portalApplicationId,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('refuses an attachment whose content does not match its SHA-256, and logs each exchange with its outcome', async () => {
    const tampered = randomSubmission({ districtCode: 'serdika', attachments: 2 });
    tampered.attachments[1]!.sha256 = 'f'.repeat(64);
    const messageId = randomUUID();
    const rejected = portal.waitFor(
      (message) =>
        message.type === 'submission-rejected' && message.body.portalApplicationId === tampered.portalApplicationId,
    );
    await portal.submit(tampered, messageId);
    expect(((await rejected).body as SubmissionRejected).reasons).toEqual([
      expect.objectContaining({ code: 'attachment_checksum_mismatch', field: 'attachments[1].sha256' }),
    ]);
    const { applicationId } = await submitAndWaitRouted();

    // Written at the commit of the batch that applied them: one record each, naming the application when there is one.
    const records = await eventually(
      () =>
        query<{ request_id: string; outcome: string; application_id: string | null; district_code: string }>(
          `SELECT request_id, outcome, application_id, district_code FROM applications.exchange_log
            WHERE party = 'portal' AND (request_id = $1 OR application_id = $2)`,
          [messageId, applicationId],
        ),
      (rows) => rows.length === 2,
    );
    expect(records).toEqual(
      expect.arrayContaining([
        { request_id: messageId, outcome: 'rejected', application_id: null, district_code: 'serdika' },
        expect.objectContaining({ outcome: 'created', application_id: applicationId, district_code: 'serdika' }),
      ]),
    );
    const stored = await query('SELECT 1 FROM applications.application WHERE portal_application_id = $1', [
      tampered.portalApplicationId,
    ]);
    expect(stored).toHaveLength(0);
  });

  it('rejects a service not enabled in a district that has not started its rollout', async () => {
    const submission = randomSubmission({ districtCode: 'lyulin' });
    const rejected = portal.waitFor(
      (message) =>
        message.type === 'submission-rejected' && message.body.portalApplicationId === submission.portalApplicationId,
    );
    await portal.submit(submission);
    expect(((await rejected).body as SubmissionRejected).reasons.map((reason) => reason.code)).toEqual([
      'service_not_enabled',
    ]);
  });

  it('dead-letters a poison message with its reason and goes on consuming', async () => {
    const key = `poison-${randomUUID()}`;
    await portal.sendRaw(key, '{"this is": not json');
    const { applicationId } = await submitAndWaitRouted();

    const deadLetters = await eventually(
      () =>
        query<{ reason_code: string; topic: string }>(
          'SELECT reason_code, topic FROM applications.dead_letter WHERE message_key = $1',
          [key],
        ),
      (rows) => rows.length === 1,
    );
    expect(deadLetters[0]).toEqual({ reason_code: 'malformed_json', topic: 'portal.application-submitted' });
    expect(applicationId).toBeDefined();

    // The dead-letter entry is also published for operators, with the reason.
    const kafka = new Kafka({ ...testEnv.kafkaClient('admin'), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'applications.dead-letter', fromBeginning: true });
    const entry = await new Promise<Record<string, unknown>>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() === key) resolve(JSON.parse(message.value!.toString()));
        },
      });
    });
    await consumer.disconnect();
    expect(entry).toMatchObject({
      reasonCode: 'malformed_json',
      originalTopic: 'portal.application-submitted',
      originalKey: key,
    });
  });

  it('never shows one district’s application to another district (404, not 403)', async () => {
    const { applicationId } = await submitAndWaitRouted();

    const foreign = await districtApi<Problem>('nadezhda', 'GET', `/v1/applications/${applicationId}`);
    const missing = await districtApi<Problem>('nadezhda', 'GET', `/v1/applications/${randomUUID()}`);

    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect(foreign.body.code).toBe('application_not_found');
    expect({ ...foreign.body, instance: undefined, correlationId: undefined, detail: undefined }).toEqual({
      ...missing.body,
      instance: undefined,
      correlationId: undefined,
      detail: undefined,
    });
  });

  it('refuses a request without a valid credential with problem+json', async () => {
    const none = await districtApi<Problem>(null, 'GET', `/v1/applications/${randomUUID()}`);
    const wrong = await districtApi<Problem>(null, 'GET', `/v1/applications/${randomUUID()}`, {
      headers: { 'X-Api-Key': 'not-a-key-of-anyone-here' },
    });
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('unauthenticated');
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_credentials');
  });
});
