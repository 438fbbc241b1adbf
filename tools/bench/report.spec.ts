import {
  markdownReport,
  perLifecycle,
  percentiles,
  timelineSvg,
  type BenchResult,
  type LifecycleWindow,
} from './report';

/** 1,000 lifecycles in 100 s on 2 cores. */
const window: LifecycleWindow = {
  seconds: 100,
  lifecycles: 1_000,
  submitted: 1_250,
  cores: 2,
  processes: [
    {
      name: 'applications',
      system: true,
      cpuMs: 160_000,
      sqlStatements: 200_000,
      sqlTransactionControl: 70_000,
      httpServed: 4_000,
      httpCalls: 2_000,
    },
    {
      name: 'gateway',
      system: true,
      cpuMs: 50_000,
      sqlStatements: 50_000,
      sqlTransactionControl: 10_000,
      httpServed: 6_000,
      httpCalls: 8_000,
    },
    { name: 'kafka broker (JVM)', system: true, cpuMs: 40_000 },
    { name: 'portal load', system: false, cpuMs: 20_000 },
  ],
  commits: 12_000,
  rollbacks: 30,
  kafkaProduced: 27_000,
  kafkaConsumed: 44_000,
};

describe('bench arithmetic', () => {
  it('divides the window’s work by the lifecycles completed in it, and gives the bound it implies', () => {
    const figures = perLifecycle(window);
    expect(figures.systemCpuMs).toBe(250); // 160 + 50 + 40; the load is not the system
    expect(figures.allCpuMs).toBe(270);
    expect(figures.boundPerSecond).toBe(8); // 2 cores × 1000 ms / 250 ms
    expect(figures.sqlStatements).toBe(250);
    expect(figures.sqlTransactionControl).toBe(80);
    expect(figures.httpServed).toBe(10);
    expect(figures.httpCalls).toBe(10);
    expect(figures.commits).toBe(12);
    expect(figures.rollbacks).toBeCloseTo(0.03);
    expect(figures.kafkaProduced).toBe(27);
    expect(figures.kafkaConsumed).toBe(44);
    // a growing backlog: 1,250 submitted for 1,000 completed gives the lower estimate
    expect(figures.perSubmitted).toEqual({ systemCpuMs: 200, sqlStatements: 200, commits: 9.6, kafkaMessages: 56.8 });
    expect(figures.totals).toEqual({
      systemCpuMs: 250_000,
      sqlStatements: 250_000,
      commits: 12_000,
      kafkaProduced: 27_000,
      kafkaConsumed: 44_000,
      httpServed: 10_000,
      httpCalls: 10_000,
    });
    expect(figures.processes.find((p) => p.name === 'kafka broker (JVM)')).toEqual({
      name: 'kafka broker (JVM)',
      system: true,
      cpuMs: 40,
      sqlStatements: undefined,
      sqlTransactionControl: undefined,
      httpServed: undefined,
      httpCalls: undefined,
    });
  });

  it('gives no per-lifecycle figure when no lifecycle completed, rather than a division by zero', () => {
    const figures = perLifecycle({ ...window, lifecycles: 0 });
    expect(figures.systemCpuMs).toBeNaN();
    expect(figures.boundPerSecond).toBeNaN();
    expect(markdownReport({ ...emptyResult(), perLifecycle: figures })).toContain('| **all** | — | — | — | — | — |');
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100, unsorted
    expect(percentiles(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(percentiles([7])).toEqual({ count: 1, p50: 7, p95: 7, p99: 7, max: 7 });
    expect(percentiles([])).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });

  it('reports unmet targets as unmet and draws every series', () => {
    const result = {
      startedAt: '2026-11-27T10:00:00.000Z',
      machine: { cores: 2, loadAverageBefore: [0.5, 0.4, 0.3], node: 'v20' },
      offeredPerSecond: 300,
      durationSeconds: 300,
      submitted: 10,
      completed: 9,
      sustainedPerSecond: 12.5,
      offers: [
        {
          phase: 'throughput',
          offeredPerSecond: 300,
          seconds: 300.4,
          started: 80_000,
          failed: 10,
          skipped: 10_000,
          achievedPerSecond: 266.3,
          maxInFlightSeen: 512,
        },
      ],
      intake: { offeredPerSecond: 400, seconds: 30, routedPerSecond: 123.4 },
      perLifecycle: perLifecycle(window),
      latencyPhase: { offeredPerSecond: 150, submittedToRouted: percentiles([10, 20, 400]) },
      stages: [{ stage: 'submitted → routed', latencyMs: percentiles([10, 20, 400]) }],
      processes: [{ name: 'gateway', cpuPercent: 55.5, peakRssMb: 120 }],
      baselines: [{ name: 'bare HTTP', figure: 9000, unit: 'req/s', note: '' }],
      comparisons: [{ what: 'GET', gateway: 900, baseline: 9000, ratio: 0.1 }],
      timeline: [
        { second: 0, submitted: 5, routed: 4, delivered: 0 },
        { second: 1, submitted: 5, routed: 6, delivered: 9 },
      ],
      targets: [{ name: 'sustained', target: '≥ 300/s', measured: '12.5/s', met: false }],
      profiles: [{ process: 'applications', byPlace: [{ name: 'pg', share: 0.4 }], hottest: [] }],
      notes: [],
    } satisfies BenchResult;
    const markdown = markdownReport(result);
    expect(markdown).toContain('| sustained | ≥ 300/s | 12.5/s | no |');
    expect(markdown).toContain('| gateway | 55.5 | 120.0 |');
    expect(markdown).toContain('p99 400 ms');
    expect(markdown).toContain('| applications | pg 40 % |');
    expect(markdown).toContain('| throughput | 300.0 | 266.3 | 80000 | 10 | 10000 | 512 |');
    expect(markdown).toContain('123.4 routed/s while 400.0/s were offered');
    expect(markdown).toContain('| applications | 160.0 | 200.0 | 70.0 | 4.0 | 2.0 |');
    expect(markdown).toContain('| kafka broker (JVM) | 40.0 | — | — | — | — |');
    expect(markdown).toContain('| portal load (not the system) | 20.0 |');
    expect(markdown).toContain('at most 8.0 lifecycles/s');
    const svg = timelineSvg(result.timeline, 'x');
    expect(svg.match(/<polyline/g)).toHaveLength(3);
  });
});

function emptyResult(): BenchResult {
  return {
    startedAt: '2026-11-27T10:00:00.000Z',
    machine: { cores: 2, loadAverageBefore: [0, 0, 0], node: 'v20' },
    offeredPerSecond: 5,
    durationSeconds: 60,
    submitted: 0,
    completed: 0,
    sustainedPerSecond: 0,
    offers: [],
    latencyPhase: { offeredPerSecond: 5, submittedToRouted: percentiles([]) },
    stages: [],
    processes: [],
    baselines: [],
    comparisons: [],
    timeline: [],
    targets: [],
    profiles: [],
    notes: [],
  };
}
