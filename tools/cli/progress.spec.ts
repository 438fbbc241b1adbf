import { ProgressLine } from './progress';

describe('progress line', () => {
  it('says the current step again when nothing was said for the interval', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = new ProgressLine(
      (line) => lines.push(line),
      10_000,
      () => now,
    );
    progress.begin('starting the broker');
    now = 9_000;
    progress.tick();
    expect(lines).toEqual(['    0 s  starting the broker\n']);
    now = 10_000;
    progress.tick();
    expect(lines[1]).toBe('   10 s  still starting the broker (10 s)\n');
    now = 15_000;
    progress.say('broker up');
    now = 24_000;
    progress.tick();
    expect(lines).toHaveLength(3);
    now = 25_000;
    progress.tick();
    expect(lines[3]).toBe('   25 s  still starting the broker (25 s)\n');
  });

  it('a step can say how far it got each time', () => {
    let now = 0;
    let done = 0;
    const lines: string[] = [];
    const progress = new ProgressLine(
      (line) => lines.push(line),
      10_000,
      () => now,
    );
    progress.begin(() => `HTTP cases: ${done}/300 answered`);
    done = 120;
    now = 10_000;
    progress.tick();
    expect(lines).toEqual([
      '    0 s  HTTP cases: 0/300 answered\n',
      '   10 s  still HTTP cases: 120/300 answered (10 s)\n',
    ]);
  });
});
