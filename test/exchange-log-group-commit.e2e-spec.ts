import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  type ChainedRecord,
  chainedRecordOf,
  ExchangeLog,
  exchangeLogColumns,
  ExchangeLogSigner,
  ExchangeRecorder,
  exchangeLogTableCreate,
  publicKeysOf,
  verifyChain,
} from '@umg/exchange-log';
import type { Logger } from '@umg/logging';
import { testEnv } from './support/test-env';

/**
 * Appends in a transaction of their own are written in groups (one lock, one insert, one commit
 * for those that arrive together): on the real database, many at once still make one unbroken
 * chain with every record in it once, and two writers on the same log never fork it.
 */
describe('exchange log group commit', () => {
  const schema = `exchange_log_test_${randomUUID().slice(0, 8)}`;
  const keys = generateKeyPairSync('ed25519');
  const signer = new ExchangeLogSigner(keys.privateKey);
  const publicKeys = publicKeysOf([keys.publicKey.export({ type: 'spki', format: 'pem' })]);
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'postgres', url: testEnv.databaseUrl, poolSize: 4 });
    await dataSource.initialize();
    await dataSource.query(`CREATE SCHEMA "${schema}"`);
    for (const statement of exchangeLogTableCreate(schema)) await dataSource.query(statement);
  });
  afterAll(async () => {
    // Leave nothing behind for `exchange-log:verify`, which checks every schema's log.
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  it('chains and signs 600 concurrent appends from two writers without a gap, a fork or a duplicate', async () => {
    // Two instances of one service: one key, one chain.
    const writers = [new ExchangeLog(schema, signer), new ExchangeLog(schema, signer)];
    const requestIds = Array.from({ length: 600 }, (_, i) => `request-${i}`);
    await Promise.all(
      requestIds.map((requestId, i) =>
        writers[i % 2]!.appendAlone(dataSource, {
          occurredAt: new Date(),
          party: 'district:serdika',
          direction: 'inbound',
          operation: 'GET /v1/applications/:applicationId',
          requestId,
          requestHash: 'a'.repeat(64),
          outcome: '200',
        }),
      ),
    );
    const rows = (await dataSource.query(
      `SELECT ${exchangeLogColumns} FROM "${schema}".exchange_log ORDER BY seq`,
    )) as Record<string, unknown>[];
    const records: ChainedRecord[] = rows.map(chainedRecordOf);
    expect(records).toHaveLength(600);
    expect(new Set(records.map((record) => record.requestId))).toEqual(new Set(requestIds));
    expect(verifyChain(records, { publicKeys }).problems).toEqual([]);
    expect(records.every((record) => record.signature !== null && record.keyId === signer.keyId)).toBe(true);
    // Fewer transactions than records: they were grouped.
    const [{ xacts }] = (await dataSource.query(
      `SELECT count(DISTINCT xmin::text)::int AS xacts FROM "${schema}".exchange_log`,
    )) as { xacts: number }[];
    expect(xacts).toBeLessThan(600);
  });

  it('writes the appends of a transaction at its commit, atomic with its effect, savepoints and rollbacks included', async () => {
    const log = new ExchangeLog(schema, signer);
    log.attach(dataSource);
    await dataSource.query(`CREATE TABLE "${schema}".effect (request_id text PRIMARY KEY)`);
    const exchange = (requestId: string) => ({
      occurredAt: new Date(),
      party: 'portal',
      direction: 'inbound' as const,
      operation: 'kafka portal.application-submitted',
      requestId,
      requestHash: 'b'.repeat(64),
      outcome: 'created',
    });
    const [{ before }] = (await dataSource.query(`SELECT count(*)::int AS before FROM "${schema}".exchange_log`)) as {
      before: number;
    }[];
    // 12 concurrent batches of 10 messages, each message in a savepoint as the consumer applies them:
    // every third message fails after its effect and append and is rolled back to its savepoint;
    // every fourth batch fails as a whole.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, batch) =>
        dataSource.transaction(async (manager) => {
          for (let i = 0; i < 10; i++) {
            const requestId = `batch-${batch}-message-${i}`;
            await manager.query('SAVEPOINT umg_message');
            await manager.query(`INSERT INTO "${schema}".effect VALUES ($1)`, [requestId]);
            await log.append(manager, exchange(requestId));
            if (i % 3 === 2) await manager.query('ROLLBACK TO SAVEPOINT umg_message');
            else await manager.query('RELEASE SAVEPOINT umg_message');
          }
          if (batch % 4 === 3) throw new Error('the batch fails');
        }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(3);

    const rows = (await dataSource.query(
      `SELECT ${exchangeLogColumns}, xmin::text AS xact FROM "${schema}".exchange_log ORDER BY seq`,
    )) as Record<string, unknown>[];
    const records: ChainedRecord[] = rows.map(chainedRecordOf);
    expect(verifyChain(records, { publicKeys }).problems).toEqual([]);
    const appended = rows.slice(before);
    const effects = (await dataSource.query(`SELECT request_id FROM "${schema}".effect ORDER BY request_id`)) as {
      request_id: string;
    }[];
    // A record for every effect that committed and for nothing else: 9 batches × (10 − 3) messages.
    expect(appended.map((row) => row.request_id as string).sort()).toEqual(effects.map((row) => row.request_id));
    expect(effects).toHaveLength(9 * 7);
    // Each batch's records in one transaction (its own), in one run of the chain.
    expect(new Set(appended.map((row) => row.xact)).size).toBe(9);
    for (const batch of new Set(appended.map((row) => (row.request_id as string).split('-message-')[0]))) {
      const seqs = appended
        .filter((row) => (row.request_id as string).startsWith(`${batch}-`))
        .map((row) => Number(row.seq));
      expect(Math.max(...seqs) - Math.min(...seqs)).toBe(seqs.length - 1);
    }
  });

  it('lets records nobody waits for share a transaction, and writes lingering ones at once when settled', async () => {
    const log = new ExchangeLog(schema, signer);
    const logger = { error: () => undefined } as unknown as Logger;
    const recorder = new ExchangeRecorder(dataSource, log, logger);
    const poll = (requestId: string) => ({
      party: 'e-delivery',
      direction: 'outbound' as const,
      operation: 'GetReceivedMessagesListPaged',
      requestId,
      requestHash: 'c'.repeat(64),
      outcome: '200',
    });
    // Polls a few milliseconds apart, as a worker's rounds over its districts make them.
    for (let i = 0; i < 20; i++) {
      recorder.record(poll(`poll-${i}`));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    // And one that would linger for a minute: settling (as at shutdown) writes it now.
    const settling = Date.now();
    const late = log.appendAlone(dataSource, { ...poll('late'), occurredAt: new Date() }, 60_000);
    await recorder.beforeApplicationShutdown();
    await late;
    expect(Date.now() - settling).toBeLessThan(5_000);

    const rows = (await dataSource.query(
      `SELECT ${exchangeLogColumns}, xmin::text AS xact FROM "${schema}".exchange_log
        WHERE request_id LIKE 'poll-%' OR request_id = 'late' ORDER BY seq`,
    )) as Record<string, unknown>[];
    expect(rows.map((row) => row.request_id)).toEqual([...Array.from({ length: 20 }, (_, i) => `poll-${i}`), 'late']);
    expect(new Set(rows.map((row) => row.xact)).size).toBeLessThanOrEqual(5);
    const all = (await dataSource.query(
      `SELECT ${exchangeLogColumns} FROM "${schema}".exchange_log ORDER BY seq`,
    )) as Record<string, unknown>[];
    expect(verifyChain(all.map(chainedRecordOf), { publicKeys }).problems).toEqual([]);
  });
});
