import {
  type ChildProcess,
  fork,
  type ForkOptions,
  spawn,
  type SpawnOptions,
  type SpawnOptionsWithoutStdio,
} from 'node:child_process';
import { constants } from 'node:os';

/**
 * How every runner (`npm start`, `npm test`, bench, chaos, fuzz) stops: cleanly, whatever the
 * order in which its children die.
 *
 * Each child is the leader of a process group of its own, so the terminal's Ctrl-C reaches the
 * runner only (no child dies, and none is restarted, before the runner decides), and stopping a
 * child signals its whole group: its own children (a simulator's helpers, jest's workers) go with
 * it. On SIGINT, SIGTERM or SIGHUP the runner runs its stop steps (last started, first stopped),
 * then kills whatever is left of every group it started and exits 128 + the signal's number
 * (130 for Ctrl-C). When the runner's process ends in any other way, the same last sweep runs.
 */

const groups = new Set<number>();

function track<C extends ChildProcess>(child: C): C {
  if (child.pid !== undefined) groups.add(child.pid);
  return child;
}

/** `spawn`, the child in a process group of its own that the runner stops. */
export function spawnChild(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return track(spawn(command, args, { ...(options as SpawnOptionsWithoutStdio), detached: true }));
}

/** `fork` (IPC), the child in a process group of its own that the runner stops. */
export function forkChild(module: string, args: readonly string[], options: ForkOptions = {}): ChildProcess {
  return track(fork(module, args, { ...options, detached: true }));
}

/** Sends `signal` to the child's whole process group; a group already gone is no error. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is empty: nothing to stop
  }
}

/** Whether the child itself has exited (its group may still hold processes it started). */
export function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Stops a child's group: SIGTERM, then SIGKILL after `graceMs` (at once when 0); resolves when
 * the child has exited. Its group gets a SIGKILL at the end either way, for a grandchild that lingers.
 */
export async function stopChild(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (!exited(child)) {
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child, graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
  signalGroup(child, 'SIGKILL');
}

/** Kills every group this process started; synchronous, so it also runs in an 'exit' handler. */
export function killAllChildren(): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already empty
    }
  }
  groups.clear();
}
process.once('exit', killAllChildren);

export type StopStep = () => Promise<unknown> | unknown;

export interface RunOptions {
  /** Longest time the stop steps may take before whatever is left is killed. */
  graceMs?: number;
  /** The exit code when main fails with an error (1 by default). */
  errorCode?: number;
  /** Where the runner says what it is doing when it stops (stderr by default). */
  say?: (line: string) => void;
}

/** A runner's stop steps and how it ends: `run(main)` once per process. */
export class Runner {
  private readonly steps: { name: string; step: StopStep }[] = [];
  private stopped: Promise<void> | undefined;
  /** The signal that stopped the runner, if one did. */
  signal: NodeJS.Signals | undefined;

  constructor(private readonly options: RunOptions = {}) {}

  /** Whether a signal has asked the runner to stop (long loops look at it). */
  get stopping(): boolean {
    return this.signal !== undefined;
  }

  /** A step to run when the runner stops, however it stops; the last added runs first. */
  onStop(name: string, step: StopStep): void {
    this.steps.push({ name, step });
  }

  /** Runs the stop steps once (later calls wait for the first), within the grace time. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      const say = this.options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.options.graceMs ?? 60_000).unref());
      const steps = (async () => {
        for (const { name, step } of [...this.steps].reverse()) {
          try {
            await step();
          } catch (error) {
            say(`stopping ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      })();
      await Promise.race([steps, deadline]);
      killAllChildren();
    })();
    return this.stopped;
  }

  /**
   * Runs `main` with SIGINT, SIGTERM and SIGHUP handled: the stop steps run, then the process
   * exits with main's code, 1 after an error, or 128 + the signal's number after a signal.
   */
  run(main: (runner: Runner) => Promise<number>): void {
    const say = this.options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
    const finish = async (code: number) => {
      await this.stop();
      process.exit(this.signal ? 128 + constants.signals[this.signal] : code);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      // Repeats (npm forwards the terminal's Ctrl-C a second time) change nothing: the stop is under way.
      process.on(signal, () => {
        if (this.signal) return;
        this.signal = signal;
        say(`${signal}: stopping everything this run started`);
        void finish(0);
      });
    }
    main(this).then(
      (code) => finish(code),
      (error: unknown) => {
        // A child killed by the stop fails what main awaited: the signal says why, not this error.
        if (!this.signal) say(error instanceof Error ? (error.stack ?? error.message) : String(error));
        return finish(this.options.errorCode ?? 1);
      },
    );
  }
}
