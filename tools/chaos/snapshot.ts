import { existsSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { exchangeLogKeyFiles } from '@umg/config';
import { chainedRecordOf, exchangeLogColumns, parseHeads, publicKeysOf } from '@umg/exchange-log';
import type { ChaosRecord } from './driver';
import type { ChaosSnapshot } from './invariants';

/** Reads what the system holds after the run: PostgreSQL, the payment system and e-delivery simulators. */
export async function takeSnapshot(
  databaseUrl: string,
  record: ChaosRecord,
  simulators: { paymentSystem: string; eDelivery: string },
  exchangeLog: { pkiDir: string; witnessFile: string },
): Promise<ChaosSnapshot> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = async <T>(sql: string) => (await client.query(sql)).rows as T[];
    const schemasWith = async (table: string) =>
      (
        await rows<{ schema: string }>(
          `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = '${table}' ORDER BY 1`,
        )
      ).map((row) => row.schema);
    const deadLetters: ChaosSnapshot['deadLetters'] = [];
    for (const schema of await schemasWith('dead_letter')) {
      deadLetters.push(
        ...(await rows<ChaosSnapshot['deadLetters'][number]>(
          `SELECT consumer_group AS "consumerGroup", headers->>'ce_id' AS "messageId" FROM "${schema}".dead_letter`,
        )),
      );
    }
    const exchangeLogs: ChaosSnapshot['exchangeLogs'] = [];
    for (const schema of await schemasWith('exchange_log')) {
      const records = await rows<Record<string, unknown>>(
        `SELECT ${exchangeLogColumns} FROM "${schema}".exchange_log ORDER BY seq`,
      );
      // Only the public key: the invariant checks as an auditor would, holding nothing that could forge.
      const publicKeyFile = exchangeLogKeyFiles(exchangeLog.pkiDir, schema).publicKey;
      exchangeLogs.push({
        schema,
        records: records.map(chainedRecordOf),
        publicKeys: publicKeysOf(existsSync(publicKeyFile) ? [readFileSync(publicKeyFile)] : []),
      });
    }
    return {
      submissions: record.submissions,
      acceptedDecisions: record.acceptedDecisions,
      portalHeard: record.portalHeard,
      poison: record.poison,
      applications: await rows(
        `SELECT id, portal_application_id AS "portalApplicationId", status, version FROM applications.application`,
      ),
      events: await rows(
        `SELECT application_id AS "applicationId", sequence, from_status AS "fromStatus", to_status AS "toStatus",
                actor_kind AS "actorKind"
         FROM applications.application_event`,
      ),
      paymentRequests: await rows(
        `SELECT id, application_id AS "applicationId", application_sequence AS "applicationSequence",
                ais_payment_id AS "aisPaymentId", status
         FROM payments.payment_request`,
      ),
      deliveries: await rows(
        `SELECT id, application_id AS "applicationId", notice_kind AS "noticeKind", event_sequence AS "eventSequence", status
         FROM delivery.delivery`,
      ),
      paymentSystem: (
        await json<{ items: { aisPaymentId: string }[] }>(`${simulators.paymentSystem}/simulator/payments`)
      ).items,
      // A message's first document carries the delivery id as its registration number.
      eDeliveryMessages: (
        await json<{ items: { documents: { registrationNumber: string | null }[] }[] }>(
          `${simulators.eDelivery}/_sim/messages`,
        )
      ).items.map((message) => ({ registrationNumber: message.documents[0]?.registrationNumber ?? null })),
      bundleParts: await rows(
        `SELECT b.request_id AS "requestId", p.part_key AS "partKey", p.state, p.depends_on AS "dependsOn",
                p.application_id AS "applicationId"
           FROM applications.bundle_part p JOIN applications.bundle b ON b.id = p.bundle_id`,
      ),
      deadLetters,
      exchangeLogs,
      exchangeLogHeads: existsSync(exchangeLog.witnessFile)
        ? parseHeads(readFileSync(exchangeLog.witnessFile, 'utf8'))
        : [],
    };
  } finally {
    await client.end();
  }
}

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as T;
}
