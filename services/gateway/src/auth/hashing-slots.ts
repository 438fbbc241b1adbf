/**
 * A semaphore with a bounded queue: at most `slots` tasks run at once, at most `queue` more wait
 * their turn, and any beyond that are refused at once (`busy()` is thrown) instead of piling up.
 */
export class HashingSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly slots: number,
    readonly queue: number,
  ) {}

  get inUse(): number {
    return this.running;
  }

  async run<T>(task: () => Promise<T>, busy: () => Error): Promise<T> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.queue) throw busy();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
