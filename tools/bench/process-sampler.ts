import { readFileSync } from 'node:fs';
import type { ProcessFigures } from './report';

const ticksPerSecond = 100; // USER_HZ on Linux

/** CPU time (clock ticks) of each process of each named group at one moment. */
export type CpuSnapshot = Map<string, Map<number, number>>;

interface Sample {
  at: number;
  cpu: Map<number, number>;
  rssKb: number;
}

/**
 * `proportional`: count shared pages once across the group (PSS), for groups of processes that
 * share memory (PostgreSQL's backends); single processes report their resident set (RSS).
 */
function read(pid: number, proportional: boolean): { cpuTicks: number; rssKb: number } | undefined {
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

/**
 * CPU milliseconds each group spent between two snapshots. Counted per process: one that appears
 * only in `after` started in between, so all of its time is in the window (a pooled database
 * connection opened mid-run); one that ended in between is lost with its /proc entry.
 */
export function cpuMsBetween(before: CpuSnapshot, after: CpuSnapshot): Map<string, number> {
  const result = new Map<string, number>();
  for (const [name, pids] of after) {
    let ticks = 0;
    for (const [pid, end] of pids) ticks += Math.max(0, end - (before.get(name)?.get(pid) ?? 0));
    result.set(name, (ticks / ticksPerSecond) * 1000);
  }
  return result;
}

/** The whole machine's CPU counters (/proc/stat, in ticks): busy and total, all cores. */
export function machineCpu(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: idle and iowait are not busy
    const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busy: total - values[3]! - (values[4] ?? 0), total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Busy share of the machine between two readings, in % of all cores (100 = every core busy). */
export function machineCpuPercent(before: { busy: number; total: number }, after: { busy: number; total: number }) {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * 100 : 0;
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

  /** Each group's CPU ticks now, for `cpuMsBetween`. */
  snapshot(): CpuSnapshot {
    const snapshot: CpuSnapshot = new Map();
    for (const { name, pids } of this.processes()) {
      snapshot.set(name, new Map(pids.flatMap((pid) => [[pid, read(pid, false)?.cpuTicks ?? 0] as const])));
    }
    return snapshot;
  }

  stop(): ProcessFigures[] {
    clearInterval(this.timer);
    this.sample();
    return [...this.samples.entries()].map(([name, samples]) => {
      const first = samples[0]!;
      const last = samples.at(-1)!;
      const seconds = Math.max(0.001, (last.at - first.at) / 1000);
      const cpuMs = cpuMsBetween(new Map([[name, first.cpu]]), new Map([[name, last.cpu]])).get(name) ?? 0;
      return {
        name,
        cpuPercent: (cpuMs / 1000 / seconds) * 100,
        peakRssMb: Math.max(...samples.map((s) => s.rssKb)) / 1024,
      };
    });
  }

  private sample(): void {
    const at = Date.now();
    for (const { name, pids } of this.processes()) {
      const cpu = new Map<number, number>();
      let rssKb = 0;
      for (const pid of pids) {
        const figures = read(pid, pids.length > 1);
        if (!figures) continue;
        cpu.set(pid, figures.cpuTicks);
        rssKb += figures.rssKb;
      }
      const list = this.samples.get(name) ?? [];
      list.push({ at, cpu, rssKb });
      this.samples.set(name, list);
    }
  }
}
