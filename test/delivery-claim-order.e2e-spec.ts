import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Outbox } from '@umg/messaging';
import { ensureDatabase, postgresOptions, runMigrations } from '@umg/persistence';
import type { DeliveryConfig } from '../services/delivery/src/config';
import { deliveryDatabase } from '../services/delivery/src/database';
import { DeliveryHistory } from '../services/delivery/src/delivery/delivery-history';
import { DeliveryQueue } from '../services/delivery/src/sending/delivery-queue';

/**
 * The delivery worker's claim on the real PostgreSQL (a database of its own, so the running
 * service's worker does not take the rows): results before notices, notices never starved.
 */
const baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/umg_test';
const url = baseUrl.replace(/\/([^/]*)$/, (_whole, name: string) => `/${name}_claims`);

describe('delivery queue: which due delivery is claimed first', () => {
  let dataSource: DataSource;
  let queue: DeliveryQueue;

  beforeAll(async () => {
    await ensureDatabase(url);
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query('DROP SCHEMA IF EXISTS delivery CASCADE');
    await admin.end();
    dataSource = new DataSource(postgresOptions({ url, poolSize: 2, applicationName: 'claims', ...deliveryDatabase }));
    await dataSource.initialize();
    await runMigrations(dataSource, 'delivery');
    const history = new DeliveryHistory(new Outbox('delivery', 'urn:umg:service:delivery'));
    queue = new DeliveryQueue(dataSource, history, { DELIVERY_LEASE_MS: 60_000 } as DeliveryConfig);
  }, 60_000);

  afterAll(() => dataSource?.destroy());
  beforeEach(() => dataSource.query('TRUNCATE delivery.delivery CASCADE'));

  /** A delivery ready to send that fell due `secondsAgo` seconds ago. */
  async function due(noticeKind: string, secondsAgo: number): Promise<string> {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO delivery.delivery (id, application_id, district_code, notice_kind, event_sequence,
         service_reference_number, service_number, applicant, status, status_sequence, next_attempt_at,
         created_at, updated_at)
       VALUES ($1, $2, 'serdika', $3, 1, 'EGOV-1', 2016, '{"identifierType":"EGN","identifier":"8001010006","name":"И"}',
         'ready_to_send', 1, now() - make_interval(secs => $4), now(), now())`,
      [id, randomUUID(), noticeKind, secondsAgo],
    );
    return id;
  }

  const claimedIds = async (limit: number) => (await queue.claimDue(limit)).map((claim) => claim.delivery.id);

  it('claims a result that just fell due before a backlog of notices that fell due earlier', async () => {
    for (let index = 0; index < 30; index += 1) {
      await due(index % 2 ? 'registration_notice' : 'payment_notice', 5 + index);
    }
    const result = await due('result', 1);
    const refusal = await due('refusal', 0);

    expect(await claimedIds(2)).toEqual([result, refusal]);
    // The notices follow, oldest first.
    const next = await claimedIds(30);
    expect(next).toHaveLength(30);
  });

  it('claims a notice that fell due more than 60 s before a result first: notices wait, they do not starve', async () => {
    const result = await due('result', 1);
    const oldNotice = await due('payment_notice', 62);
    const recentNotice = await due('registration_notice', 30);

    expect(await claimedIds(1)).toEqual([oldNotice]);
    expect(await claimedIds(1)).toEqual([result]);
    expect(await claimedIds(1)).toEqual([recentNotice]);
  });

  it('serves the claim from an index in claim order', async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      // The tables are tiny: without this the planner reads them whole, which says nothing of a backlog.
      await client.query('SET enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM delivery.delivery WHERE next_attempt_at <= now()
           ORDER BY delivery.claim_rank(next_attempt_at, notice_kind) LIMIT 10`,
      );
      const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toContain('Index Scan using delivery_claim_order');
      expect(text).not.toContain('Sort');
    } finally {
      await client.end();
    }
  });
});
