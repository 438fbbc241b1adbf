import { sleep } from '@umg/messaging';

/**
 * Runs one round of background work after another until stopped; each round answers how long to
 * wait before the next. Stopping waits for the round in progress, so nothing is cut off mid-way.
 */
export class WorkLoop {
  private running = false;
  private loop: Promise<void> | undefined;

  start(round: () => Promise<number>): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const pause = await round();
        if (pause > 0 && this.running) await sleep(pause);
      }
    })();
  }

  get isRunning(): boolean {
    return this.running;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
