/**
 * The chaos run as one SVG picture: applications filed and at their scripted end over time, each
 * injected fault a band where it struck (as wide as it lasted), and below, each invariant with how
 * many cases it checked and how many broke. Hand-written SVG: no chart library is a dependency.
 */
export interface ChaosSample {
  /** Seconds since the run started. */
  second: number;
  filed: number;
  atExpected: number;
}

export interface ChaosChartInput {
  samples: ChaosSample[];
  /** Faults as the run recorded them: `at` in ms since the epoch, `seconds` how long it lasted. */
  faults: { kind: string; at: number; seconds?: number }[];
  startedAt: number;
  invariants: { name: string; checked: number; violations: unknown[] }[];
  title: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chaosSvg(input: ChaosChartInput): string {
  const width = 900;
  const plotTop = 50;
  const plotBottom = 330;
  const left = 70;
  const right = width - 20;
  const rowHeight = 18;
  const height = plotBottom + 60 + input.invariants.length * rowHeight + 20;
  const lastSecond = Math.max(
    1,
    ...input.samples.map((sample) => sample.second),
    ...input.faults.map((fault) => (fault.at - input.startedAt) / 1000 + (fault.seconds ?? 0)),
  );
  const peak = Math.max(1, ...input.samples.map((sample) => sample.filed));
  const x = (second: number) => left + (Math.max(0, second) / lastSecond) * (right - left);
  const y = (value: number) => plotBottom - (value / peak) * (plotBottom - plotTop);
  const line = (key: 'filed' | 'atExpected', colour: string) =>
    `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${input.samples
      .map((sample) => `${x(sample.second).toFixed(1)},${y(sample[key]).toFixed(1)}`)
      .join(' ')}"/>`;
  const faults = input.faults.map((fault, index) => {
    const from = x((fault.at - input.startedAt) / 1000);
    const to = Math.max(from + 2, x((fault.at - input.startedAt) / 1000 + (fault.seconds ?? 0)));
    // Labels alternate between three heights so neighbours do not overwrite each other.
    const labelY = plotTop + 12 + (index % 3) * 12;
    return [
      `<rect x="${from.toFixed(1)}" y="${plotTop}" width="${(to - from).toFixed(1)}" height="${plotBottom - plotTop}" fill="#ff7f0e" fill-opacity="0.25"><title>${escape(fault.kind)}</title></rect>`,
      `<text x="${(from + 2).toFixed(1)}" y="${labelY}" font-size="10" fill="#a0522d">${escape(fault.kind)}</text>`,
    ].join('');
  });
  const ticks = [0, 0.5, 1].map(
    (f) =>
      `<text x="${left - 8}" y="${y(f * peak) + 4}" text-anchor="end" font-size="12">${Math.round(f * peak)}</text>` +
      `<line x1="${left}" x2="${right}" y1="${y(f * peak)}" y2="${y(f * peak)}" stroke="#ddd"/>`,
  );
  const rows = input.invariants.map((invariant, index) => {
    const rowY = plotBottom + 60 + index * rowHeight;
    const broken = invariant.violations.length;
    return `<text x="${left}" y="${rowY}" font-size="12" fill="${broken ? '#d62728' : '#2ca02c'}">${broken ? '✗' : '✓'} ${escape(invariant.name)}: ${invariant.checked} checked, ${broken} broken</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15">${escape(input.title)}</text>`,
    `<text x="${left}" y="40" font-size="12" fill="#1f77b4">filed</text>`,
    `<text x="${left + 50}" y="40" font-size="12" fill="#2ca02c">at their scripted end</text>`,
    `<text x="${left + 200}" y="40" font-size="12" fill="#a0522d">faults (band: while it lasted)</text>`,
    ...ticks,
    ...faults,
    line('filed', '#1f77b4'),
    line('atExpected', '#2ca02c'),
    `<text x="${(left + right) / 2}" y="${plotBottom + 20}" text-anchor="middle" font-size="12">seconds since the run started (0 … ${Math.round(lastSecond)})</text>`,
    `<text x="${left}" y="${plotBottom + 42}" font-size="13">Invariants</text>`,
    ...rows,
    `</svg>`,
  ].join('\n');
}
