import { Client } from 'pg';
import { type ChainedRecord, chainedRecordOf, exchangeLogColumns, verifyChain } from '@umg/exchange-log';

/**
 * `npm run exchange-log:verify [-- --schema <name>]`: checks the hash chain of every service's
 * exchange log (or one) and names each altered, inserted or deleted record. Exits 1 when any.
 */
async function main(): Promise<number> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/umg';
  const key = process.env.EXCHANGE_LOG_KEY ?? 'development-exchange-log-key';
  const only = process.argv.includes('--schema') ? process.argv[process.argv.indexOf('--schema') + 1] : undefined;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const schemas = (
      await client.query<{ schema: string }>(
        `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'exchange_log' ORDER BY 1`,
      )
    ).rows
      .map((row) => row.schema)
      .filter((schema) => !only || schema === only);
    let broken = 0;
    for (const schema of schemas) {
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT ${exchangeLogColumns} FROM "${schema}".exchange_log ORDER BY seq`,
      );
      const records: ChainedRecord[] = rows.map(chainedRecordOf);
      const problems = verifyChain(key, records);
      broken += problems.length;
      console.log(
        `${schema}: ${records.length} records, ${problems.length ? `${problems.length} problem(s)` : 'chain intact'}`,
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
    console.error(error);
    process.exit(2);
  },
);
