import { markdownReport, percentiles, timelineSvg, type BenchResult } from './report';

describe('bench arithmetic', () => {
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
      notes: [],
    } satisfies BenchResult;
    const markdown = markdownReport(result);
    expect(markdown).toContain('| sustained | ≥ 300/s | 12.5/s | no |');
    expect(markdown).toContain('| gateway | 55.5 | 120.0 |');
    expect(markdown).toContain('p99 400 ms');
    const svg = timelineSvg(result.timeline, 'x');
    expect(svg.match(/<polyline/g)).toHaveLength(3);
  });
});
