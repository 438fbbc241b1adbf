import { readFileSync } from 'node:fs';
import type { ProcessFigures } from './report';

const ticksPerSecond = 100; // USER_HZ on Linux

interface Sample {
  at: number;
  cpuTicks: number;
  rssKb: number;
}

/**
 * `proportional`: count shared pages once across the group (PSS), for groups of processes that
 * share memory (PostgreSQL's backends); single processes report their resident set (RSS).
 */
function read(pid: number, proportional: boolean): Omit<Sample, 'at'> | undefined {
  try {
    // Fields after the command name (which may contain spaces): utime is the 14th field, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    const memory = proportional
      ? /Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
      : /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpuTicks, rssKb: Number(memory?.[1] ?? 0) };
  } catch {
    return undefined; // the process ended
  }
}

/** Samples CPU time and resident memory of named processes from /proc, once a second. */
export class ProcessSampler {
  private readonly samples = new Map<string, Sample[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly processes: () => { name: string; pids: number[] }[]) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1_000);
  }

  stop(): ProcessFigures[] {
    clearInterval(this.timer);
    this.sample();
    return [...this.samples.entries()].map(([name, samples]) => {
      const first = samples[0]!;
      const last = samples.at(-1)!;
      const seconds = Math.max(0.001, (last.at - first.at) / 1000);
      return {
        name,
        cpuPercent: ((last.cpuTicks - first.cpuTicks) / ticksPerSecond / seconds) * 100,
        peakRssMb: Math.max(...samples.map((s) => s.rssKb)) / 1024,
      };
    });
  }

  private sample(): void {
    const at = Date.now();
    for (const { name, pids } of this.processes()) {
      let cpuTicks = 0;
      let rssKb = 0;
      for (const pid of pids) {
        const figures = read(pid, pids.length > 1);
        if (!figures) continue;
        cpuTicks += figures.cpuTicks;
        rssKb += figures.rssKb;
      }
      const list = this.samples.get(name) ?? [];
      list.push({ at, cpuTicks, rssKb });
      this.samples.set(name, list);
    }
  }
}
