import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  type ChainedRecord,
  chainedRecordOf,
  ExchangeLog,
  exchangeLogColumns,
  ExchangeLogSigner,
  exchangeLogTableCreate,
  publicKeysOf,
  verifyChain,
} from '@umg/exchange-log';
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
});
