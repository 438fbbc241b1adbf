import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { exchangeLogKeyFiles } from '@umg/config';
import { kafkaTopics } from '@umg/contracts';
import { type ChainHead, headIsAuthentic, parseHeads, publicKeysOf } from '@umg/exchange-log';
import { kafkaIdentityEnv } from '../tools/dev/kafka-identities';
import { addOAuthClient } from '../tools/pki/oauth-client-file';
import { eventually, query } from './support/database';
import { districtApi } from './support/district-api';
import { pki, pkiCommand } from './support/identity';
import { testEnv } from './support/test-env';

const pkiDir = process.env.TEST_PKI_DIR!;
const witnessFile = process.env.TEST_EXCHANGE_LOG_WITNESS_FILE!;
const gatewayKeys = () => publicKeysOf([readFileSync(exchangeLogKeyFiles(pkiDir, 'gateway').publicKey)]);

/** `npm run exchange-log:verify` with the services' public keys; its output and exit status. */
function verify(...args: string[]): { status: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [join(__dirname, '../dist/tools/exchange-log/verify.js'), ...args], {
      env: {
        ...process.env,
        DATABASE_URL: testEnv.databaseUrl,
        PKI_DIR: pkiDir,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        // The auditor reads the heads with an identity of the test broker's (the admin here).
        ...kafkaIdentityEnv({ dir: testEnv.kafkaDataDir, brokers: testEnv.kafkaBrokers }, 'admin'),
      },
    }).toString();
    return { status: 0, output };
  } catch (error) {
    return { status: (error as { status: number }).status, output: String((error as { stdout: Buffer }).stdout) };
  }
}

type LogRow = {
  party: string;
  operation: string;
  outcome: string;
  application_id: string | null;
  district_code: string | null;
  detail: string | null;
  request_hash: string;
  signature: string | null;
};
const recordsOf = (requestId: string) =>
  query<LogRow>(
    `SELECT party, operation, outcome, application_id, district_code, detail, request_hash, signature
       FROM gateway.exchange_log WHERE request_id = $1 ORDER BY seq`,
    [requestId],
  );

describe('exchange log (F8)', () => {
  it('has a write in the signed log before its answer, naming the application and district', async () => {
    const applicationId = randomUUID();
    const requestId = randomUUID();
    const answer = await districtApi('serdika', 'POST', `/v1/applications/${applicationId}/registration`, {
      body: { registrationNumber: 'X-1' },
      headers: { 'X-Correlation-Id': requestId, 'If-Match': '"1"', 'Idempotency-Key': randomUUID() },
    });
    expect(answer.status).toBe(404);
    // Read at once, without waiting: the record was committed before the answer was sent.
    expect(await recordsOf(requestId)).toEqual([
      expect.objectContaining({
        party: expect.stringMatching(/^district:serdika:/),
        operation: 'POST /v1/applications/:applicationId/registration',
        outcome: '404',
        application_id: applicationId,
        district_code: 'serdika',
        signature: expect.stringMatching(/^[\w-]{86}$/),
      }),
    ]);
  });

  it('records a read of an application by its id on its own, naming the application', async () => {
    const applicationId = randomUUID();
    const requestId = randomUUID();
    const answer = await districtApi('serdika', 'GET', `/v1/applications/${applicationId}`, {
      headers: { 'X-Correlation-Id': requestId },
    });
    expect(answer.status).toBe(404);
    const [record] = await eventually(
      () => recordsOf(requestId),
      (rows) => rows.length === 1,
    );
    expect(record).toEqual(
      expect.objectContaining({
        operation: 'GET /v1/applications/:applicationId',
        outcome: '404',
        application_id: applicationId,
        district_code: 'serdika',
        detail: null,
      }),
    );
  });

  it('counts polls that find nothing into a summary record per credential and route, hashing what each asked', async () => {
    // Submitted in the far future: nothing is found, whatever other tests filed. A district no
    // other test polls, so the summaries hold only these polls.
    const poll = async (limit: number) => {
      const requestId = randomUUID();
      const answer = await districtApi<{ items: unknown[] }>(
        'lozenets',
        'GET',
        `/v1/applications?submittedFrom=2999-01-01T00:00:00Z&limit=${limit}`,
        { headers: { 'X-Correlation-Id': requestId } },
      );
      expect(answer.status).toBe(200);
      expect(answer.body.items).toEqual([]);
      return requestId;
    };
    const summariesOf = async (requestIds: string[]) =>
      query<LogRow & { request_id: string }>(
        `SELECT request_id, party, operation, outcome, application_id, district_code, detail, request_hash, signature
           FROM gateway.exchange_log WHERE request_id = ANY($1) ORDER BY seq`,
        [requestIds],
      );
    const pollsIn = (rows: LogRow[]) =>
      rows.reduce(
        (sum, row) => sum + Number(/^nothing found: (\d+) polls from \S+ to \S+$/.exec(row.detail ?? '')?.[1]),
        0,
      );

    const asked = await Promise.all([1, 2, 3].map(poll));
    // Written every EXCHANGE_LOG_POLL_SUMMARY_MS (1 s in tests), named by the first poll it counts
    // (usually one summary; two when the interval ended between the polls).
    const summaries = await eventually(
      () => summariesOf(asked),
      (rows) => pollsIn(rows) === 3,
    );
    expect(summaries.length).toBeLessThan(3);
    for (const summary of summaries) {
      expect(summary).toEqual(
        expect.objectContaining({
          party: expect.stringMatching(/^district:lozenets:/),
          operation: 'GET /v1/applications',
          outcome: '200',
          application_id: null,
          district_code: 'lozenets',
          signature: expect.stringMatching(/^[\w-]{86}$/),
        }),
      );
    }

    // A summary commits to what its polls asked: polls with other queries hash differently.
    const others = await Promise.all([4, 5, 6].map(poll));
    const otherSummaries = await eventually(
      () => summariesOf(others),
      (rows) => pollsIn(rows) === 3,
    );
    const hashes = new Set(summaries.map((row) => row.request_hash));
    for (const other of otherSummaries) expect(hashes.has(other.request_hash)).toBe(false);
  });

  const username = `xlog-${randomUUID().slice(0, 8)}`;
  const password = `correct horse ${randomUUID()}`;
  beforeAll(() => {
    // In a hook of its own: the command blocks this process for seconds, and a keep-alive socket
    // the gateway closed meanwhile must be seen closed before the next request.
    expect(pkiCommand(['operator', username, 'operator'], { OPERATOR_PASSWORD: password }).status).toBe(0);
  });

  it('records operator sign-ins (refused and accepted), operator actions with their reason, and token issuance', async () => {
    const signIn = (secret: string) =>
      fetch(`${testEnv.gatewayUrl}/operator/v1/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Correlation-Id': randomUUID() },
        body: JSON.stringify({ username, password: secret }),
      });
    expect((await signIn('wrong password here')).status).toBe(401);
    const accepted = await signIn(password);
    expect(accepted.status).toBe(201);
    const cookie = accepted.headers.get('set-cookie')!.split(';')[0]!;
    const signIns = await query<LogRow>(
      `SELECT outcome FROM gateway.exchange_log WHERE party = $1 AND operation = 'operator sign-in (password)' ORDER BY seq`,
      [`operator:${username}`],
    );
    expect(signIns.map((row) => row.outcome)).toEqual(['invalid_credentials', 'signed_in']);

    const actionId = randomUUID();
    const action = await fetch(`${testEnv.gatewayUrl}/operator/v1/pushes/999999999/replay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-Correlation-Id': actionId },
      body: JSON.stringify({ reason: 'exchange-log test: checking the record' }),
    });
    expect(action.status).toBeGreaterThanOrEqual(400);
    expect(await recordsOf(actionId)).toEqual([
      expect.objectContaining({
        party: `operator:${username}`,
        operation: 'POST /operator/v1/pushes/:pushId/replay',
        detail: 'reason: exchange-log test: checking the record',
      }),
    ]);

    const clientId = `serdika-xlog-${randomUUID().slice(0, 8)}`;
    const secret = await addOAuthClient(pki.oauthClients, {
      clientId,
      districtCode: 'serdika',
      scopes: ['applications:read'],
    });
    const token = (clientSecret: string) =>
      fetch(`${testEnv.gatewayUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }),
      });
    expect((await token('not-the-secret-0123456789')).status).toBe(401);
    expect(
      (
        await eventually(
          () => token(secret),
          (response) => response.status === 200,
        )
      ).status,
    ).toBe(200);
    const tokens = await query<LogRow>(
      `SELECT outcome, district_code, detail FROM gateway.exchange_log WHERE party = $1 ORDER BY seq`,
      [`oauth-client:${clientId}`],
    );
    expect(tokens[0]).toMatchObject({ outcome: 'refused: invalid_client' });
    expect(tokens.at(-1)).toMatchObject({
      outcome: 'issued',
      district_code: 'serdika',
      detail: 'scope: applications:read',
    });
  });

  it('witnesses every service’s signed head on exchange-log.heads and in the witness file', async () => {
    const kafka = new Kafka({
      clientId: 'test-exchange-log-heads',
      ...testEnv.kafkaClient('admin'),
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `test-exchange-log-heads-${randomUUID()}` });
    const services = new Set<string>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: kafkaTopics.exchangeLogHeads, fromBeginning: true });
      await new Promise<void>((done) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            for (const head of parseHeads(message.value?.toString() ?? '')) {
              const keys = publicKeysOf([readFileSync(exchangeLogKeyFiles(pkiDir, head.service).publicKey)]);
              if (headIsAuthentic(head, keys) && message.key?.toString() === head.service) services.add(head.service);
            }
            if (services.size === 5) done();
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    expect([...services].sort()).toEqual(['applications', 'delivery', 'districts', 'gateway', 'payments']);
    const inFile = parseHeads(readFileSync(witnessFile, 'utf8'));
    expect(new Set(inFile.map((head) => head.service)).size).toBe(5);
  });

  it('detects the newest records deleted, and all of them, against the witnessed heads', async () => {
    await districtApi('serdika', 'GET', '/v1/applications?limit=1');
    const [{ seq }] = await query<{ seq: string }>('SELECT max(seq) AS seq FROM gateway.exchange_log');
    const keys = gatewayKeys();
    // Wait for a head at or past what we just did (heads come every 2 s in the test system).
    const heads = await eventually(
      async () => parseHeads(readFileSync(witnessFile, 'utf8')).filter((head) => head.service === 'gateway'),
      (found: ChainHead[]) => found.some((head) => head.seq >= Number(seq) && headIsAuthentic(head, keys)),
    );
    const witnessed = Math.max(...heads.map((head) => head.seq));
    await query('DROP SCHEMA IF EXISTS truncation_check CASCADE');
    await query('CREATE SCHEMA truncation_check');
    try {
      await query(
        'CREATE TABLE truncation_check.exchange_log AS SELECT * FROM gateway.exchange_log WHERE seq <= $1 ORDER BY seq',
        [witnessed],
      );
      const asGateway = ['--schema', 'truncation_check', '--service', 'gateway', '--witness', witnessFile];
      const intact = verify(...asGateway);
      expect(intact).toEqual({
        status: 0,
        output: expect.stringContaining(`chain intact (witnessed up to ${witnessed})`),
      });
      // Without the witness, a log cut short looks like a younger one; with it, it does not.
      await query('DELETE FROM truncation_check.exchange_log WHERE seq > $1', [witnessed - 3]);
      expect(verify('--schema', 'truncation_check', '--service', 'gateway').status).toBe(0);
      const cut = verify(...asGateway);
      expect(cut.status).toBe(1);
      expect(cut.output).toContain(`seq ${witnessed}: truncated — the log ends at ${witnessed - 3}`);
      await query('DELETE FROM truncation_check.exchange_log');
      const emptied = verify(...asGateway);
      expect(emptied.status).toBe(1);
      expect(emptied.output).toMatch(/truncated — the log is empty, .* every record was deleted/);
      // The same from the topic itself, keeping a copy of its heads as an auditor would.
      const saved = join(tmpdir(), `heads-${randomUUID()}.jsonl`);
      const fromTopic = verify(
        ...['--schema', 'truncation_check', '--service', 'gateway', '--heads-from-kafka', '--save-heads', saved],
      );
      expect(fromTopic.status).toBe(1);
      expect(fromTopic.output).toMatch(/truncated — the log is empty/);
      expect(parseHeads(readFileSync(saved, 'utf8')).some((head) => head.service === 'gateway')).toBe(true);
      rmSync(saved);
    } finally {
      await query('DROP SCHEMA truncation_check CASCADE');
    }
  });
});
