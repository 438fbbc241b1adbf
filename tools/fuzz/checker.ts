/**
 * The bad-input run's judge: a pure function from what was observed to the violations found,
 * the summary table and the exit status. No I/O, so it can be tested with made-up observations.
 */

export interface HttpObservation {
  operation: string;
  kind: string;
  /** 0 when no answer came (connection reset, timeout). */
  status: number;
  contentType: string | undefined;
  body: string;
  mustReject: boolean;
  /** Milliseconds from sending the request to the end of its answer. */
  ms?: number;
  /** The request as sent, kept with a violation to reproduce it. */
  input?: unknown;
}

export interface KafkaObservation {
  topic: string;
  kind: string;
  /** Groups that had to dead-letter it. */
  expectedGroups: string[];
  /** Dead letters found for it, by group, with their reason code and message. */
  deadLetters: { group: string; reasonCode: string; reasonMessage: string }[];
  /** Portal application id whose SubmissionRejected had to be sent, if that was the expected answer. */
  rejectionFor?: string;
  rejectionSent?: boolean;
  /** The message as sent, kept with a violation to reproduce it. */
  input?: unknown;
}

export interface TableState {
  rows: number;
  hash: string;
}

export interface ProcessState {
  name: string;
  alive: boolean;
  live: boolean;
  restarts: number;
}

/** One service's event loop as a liveness probe polled all through the run saw it. */
export interface EventLoopWatch {
  name: string;
  probes: number;
  /** The slowest probe answer, in ms: a blocked event loop answers nothing until it is free. */
  worstMs: number;
  /** Probes that got no answer within the probe's own timeout. */
  unanswered: number;
}

export interface Observations {
  http: HttpObservation[];
  kafka: KafkaObservation[];
  /** Table → state, before the run and after it (tables expected to grow are left out by the caller). */
  before: Record<string, TableState>;
  after: Record<string, TableState>;
  processes: ProcessState[];
  knownCodes: ReadonlySet<string>;
  /** An HTTP answer slower than this is a violation. */
  maxAnswerMs?: number;
  eventLoops?: EventLoopWatch[];
  /** A liveness probe slower than this (the event loop stalled) is a violation. */
  maxStallMs?: number;
}

export interface AnswerTimes {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface Violation {
  where: string;
  what: string;
  example?: string;
  input?: unknown;
}

export interface ReportRow {
  target: string;
  cases: number;
  outcomes: Record<string, number>;
  violations: number;
}

export interface Report {
  rows: ReportRow[];
  violations: Violation[];
  exitCode: number;
  answerTimes?: AnswerTimes;
  /** The same for the hostile-size bodies alone (kinds with `size_`). */
  hostileSizeTimes?: AnswerTimes;
  eventLoops?: EventLoopWatch[];
}

/** Nearest-rank percentile of sorted numbers. */
function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function answerTimes(observations: HttpObservation[]): AnswerTimes | undefined {
  const times = observations.flatMap((o) => (o.ms === undefined ? [] : [o.ms])).sort((a, b) => a - b);
  if (times.length === 0) return undefined;
  return { count: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1)! };
}

const problemType = /^application\/problem\+json\b/i;
const codePattern = /^[a-z][a-z0-9_]*$/;

function httpViolation(observation: HttpObservation, knownCodes: ReadonlySet<string>): string | undefined {
  const { status } = observation;
  if (status === 0) return 'no answer (connection dropped or timed out)';
  if (status >= 500) return `server error ${status}`;
  if (status < 400) return observation.mustReject ? `invalid input accepted (${status})` : undefined;
  if (!observation.contentType || !problemType.test(observation.contentType)) {
    return `rejection is ${observation.contentType ?? 'without a content type'}, not application/problem+json`;
  }
  let problem: { code?: unknown; status?: unknown };
  try {
    problem = JSON.parse(observation.body) as typeof problem;
  } catch {
    return 'problem+json body is not JSON';
  }
  if (typeof problem.code !== 'string' || !codePattern.test(problem.code)) return 'problem without a stable code';
  if (!knownCodes.has(problem.code)) return `code "${problem.code}" is not in the contracts`;
  if (problem.status !== status) return `problem status ${String(problem.status)} differs from HTTP ${status}`;
  return undefined;
}

function httpOutcome(observation: HttpObservation): string {
  if (observation.status === 0) return 'no answer';
  if (observation.status < 400) return String(observation.status);
  try {
    const code = (JSON.parse(observation.body) as { code?: unknown }).code;
    return `${observation.status} ${typeof code === 'string' ? code : '?'}`;
  } catch {
    return `${observation.status} ?`;
  }
}

function kafkaViolation(observation: KafkaObservation): string | undefined {
  if (observation.rejectionFor !== undefined) {
    return observation.rejectionSent ? undefined : `no SubmissionRejected for ${observation.rejectionFor}`;
  }
  for (const group of observation.expectedGroups) {
    const entry = observation.deadLetters.find((d) => d.group === group);
    if (!entry) return `not dead-lettered by ${group}`;
    if (!entry.reasonCode || !entry.reasonMessage) return `dead letter in ${group} without a reason`;
  }
  return undefined;
}

function kafkaOutcome(observation: KafkaObservation): string {
  if (observation.rejectionFor !== undefined) return observation.rejectionSent ? 'submission rejected' : 'unanswered';
  const reasons = [...new Set(observation.deadLetters.map((d) => d.reasonCode))].sort();
  return reasons.length ? `dead letter ${reasons.join('/')}` : 'no dead letter';
}

function add(rows: Map<string, ReportRow>, target: string, outcome: string, violated: boolean): void {
  const row = rows.get(target) ?? { target, cases: 0, outcomes: {}, violations: 0 };
  row.cases += 1;
  row.outcomes[outcome] = (row.outcomes[outcome] ?? 0) + 1;
  if (violated) row.violations += 1;
  rows.set(target, row);
}

export function check(observations: Observations): Report {
  const rows = new Map<string, ReportRow>();
  const violations: Violation[] = [];
  for (const observation of observations.http) {
    const slow =
      observations.maxAnswerMs !== undefined &&
      observation.ms !== undefined &&
      observation.ms > observations.maxAnswerMs
        ? `answer took ${Math.round(observation.ms)} ms (bound ${observations.maxAnswerMs} ms)`
        : undefined;
    const what = httpViolation(observation, observations.knownCodes) ?? slow;
    add(rows, observation.operation, httpOutcome(observation), Boolean(what));
    if (what) {
      violations.push({
        where: observation.operation,
        what,
        example: `${observation.kind}: ${observation.body.slice(0, 200)}`,
        input: observation.input,
      });
    }
  }
  for (const observation of observations.kafka) {
    const what = kafkaViolation(observation);
    add(rows, `kafka ${observation.topic}`, kafkaOutcome(observation), Boolean(what));
    if (what)
      violations.push({
        where: `kafka ${observation.topic}`,
        what,
        example: observation.kind,
        input: observation.input,
      });
  }
  for (const [table, before] of Object.entries(observations.before)) {
    const after = observations.after[table];
    if (!after) violations.push({ where: table, what: 'table disappeared' });
    else if (after.rows !== before.rows) {
      violations.push({ where: table, what: `row count changed from ${before.rows} to ${after.rows}` });
    } else if (after.hash !== before.hash) violations.push({ where: table, what: 'rows changed (same count)' });
  }
  for (const table of Object.keys(observations.after)) {
    if (!(table in observations.before)) violations.push({ where: table, what: 'table appeared' });
  }
  for (const process of observations.processes) {
    if (!process.alive) violations.push({ where: process.name, what: 'process is not running' });
    else if (!process.live) violations.push({ where: process.name, what: '/health/live does not answer 200' });
    if (process.restarts > 0) violations.push({ where: process.name, what: `crashed ${process.restarts} time(s)` });
  }
  for (const loop of observations.eventLoops ?? []) {
    if (observations.maxStallMs !== undefined && loop.worstMs > observations.maxStallMs) {
      violations.push({
        where: loop.name,
        what: `event loop stalled: a liveness probe took ${Math.round(loop.worstMs)} ms (bound ${observations.maxStallMs} ms)`,
      });
    }
    if (loop.unanswered > 0) {
      violations.push({
        where: loop.name,
        what: `event loop stalled: ${loop.unanswered} liveness probe(s) unanswered`,
      });
    }
  }
  return {
    rows: [...rows.values()],
    violations,
    exitCode: violations.length > 0 ? 1 : 0,
    answerTimes: answerTimes(observations.http),
    hostileSizeTimes: answerTimes(observations.http.filter((o) => o.kind.includes('size_'))),
    eventLoops: observations.eventLoops,
  };
}

/** The report as text: one row per operation or topic, then the violations (the first few of each kind). */
export function formatReport(report: Report): string {
  const lines: string[] = [];
  const width = Math.max(10, ...report.rows.map((row) => row.target.length));
  lines.push(`${'operation / topic'.padEnd(width)}  ${'cases'.padStart(6)}  ${'viol.'.padStart(5)}  outcomes`);
  for (const row of report.rows) {
    const outcomes = Object.entries(row.outcomes)
      .sort((a, b) => b[1] - a[1])
      .map(([outcome, count]) => `${outcome}: ${count}`)
      .join(', ');
    lines.push(
      `${row.target.padEnd(width)}  ${String(row.cases).padStart(6)}  ${String(row.violations).padStart(5)}  ${outcomes}`,
    );
  }
  const total = report.rows.reduce((sum, row) => sum + row.cases, 0);
  lines.push(`${'total'.padEnd(width)}  ${String(total).padStart(6)}  ${String(report.violations.length).padStart(5)}`);
  if (report.answerTimes) {
    const { count, p50, p99, max } = report.answerTimes;
    lines.push('', `HTTP answer times (${count} answers): p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(max)}`);
  }
  if (report.hostileSizeTimes) {
    const { count, p50, p99, max } = report.hostileSizeTimes;
    lines.push(`  of which hostile-size bodies (${count}): p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(max)}`);
  }
  if (report.eventLoops?.length) {
    lines.push('worst event-loop stall (slowest liveness probe) per service:');
    for (const loop of report.eventLoops) {
      const unanswered = loop.unanswered ? `, ${loop.unanswered} unanswered` : '';
      lines.push(`  ${loop.name.padEnd(12)} ${ms(loop.worstMs).padStart(8)}  (${loop.probes} probes${unanswered})`);
    }
  }
  if (report.violations.length > 0) {
    lines.push('', 'violations:');
    const seen = new Map<string, number>();
    for (const violation of report.violations) {
      const key = `${violation.where} — ${violation.what}`;
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      if (count <= 3) lines.push(`  ${key}${violation.example ? `\n      ${violation.example}` : ''}`);
    }
    for (const [key, count] of seen) if (count > 3) lines.push(`  (${count} in all: ${key})`);
  }
  return lines.join('\n');
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
