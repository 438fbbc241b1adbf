/**
 * A tool's progress lines: `say` prints one (time since the start first); when nothing was said
 * for `everyMs`, the current step is said again with how long it has lasted, so a long step
 * (a broker starting, a settle wait) never leaves the terminal silent for more than `everyMs`.
 */
export class ProgressLine {
  private readonly startedAt: number;
  private lastSaid: number;
  private step: string | (() => string) = 'starting';
  private stepSince: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
    private readonly everyMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = this.lastSaid = this.stepSince = now();
  }

  /** Prints a line now. */
  say(line: string): void {
    this.lastSaid = this.now();
    this.write(`${String(Math.round((this.lastSaid - this.startedAt) / 1000)).padStart(5)} s  ${line}\n`);
  }

  /** A new step: said now, and said again while it lasts (a function says how far it got). */
  begin(step: string | (() => string)): void {
    this.step = step;
    this.stepSince = this.now();
    this.say(this.stepText());
  }

  private stepText(): string {
    return typeof this.step === 'string' ? this.step : this.step();
  }

  /** Says the step again if nothing was said for `everyMs` (the timer calls it every second). */
  tick(): void {
    const now = this.now();
    if (now - this.lastSaid < this.everyMs) return;
    this.say(`still ${this.stepText()} (${Math.round((now - this.stepSince) / 1000)} s)`);
  }

  start(): this {
    this.timer ??= setInterval(() => this.tick(), 1_000).unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
