import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What one process did since it started, as the bench's preload (counters-preload.ts) counts it
 * inside the services: the work per lifecycle that /proc and the broker cannot tell.
 */
export interface ProcessCounters {
  pid: number;
  sqlStatements: number;
  /** Of those, BEGIN / COMMIT / ROLLBACK / SAVEPOINT / RELEASE: transaction control, not work. */
  sqlTransactionControl: number;
  /** HTTP requests the process served (node:http and node:https servers). */
  httpServed: number;
  /** HTTP calls the process made (fetch/undici and node:http(s).request). */
  httpCalls: number;
}

export type CounterTotals = Omit<ProcessCounters, 'pid'>;

export const zeroCounters = (): CounterTotals => ({
  sqlStatements: 0,
  sqlTransactionControl: 0,
  httpServed: 0,
  httpCalls: 0,
});

const counterKeys = Object.keys(zeroCounters()) as (keyof CounterTotals)[];

/** Every process's latest counters file in `dir` (`<pid>.json`); unreadable or half-written ones are left out. */
export function readCounters(dir: string): ProcessCounters[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.json'));
  } catch {
    return [];
  }
  return files.flatMap((file) => {
    try {
      return [JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProcessCounters];
    } catch {
      return [];
    }
  });
}

/**
 * What each named group of processes did between two readings: after − before per process (a
 * process not in `before` started in between, so all of its counts fall in the window), summed by
 * the name `nameOf` gives its pid; processes without a name are summed under `other`.
 */
export function counterDeltas(
  before: ProcessCounters[],
  after: ProcessCounters[],
  nameOf: (pid: number) => string | undefined,
  other = 'other processes',
): Map<string, CounterTotals> {
  const start = new Map(before.map((counters) => [counters.pid, counters]));
  const totals = new Map<string, CounterTotals>();
  for (const end of after) {
    const name = nameOf(end.pid) ?? other;
    const sum = totals.get(name) ?? zeroCounters();
    const from = start.get(end.pid);
    for (const key of counterKeys) sum[key] += Math.max(0, (end[key] ?? 0) - (from?.[key] ?? 0));
    totals.set(name, sum);
  }
  return totals;
}

/** Whether a statement's text is transaction control rather than work. */
export function isTransactionControl(text: string): boolean {
  return /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(text);
}
