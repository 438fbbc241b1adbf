import { chaosSvg } from './chart';

describe('chaos chart', () => {
  const startedAt = 1_000_000;
  const svg = chaosSvg({
    title: 'chaos <run>',
    startedAt,
    samples: [
      { second: 0, filed: 0, atExpected: 0 },
      { second: 10, filed: 80, atExpected: 20 },
      { second: 20, filed: 100, atExpected: 100 },
    ],
    faults: [
      { kind: 'kafka-kill9', at: startedAt + 5_000, seconds: 4 },
      { kind: 'service-crash', at: startedAt + 12_000 },
    ],
    invariants: [
      { name: 'every application at its scripted end', checked: 100, violations: [] },
      { name: 'no double payment', checked: 40, violations: [{}] },
    ],
  });

  it('draws both series over the run, scaled to the most filed', () => {
    const lines = [...svg.matchAll(/<polyline[^>]*points="([^"]+)"/g)].map((match) => match[1]!.split(' '));
    expect(lines).toHaveLength(2);
    // filed: 0 at the bottom (y 330) on the left, 100 at the top (y 50) on the right.
    expect(lines[0]![0]).toBe('70.0,330.0');
    expect(lines[0]![2]).toBe('880.0,50.0');
    expect(lines[1]![1]).toBe('475.0,274.0');
  });

  it('marks each fault where it struck, as wide as it lasted', () => {
    const bands = [...svg.matchAll(/<rect x="([\d.]+)" y="50" width="([\d.]+)"[^>]*><title>([^<]+)</g)];
    expect(bands.map((band) => band[3])).toEqual(['kafka-kill9', 'service-crash']);
    expect(Number(bands[0]![1])).toBeCloseTo(272.5, 1);
    expect(Number(bands[0]![2])).toBeCloseTo(162, 1);
    expect(Number(bands[1]![2])).toBe(2);
  });

  it('lists the invariants, broken ones marked, and escapes text', () => {
    expect(svg).toContain('✓ every application at its scripted end: 100 checked, 0 broken');
    expect(svg).toContain('✗ no double payment: 40 checked, 1 broken');
    expect(svg).toContain('chaos &lt;run&gt;');
  });
});
