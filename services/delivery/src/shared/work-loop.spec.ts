import { WorkLoop } from './work-loop';

describe('WorkLoop', () => {
  it('runs round after round, waiting what each answers, and stops after the round in progress', async () => {
    const loop = new WorkLoop();
    const rounds: number[] = [];
    let thirdStarted: () => void = () => undefined;
    let releaseThird: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (thirdStarted = resolve));
    const third = new Promise<void>((resolve) => (releaseThird = resolve));
    loop.start(async () => {
      rounds.push(Date.now());
      if (rounds.length === 3) {
        thirdStarted();
        await third;
      }
      return rounds.length === 1 ? 0 : 30;
    });
    await started;
    const stopped = loop.stop();
    expect(loop.isRunning).toBe(false);
    releaseThird();
    await stopped;

    expect(rounds).toHaveLength(3);
    expect(rounds[2]! - rounds[1]!).toBeGreaterThanOrEqual(25);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(rounds).toHaveLength(3);
  });
});
