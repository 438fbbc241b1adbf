import type { Logger } from '@umg/logging';
import { backoffDelay } from './backoff';

/**
 * One round of background work. It answers nothing to wait the interval before the next round,
 * or how long to wait instead (0: go on at once, more work is waiting). A round that throws is
 * logged and the next one waits a backoff.
 */
export type PeriodicRound = () => Promise<number | void>;

export interface PeriodicWorkerOptions {
  /** Names the worker in its logs. */
  name: string;
  /**
   * The pause between rounds. A function is read before every pause: a worker woken by
   * notifications polls slowly while they arrive and fast while they cannot (see WorkNotifications).
   */
  intervalMs: number | (() => number);
  /**
   * Each interval is shortened by up to this share of it at random (default 0.1), so instances
   * started together drift apart instead of querying in step; never lengthened.
   */
  jitter?: number;
  /** Delay of the first round after start (default: one interval, as a timer would). */
  firstRoundAfterMs?: number;
  /**
   * After failed rounds: full-jitter exponential backoff from baseMs to maxMs, plus baseMs / 2.
   * Default: both the interval, i.e. the next round comes about one interval later.
   */
  backoff?: { baseMs: number; maxMs: number };
  /** Failures expected while a dependency is away (e.g. the database restarting): logged at debug only. */
  isExpectedFailure?: (error: unknown) => boolean;
  /** Level of the failure log (default error). */
  failureLevel?: 'warn' | 'error';
  /** Lets the process exit while only this worker's timer is pending (default false). */
  unref?: boolean;
}

/** What health checks and metrics can read of a worker. */
export interface PeriodicWorkerStatus {
  running: boolean;
  /** Rounds failed in a row since the last one that succeeded. */
  consecutiveFailures: number;
  lastRoundAt: Date | undefined;
  lastSuccessAt: Date | undefined;
}

/**
 * Runs a round of background work periodically: one round at a time (never overlapping), an
 * interval with jitter, `wake()` to run at once when there is work, backoff after failures, and a
 * `stop()` that waits for the round in progress. The owner starts it in `onApplicationBootstrap`
 * and stops it in `beforeApplicationShutdown`, so a round never outlives the database connection.
 */
export class PeriodicWorker {
  private loop: Promise<void> | undefined;
  private stopping = false;
  private woken = false;
  private endPause: (() => void) | undefined;
  private failures = 0;
  private lastRoundAt: Date | undefined;
  private lastSuccessAt: Date | undefined;

  constructor(
    private readonly options: PeriodicWorkerOptions,
    private readonly logger: Logger,
    private readonly round: PeriodicRound,
  ) {}

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Runs the next round now (or right after the one in progress) instead of after the pause. */
  wake(): void {
    this.woken = true;
    this.endPause?.();
  }

  /** Ends the worker; resolves once the round in progress, if any, has finished. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.endPause?.();
    await this.loop;
    this.loop = undefined;
  }

  /** False once stopping: a long round can check it to end early. */
  get isRunning(): boolean {
    return this.loop !== undefined && !this.stopping;
  }

  get status(): PeriodicWorkerStatus {
    return {
      running: this.isRunning,
      consecutiveFailures: this.failures,
      lastRoundAt: this.lastRoundAt,
      lastSuccessAt: this.lastSuccessAt,
    };
  }

  private async run(): Promise<void> {
    let pauseMs = this.options.firstRoundAfterMs ?? this.interval();
    for (;;) {
      await this.pause(pauseMs);
      if (this.stopping) return;
      pauseMs = await this.runRound();
    }
  }

  /** Runs one round; answers the pause before the next. Never throws. */
  private async runRound(): Promise<number> {
    this.lastRoundAt = new Date();
    try {
      const next = await this.round();
      this.failures = 0;
      this.lastSuccessAt = new Date();
      return next ?? this.interval();
    } catch (error) {
      this.failures += 1;
      const context = { err: error, worker: this.options.name, failures: this.failures };
      if (this.options.isExpectedFailure?.(error)) this.logger.debug(context, `${this.options.name} failed; retrying`);
      else this.logger[this.options.failureLevel ?? 'error'](context, `${this.options.name} failed; retrying`);
      const { baseMs, maxMs } = this.options.backoff ?? { baseMs: this.intervalMs(), maxMs: this.intervalMs() };
      return backoffDelay(this.failures, baseMs, maxMs) + Math.floor(baseMs / 2);
    }
  }

  private interval(): number {
    const { jitter = 0.1 } = this.options;
    return Math.round(this.intervalMs() * (1 - Math.random() * Math.min(1, Math.max(0, jitter))));
  }

  private intervalMs(): number {
    const { intervalMs } = this.options;
    return typeof intervalMs === 'function' ? intervalMs() : intervalMs;
  }

  /** Waits `ms`, or less when woken or stopped. */
  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.woken || ms <= 0) {
      this.woken = false;
      // Still yields, so a round that answers 0 again and again cannot starve the event loop.
      return new Promise((resolve) => setImmediate(resolve));
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.endPause = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (this.options.unref) timer.unref();
      this.endPause = done;
    });
  }
}
