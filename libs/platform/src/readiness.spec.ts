import { Readiness } from './health-check';

describe('Readiness', () => {
  it('names each check with its error, and answers down when one fails', async () => {
    const readiness = new Readiness([
      { name: 'postgres', check: async () => ({ status: 'up' }) },
      {
        name: 'kafka',
        check: async () => {
          throw new Error('Connection timeout to broker 10.0.0.7:9092');
        },
      },
    ]);
    expect(await readiness.report()).toEqual({
      status: 'down',
      checks: {
        postgres: { status: 'up' },
        kafka: { status: 'down', detail: 'Connection timeout to broker 10.0.0.7:9092' },
      },
    });
  });

  it('runs one round of checks however often it is asked within the reuse window', async () => {
    let rounds = 0;
    const check = { name: 'postgres', check: async () => ((rounds += 1), { status: 'up' as const }) };
    const shared = new Readiness([check], 60_000);
    await Promise.all(Array.from({ length: 50 }, () => shared.report()));
    await shared.report();
    expect(rounds).toBe(1);
    const fresh = new Readiness([check], 0);
    await fresh.report();
    await fresh.report();
    expect(rounds).toBe(3);
  });
});
