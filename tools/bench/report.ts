/** The bench's arithmetic and its report: pure, so its figures can be checked by unit tests. */

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of the values (milliseconds); zeros when there are none. */
export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { count: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted.at(-1)! };
}

export interface ProcessFigures {
  name: string;
  /** Average CPU over the run, in % of one core. */
  cpuPercent: number;
  peakRssMb: number;
}

export interface BaselineFigures {
  name: string;
  figure: number;
  unit: string;
  note: string;
}

export interface StageFigures {
  stage: string;
  latencyMs: Percentiles;
}

/** What the system did over the throughput window, by process, and how many lifecycles it completed. */
export interface LifecycleWindow {
  seconds: number;
  /** Lifecycles completed (delivered) within the window. */
  lifecycles: number;
  /** Applications submitted within the window: as many as completed when the system keeps up. */
  submitted: number;
  cores: number;
  processes: {
    name: string;
    /** Part of the system under test (services, broker, database), not a simulator or the load. */
    system: boolean;
    cpuMs: number;
    /** Counted in the process (the bench's preload); undefined where nothing counts (broker, database). */
    sqlStatements?: number;
    sqlTransactionControl?: number;
    httpServed?: number;
    httpCalls?: number;
  }[];
  commits: number;
  rollbacks: number;
  kafkaProduced: number;
  kafkaConsumed: number;
}

export type ProcessPerLifecycle = LifecycleWindow['processes'][number];

export interface PerLifecycle {
  lifecycles: number;
  submitted: number;
  /**
   * The same totals divided by the applications submitted in the window: equal to the figures per
   * lifecycle when the system keeps up, a lower estimate while a backlog grows (then the figures
   * per completed lifecycle are an upper one, as they carry the backlog's work).
   */
  perSubmitted: { systemCpuMs: number; sqlStatements: number; commits: number; kafkaMessages: number };
  seconds: number;
  /** The window's totals, undivided: something to check even when no lifecycle completed. */
  totals: {
    systemCpuMs: number;
    sqlStatements: number;
    commits: number;
    kafkaProduced: number;
    kafkaConsumed: number;
    httpServed: number;
    httpCalls: number;
  };
  processes: ProcessPerLifecycle[];
  /** CPU ms per lifecycle of the system under test, and of every process measured. */
  systemCpuMs: number;
  allCpuMs: number;
  /** Lifecycles per second the machine's cores could carry at that cost (cores × 1000 / system CPU ms). */
  boundPerSecond: number;
  sqlStatements: number;
  sqlTransactionControl: number;
  commits: number;
  rollbacks: number;
  kafkaProduced: number;
  kafkaConsumed: number;
  httpServed: number;
  httpCalls: number;
}

/** The window's totals divided by the lifecycles it completed (NaN when it completed none). */
export function perLifecycle(window: LifecycleWindow): PerLifecycle {
  const n = window.lifecycles > 0 ? window.lifecycles : NaN;
  const per = (value: number | undefined) => (value === undefined ? undefined : value / n);
  const sum = (key: 'sqlStatements' | 'sqlTransactionControl' | 'httpServed' | 'httpCalls') =>
    window.processes.reduce((total, p) => total + (p[key] ?? 0), 0) / n;
  const processes = window.processes.map((p) => ({
    name: p.name,
    system: p.system,
    cpuMs: p.cpuMs / n,
    sqlStatements: per(p.sqlStatements),
    sqlTransactionControl: per(p.sqlTransactionControl),
    httpServed: per(p.httpServed),
    httpCalls: per(p.httpCalls),
  }));
  const systemCpuMs = processes.filter((p) => p.system).reduce((total, p) => total + p.cpuMs, 0);
  const total = (key: 'sqlStatements' | 'httpServed' | 'httpCalls') =>
    window.processes.reduce((sum, p) => sum + (p[key] ?? 0), 0);
  const s = window.submitted > 0 ? window.submitted : NaN;
  return {
    lifecycles: window.lifecycles,
    submitted: window.submitted,
    perSubmitted: {
      systemCpuMs: window.processes.filter((p) => p.system).reduce((sum, p) => sum + p.cpuMs, 0) / s,
      sqlStatements: total('sqlStatements') / s,
      commits: window.commits / s,
      kafkaMessages: (window.kafkaProduced + window.kafkaConsumed) / s,
    },
    seconds: window.seconds,
    totals: {
      systemCpuMs: window.processes.filter((p) => p.system).reduce((sum, p) => sum + p.cpuMs, 0),
      sqlStatements: total('sqlStatements'),
      commits: window.commits,
      kafkaProduced: window.kafkaProduced,
      kafkaConsumed: window.kafkaConsumed,
      httpServed: total('httpServed'),
      httpCalls: total('httpCalls'),
    },
    processes,
    systemCpuMs,
    allCpuMs: processes.reduce((total, p) => total + p.cpuMs, 0),
    boundPerSecond: (window.cores * 1000) / systemCpuMs,
    sqlStatements: sum('sqlStatements'),
    sqlTransactionControl: sum('sqlTransactionControl'),
    commits: window.commits / n,
    rollbacks: window.rollbacks / n,
    kafkaProduced: window.kafkaProduced / n,
    kafkaConsumed: window.kafkaConsumed / n,
    httpServed: sum('httpServed'),
    httpCalls: sum('httpCalls'),
  };
}

/** A submission phase of the portal load: what was offered and what the load achieved. */
export interface OfferFigures {
  phase: string;
  offeredPerSecond: number;
  seconds: number;
  started: number;
  failed: number;
  skipped: number;
  achievedPerSecond: number;
  maxInFlightSeen: number;
  /** The first failed send's reason, if any failed. */
  firstFailure?: string;
}

export interface BenchResult {
  startedAt: string;
  machine: { cores: number; loadAverageBefore: number[]; node: string };
  offeredPerSecond: number;
  durationSeconds: number;
  submitted: number;
  completed: number;
  /** Complete lifecycles per second over the measured window (after warm-up). */
  sustainedPerSecond: number;
  /** Each phase's offered and achieved submission rates. */
  offers: OfferFigures[];
  /** The intake-only phase (offices off): applications routed per second while offered `offeredPerSecond`. */
  intake?: { offeredPerSecond: number; seconds: number; routedPerSecond: number };
  perLifecycle?: PerLifecycle;
  latencyPhase: { offeredPerSecond: number; submittedToRouted: Percentiles };
  stages: StageFigures[];
  processes: ProcessFigures[];
  baselines: BaselineFigures[];
  comparisons: { what: string; gateway: number; baseline: number; ratio: number }[];
  /** Per second of the run: submitted, routed and delivered counts. */
  timeline: { second: number; submitted: number; routed: number; delivered: number }[];
  targets: { name: string; target: string; measured: string; met: boolean }[];
  /** Where each service's CPU time went (V8 profiles), busy time only. */
  profiles: {
    process: string;
    byPlace: { name: string; share: number }[];
    hottest: { name: string; share: number }[];
  }[];
  notes: string[];
}

const fixed = (value: number | undefined, digits = 1) =>
  value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '—';

function perLifecycleSection(figures: PerLifecycle | undefined): string[] {
  if (!figures) return [];
  return [
    `## Per lifecycle (throughput phase after warm-up, and its drain: ${fixed(figures.seconds, 0)} s, ${figures.lifecycles} lifecycles completed in it)`,
    '',
    `Window totals: system CPU ${fixed(figures.totals.systemCpuMs, 0)} ms, ${figures.totals.sqlStatements} SQL statements, ${fixed(figures.totals.commits, 0)} commits, ${fixed(figures.totals.kafkaProduced, 0)} Kafka messages produced and ${fixed(figures.totals.kafkaConsumed, 0)} consumed, ${figures.totals.httpServed} HTTP requests served and ${figures.totals.httpCalls} made.`,
    '',
    '| process | CPU ms | SQL statements | of which BEGIN/COMMIT/SAVEPOINT/RELEASE/ROLLBACK | HTTP requests served | HTTP calls made |',
    '|---|---|---|---|---|---|',
    ...figures.processes.map(
      (p) =>
        `| ${p.name}${p.system ? '' : ' (not the system)'} | ${fixed(p.cpuMs)} | ${fixed(p.sqlStatements)} | ${fixed(p.sqlTransactionControl)} | ${fixed(p.httpServed)} | ${fixed(p.httpCalls)} |`,
    ),
    `| **all** | ${fixed(figures.allCpuMs)} | ${fixed(figures.sqlStatements)} | ${fixed(figures.sqlTransactionControl)} | ${fixed(figures.httpServed)} | ${fixed(figures.httpCalls)} |`,
    '',
    `Database transactions per lifecycle: ${fixed(figures.commits)} commits, ${fixed(figures.rollbacks)} rollbacks (pg_stat_database). Kafka messages per lifecycle: ${fixed(figures.kafkaProduced)} produced, ${fixed(figures.kafkaConsumed)} consumed (end offsets, committed offsets of all groups).`,
    '',
    `Divided instead by the ${figures.submitted} applications submitted in the window (equal when the system keeps up; a lower estimate while a backlog grows, when the figures above are an upper one): system CPU ${fixed(figures.perSubmitted.systemCpuMs)} ms, ${fixed(figures.perSubmitted.sqlStatements)} SQL statements, ${fixed(figures.perSubmitted.commits)} commits, ${fixed(figures.perSubmitted.kafkaMessages)} Kafka messages produced + consumed.`,
    '',
    `**Bound:** the system (services, broker, database) spends ${fixed(figures.systemCpuMs)} ms of CPU per lifecycle (${fixed(figures.allCpuMs)} ms with the simulators and the load), so this machine's cores carry at most ${fixed(figures.boundPerSecond)} lifecycles/s at that cost.`,
    '',
  ];
}

export function markdownReport(result: BenchResult): string {
  const lines = [
    `# Bench ${result.startedAt}`,
    '',
    `Machine: ${result.machine.cores} cores, Node.js ${result.machine.node}, load average before the run ${result.machine.loadAverageBefore.map((v) => fixed(v, 2)).join(' / ')}.`,
    `Offered ${result.offeredPerSecond} applications/s for ${result.durationSeconds} s: ${result.submitted} submitted, ${result.completed} complete lifecycles (submitted → delivered), ${fixed(result.sustainedPerSecond)}/s sustained after warm-up.`,
    '',
    '| phase | offered /s | achieved /s | sent | failed | skipped (in-flight bound) | most in flight |',
    '|---|---|---|---|---|---|---|',
    ...result.offers.map(
      (o) =>
        `| ${o.phase} | ${fixed(o.offeredPerSecond)} | ${fixed(o.achievedPerSecond)} | ${o.started} | ${o.failed} | ${o.skipped} | ${o.maxInFlightSeen} |`,
    ),
    ...(result.intake
      ? [
          '',
          `Intake only (offices off): ${fixed(result.intake.routedPerSecond)} routed/s while ${fixed(result.intake.offeredPerSecond)}/s were offered for ${fixed(result.intake.seconds, 0)} s.`,
        ]
      : []),
    '',
    '## Targets',
    '',
    '| target | wanted | measured | met |',
    '|---|---|---|---|',
    ...result.targets.map((t) => `| ${t.name} | ${t.target} | ${t.measured} | ${t.met ? 'yes' : 'no'} |`),
    '',
    ...perLifecycleSection(result.perLifecycle),
    '## Stage latencies (ms)',
    '',
    '| stage | count | p50 | p95 | p99 | max |',
    '|---|---|---|---|---|---|',
    ...result.stages.map(
      (s) =>
        `| ${s.stage} | ${s.latencyMs.count} | ${fixed(s.latencyMs.p50, 0)} | ${fixed(s.latencyMs.p95, 0)} | ${fixed(s.latencyMs.p99, 0)} | ${fixed(s.latencyMs.max, 0)} |`,
    ),
    '',
    `Latency phase at ${result.latencyPhase.offeredPerSecond}/s: submitted → routed p50 ${fixed(result.latencyPhase.submittedToRouted.p50, 0)} ms, p99 ${fixed(result.latencyPhase.submittedToRouted.p99, 0)} ms (${result.latencyPhase.submittedToRouted.count} applications).`,
    '',
    '## Processes',
    '',
    '| process | CPU (% of a core) | peak RSS (MB) |',
    '|---|---|---|',
    ...result.processes.map((p) => `| ${p.name} | ${fixed(p.cpuPercent)} | ${fixed(p.peakRssMb)} |`),
    '',
    '## Baselines, measured in the same run on the same machine',
    '',
    '| baseline | figure | note |',
    '|---|---|---|',
    ...result.baselines.map((b) => `| ${b.name} | ${fixed(b.figure)} ${b.unit} | ${b.note} |`),
    '',
    '| comparison | gateway | baseline | gateway / baseline |',
    '|---|---|---|---|',
    ...result.comparisons.map(
      (c) => `| ${c.what} | ${fixed(c.gateway)} | ${fixed(c.baseline)} | ${fixed(c.ratio, 3)} |`,
    ),
    '',
    ...(result.profiles.length
      ? [
          '## Where the time goes (CPU profiles of the services, share of busy time)',
          '',
          '| process | by place | hottest functions |',
          '|---|---|---|',
          ...result.profiles.map(
            (p) =>
              `| ${p.process} | ${p.byPlace.map((x) => `${x.name} ${(x.share * 100).toFixed(0)} %`).join(', ')} | ${p.hottest.map((x) => `${x.name} ${(x.share * 100).toFixed(0)} %`).join(', ')} |`,
          ),
          '',
        ]
      : []),
    ...(result.notes.length ? ['## Notes', '', ...result.notes.map((note) => `- ${note}`), ''] : []),
  ];
  return lines.join('\n');
}

/** A line chart of submitted, routed and delivered per second, as SVG. */
export function timelineSvg(timeline: BenchResult['timeline'], title: string): string {
  const width = 900;
  const height = 420;
  const margin = { left: 60, right: 20, top: 40, bottom: 50 };
  const seconds = Math.max(1, timeline.length - 1);
  const peak = Math.max(1, ...timeline.flatMap((t) => [t.submitted, t.routed, t.delivered]));
  const x = (second: number) => margin.left + (second / seconds) * (width - margin.left - margin.right);
  const y = (value: number) => height - margin.bottom - (value / peak) * (height - margin.top - margin.bottom);
  const series = [
    { key: 'submitted', colour: '#1f77b4' },
    { key: 'routed', colour: '#2ca02c' },
    { key: 'delivered', colour: '#d62728' },
  ] as const;
  const paths = series.map(
    (s) =>
      `<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${timeline.map((t) => `${x(t.second).toFixed(1)},${y(t[s.key]).toFixed(1)}`).join(' ')}"/>`,
  );
  const legend = series.map(
    (s, i) =>
      `<text x="${margin.left + 10 + i * 130}" y="${margin.top - 12}" fill="${s.colour}" font-size="14">${s.key}/s</text>`,
  );
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(
    (f) =>
      `<text x="${margin.left - 8}" y="${y(f * peak) + 4}" text-anchor="end" font-size="12">${Math.round(f * peak)}</text>` +
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(f * peak)}" y2="${y(f * peak)}" stroke="#ddd"/>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15">${title}</text>`,
    ...ticks,
    ...paths,
    ...legend,
    `<text x="${width / 2}" y="${height - 12}" text-anchor="middle" font-size="12">seconds since the load started</text>`,
    `</svg>`,
  ].join('\n');
}
