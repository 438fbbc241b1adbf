import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import {
  type ChainHead,
  chainedRecordOf,
  exchangeLogColumns,
  parseHeads,
  publicKeysOf,
  verifyChain,
} from '@umg/exchange-log';
import { kafkaConnection } from '@umg/config';
import { headsFromKafka } from './heads-from-kafka';

const usage = `npm run exchange-log:verify -- [--schema S [--service NAME]] [--keys DIR] [--witness FILE]... [--heads-from-kafka [--save-heads FILE]]
  Checks every service's exchange log (or one schema's) with the services' PUBLIC keys and names
  each altered, forged, unsigned, inserted or deleted record; with --witness (heads kept from the
  exchange-log.heads topic or a service's witness file) also records deleted from the end, or all.
  --keys DIR     PKI folder holding services/<service>/exchange-log*.public.pem (default PKI_DIR or .data/pki)
  --service      whose key and heads a --schema is checked against (default: the schema's name)
  --heads-from-kafka  also take the heads now on the exchange-log.heads topic (KAFKA_BROKERS, and
                      KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD_FILE, KAFKA_SSL_CA_FILE)
  --save-heads FILE   append those heads to FILE (an auditor's own copy, for later --witness)
  EXCHANGE_LOG_LEGACY_KEY  the old shared HMAC key, to also check records written before signing
  Exits 1 when anything is wrong.`;

/** Every public key a service's records may be signed with: the current one and retired ones kept beside it. */
function publicKeysFor(keysDir: string, service: string) {
  const dir = join(keysDir, 'services', service);
  if (!existsSync(dir)) return publicKeysOf([]);
  const files = readdirSync(dir).filter((name) => /^exchange-log.*\.public\.pem$/.test(name));
  return publicKeysOf(files.map((name) => readFileSync(join(dir, name))));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      schema: { type: 'string' },
      service: { type: 'string' },
      keys: { type: 'string' },
      witness: { type: 'string', multiple: true },
      'heads-from-kafka': { type: 'boolean' },
      'save-heads': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/umg';
  const keysDir = resolve(values.keys ?? process.env.PKI_DIR ?? '.data/pki');
  const heads: ChainHead[] = (values.witness ?? []).flatMap((file) => parseHeads(readFileSync(file, 'utf8')));
  if (values['heads-from-kafka']) {
    // An auditor's own Kafka identity, as a service's: KAFKA_SASL_USERNAME, _PASSWORD_FILE, KAFKA_SSL_CA_FILE.
    const fromTopic = await headsFromKafka(
      kafkaConnection({
        KAFKA_BROKERS: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
        KAFKA_SASL_USERNAME: process.env.KAFKA_SASL_USERNAME,
        KAFKA_SASL_PASSWORD_FILE: process.env.KAFKA_SASL_PASSWORD_FILE,
        KAFKA_SSL_CA_FILE: process.env.KAFKA_SSL_CA_FILE,
      }),
    );
    if (values['save-heads'] && fromTopic.length > 0) {
      appendFileSync(values['save-heads'], fromTopic.map((head) => `${JSON.stringify(head)}\n`).join(''));
    }
    heads.push(...fromTopic);
  }
  const legacyKey = process.env.EXCHANGE_LOG_LEGACY_KEY || undefined;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const schemas = (
      await client.query<{ schema: string }>(
        `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'exchange_log' ORDER BY 1`,
      )
    ).rows
      .map((row) => row.schema)
      .filter((schema) => !values.schema || schema === values.schema);
    if (values.schema && schemas.length === 0) {
      console.log(`${values.schema}: no exchange_log table`);
      return 1;
    }
    let broken = 0;
    for (const schema of schemas) {
      const service = (values.schema && values.service) || schema;
      const publicKeys = publicKeysFor(keysDir, service);
      if (publicKeys.size === 0) {
        console.log(`${schema}: no public key for ${service} in ${join(keysDir, 'services', service)}`);
        broken += 1;
        continue;
      }
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT ${exchangeLogColumns} FROM "${schema}".exchange_log ORDER BY seq`,
      );
      const records = rows.map(chainedRecordOf);
      const witnessedHeads = heads.filter((head) => head.service === service);
      const { problems, legacyUnchecked, witnessedSeq } = verifyChain(records, {
        publicKeys,
        legacyKey,
        witnessedHeads,
      });
      broken += problems.length;
      const notes = [
        witnessedSeq === undefined
          ? heads.length
            ? 'no authentic witnessed head'
            : ''
          : `witnessed up to ${witnessedSeq}`,
        legacyUnchecked
          ? `${legacyUnchecked} HMAC-era record(s) linked but unchecked (no EXCHANGE_LOG_LEGACY_KEY)`
          : '',
      ].filter(Boolean);
      console.log(
        `${schema}: ${records.length} records, ${problems.length ? `${problems.length} problem(s)` : 'chain intact'}${notes.length ? ` (${notes.join('; ')})` : ''}`,
      );
      for (const problem of problems) console.log(`  seq ${problem.seq}: ${problem.kind} — ${problem.message}`);
    }
    return broken > 0 ? 1 : 0;
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
