import { Writable } from 'node:stream';
import { createLogger } from '@umg/logging';
import { PeriodicWorker, type PeriodicWorkerOptions } from './periodic-worker';

/** A logger whose lines are kept, to check what a failure logs. */
function capturedLogger() {
  const lines: { level: string; msg: string; worker?: string; failures?: number }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      callback();
    },
  });
  return { logger: createLogger('test', 'debug', destination), lines };
}

function worker(options: Partial<PeriodicWorkerOptions>, round: () => Promise<number | void>) {
  const { logger, lines } = capturedLogger();
  const periodic = new PeriodicWorker({ name: 'test worker', intervalMs: 1_000, jitter: 0, ...options }, logger, round);
  return { periodic, lines };
}

describe('PeriodicWorker', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs a round every interval, the first one interval after start', async () => {
    let rounds = 0;
    const { periodic } = worker({}, () => Promise.resolve(void (rounds += 1)));
    periodic.start();
    await jest.advanceTimersByTimeAsync(999);
    expect(rounds).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(rounds).toBe(1);
    await jest.advanceTimersByTimeAsync(3_000);
    expect(rounds).toBe(4);
    await periodic.stop();
  });

  it('reads an interval given as a function before every pause', async () => {
    let rounds = 0;
    let intervalMs = 1_000;
    const { periodic } = worker({ intervalMs: () => intervalMs }, () => Promise.resolve(void (rounds += 1)));
    periodic.start();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(rounds).toBe(1);
    intervalMs = 10_000;
    await jest.advanceTimersByTimeAsync(1_000);
    // The pause after round 1 was taken before the change: round 2 comes at the old interval.
    expect(rounds).toBe(2);
    await jest.advanceTimersByTimeAsync(9_999);
    expect(rounds).toBe(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(rounds).toBe(3);
    await periodic.stop();
  });

  it('starts at once when asked, and goes on at once while a round answers 0', async () => {
    let rounds = 0;
    const { periodic } = worker({ firstRoundAfterMs: 0 }, () => Promise.resolve(++rounds < 3 ? 0 : undefined));
    periodic.start();
    await jest.advanceTimersByTimeAsync(10);
    expect(rounds).toBe(3);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(rounds).toBe(4);
    await periodic.stop();
  });

  it('waits what a round answers instead of the interval', async () => {
    let rounds = 0;
    const { periodic } = worker({ firstRoundAfterMs: 0 }, () => Promise.resolve(void (rounds += 1)).then(() => 5_000));
    periodic.start();
    await jest.advanceTimersByTimeAsync(4_999);
    expect(rounds).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(rounds).toBe(2);
    await periodic.stop();
  });

  it('never shortens the interval by more than its jitter, and never lengthens it', async () => {
    const starts: number[] = [];
    const { periodic } = worker({ jitter: 0.2 }, () => Promise.resolve(void starts.push(Date.now())));
    const begin = Date.now();
    periodic.start();
    await jest.advanceTimersByTimeAsync(20_000);
    await periodic.stop();
    const gaps = [starts[0]! - begin, ...starts.slice(1).map((at, index) => at - starts[index]!)];
    expect(gaps.length).toBeGreaterThanOrEqual(20);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(800);
      expect(gap).toBeLessThanOrEqual(1_000);
    }
  });

  it('never runs two rounds at once: a slow round holds back the next one', async () => {
    let active = 0;
    let most = 0;
    let rounds = 0;
    const { periodic } = worker({ intervalMs: 100 }, async () => {
      active += 1;
      rounds += 1;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      active -= 1;
    });
    periodic.start();
    // Rounds start at 100, 1 200, 2 300 and 3 400 ms: each an interval after the previous one ended.
    await jest.advanceTimersByTimeAsync(3_500);
    const stopped = periodic.stop();
    await jest.advanceTimersByTimeAsync(1_000);
    await stopped;
    expect(most).toBe(1);
    expect(rounds).toBe(4);
  });

  it('runs at once when woken during a pause, and right after the round in progress when woken during one', async () => {
    const starts: number[] = [];
    let release: () => void = () => undefined;
    const { periodic } = worker({ intervalMs: 60_000 }, async () => {
      starts.push(Date.now());
      if (starts.length === 2) await new Promise<void>((resolve) => (release = resolve));
    });
    const begin = Date.now();
    periodic.start();
    periodic.wake();
    await jest.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([begin]);
    periodic.wake();
    await jest.advanceTimersByTimeAsync(1);
    expect(starts).toHaveLength(2);
    periodic.wake();
    release();
    await jest.advanceTimersByTimeAsync(1);
    expect(starts).toHaveLength(3);
    await periodic.stop();
  });

  it('backs off after failures, logs each one, and returns to the interval after a success', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    const starts: number[] = [];
    let failing = 3;
    const { periodic, lines } = worker({ firstRoundAfterMs: 0, backoff: { baseMs: 100, maxMs: 250 } }, async () => {
      starts.push(Date.now());
      if (failing-- > 0) throw new Error('database away');
      return Promise.resolve();
    });
    const begin = Date.now();
    periodic.start();
    await jest.advanceTimersByTimeAsync(2_000);
    await periodic.stop();
    jest.restoreAllMocks();
    // Full jitter just under its ceiling (100, 200, then 250 capped) plus half the base, then the interval.
    expect(starts.slice(0, 5).map((at) => at - begin)).toEqual([0, 149, 398, 697, 1_697]);
    const failures = lines.filter((line) => line.msg === 'test worker failed; retrying');
    expect(failures.map((line) => [line.level, line.failures])).toEqual([
      ['error', 1],
      ['error', 2],
      ['error', 3],
    ]);
    expect(periodic.status.consecutiveFailures).toBe(0);
  });

  it('logs expected failures at debug and the others at the level asked', async () => {
    // Backoff has full jitter: pinned, the second retry (at ~3 s) falls outside the 1.6 s window.
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    let round = 0;
    const { periodic, lines } = worker(
      { firstRoundAfterMs: 0, failureLevel: 'warn', isExpectedFailure: (error) => String(error).includes('restart') },
      () => Promise.reject(new Error(++round === 1 ? 'database restarting' : 'bug')),
    );
    periodic.start();
    await jest.advanceTimersByTimeAsync(1_600);
    await periodic.stop();
    jest.restoreAllMocks();
    expect(lines.map((line) => line.level)).toEqual(['debug', 'warn']);
    expect(periodic.status.consecutiveFailures).toBe(2);
    expect(periodic.status.lastSuccessAt).toBeUndefined();
  });

  it('stops during a pause at once, and waits for the round in progress', async () => {
    let finished = false;
    const { periodic } = worker({ firstRoundAfterMs: 0 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      finished = true;
    });
    periodic.start();
    await jest.advanceTimersByTimeAsync(1);
    expect(periodic.isRunning).toBe(true);
    let stopped = false;
    const stopping = periodic.stop().then(() => (stopped = true));
    expect(periodic.isRunning).toBe(false);
    await jest.advanceTimersByTimeAsync(498);
    expect(stopped).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await stopping;
    expect(finished).toBe(true);

    // Stopped during a pause: no round runs after it.
    let rounds = 0;
    const idle = worker({}, () => Promise.resolve(void (rounds += 1))).periodic;
    idle.start();
    await idle.stop();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(rounds).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('can be started again after it was stopped', async () => {
    let rounds = 0;
    const { periodic } = worker({}, () => Promise.resolve(void (rounds += 1)));
    periodic.start();
    await periodic.stop();
    periodic.start();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(rounds).toBe(1);
    expect(periodic.status.lastSuccessAt).toBeDefined();
    await periodic.stop();
  });
});
