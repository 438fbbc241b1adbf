/**
 * Loaded into each service by the bench only (NODE_OPTIONS=--require, with BENCH_COUNTERS_DIR
 * set): counts SQL statements sent through pg, HTTP requests served and HTTP calls made, and
 * writes the process's counters to `<dir>/<pid>.json` every second and on exit. PostgreSQL's own
 * statement counts (pg_stat_statements) need a preload library this machine's server lacks.
 */
import { subscribe } from 'node:diagnostics_channel';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { isTransactionControl, type ProcessCounters } from './counters';

const dir = process.env.BENCH_COUNTERS_DIR;
if (dir) {
  const counters: ProcessCounters = {
    pid: process.pid,
    sqlStatements: 0,
    sqlTransactionControl: 0,
    httpServed: 0,
    httpCalls: 0,
  };
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function countedQuery(this: Client, ...args: unknown[]) {
    counters.sqlStatements += 1;
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | null)?.text;
    if (typeof text === 'string' && isTransactionControl(text)) counters.sqlTransactionControl += 1;
    return query.apply(this, args);
  } as typeof Client.prototype.query;
  subscribe('http.server.request.start', () => (counters.httpServed += 1));
  subscribe('http.client.request.start', () => (counters.httpCalls += 1));
  subscribe('undici:request:create', () => (counters.httpCalls += 1));

  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}.json`);
  const write = () => {
    try {
      // Written aside and renamed, so the bench never reads half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(counters));
      renameSync(`${file}.tmp`, file);
    } catch {
      // the bench's folder went away: nothing to report to
    }
  };
  setInterval(write, 1_000).unref();
  process.on('exit', write);
}
