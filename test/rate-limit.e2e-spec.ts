import { randomUUID } from 'node:crypto';
import { ServiceProcess, type SystemLayout } from '../tools/dev/local-system';
import { query } from './support/database';
import { districtKeys } from './support/test-env';

/** The runner's system; these gateways run with its settings on ports of their own. */
const layout = JSON.parse(process.env.TEST_SYSTEM_LAYOUT ?? 'null') as SystemLayout;
const BURST = 6;
// A window of BURST requests lasting BURST / 0.1 = 60 s: the test's requests all fall in one window however slow the machine.
const PER_SECOND = '0.1';
const district = 'krasno-selo';

/**
 * Two gateway instances on the real database with the same limit, as two pods behind one
 * balancer: a district that spreads its calls over both gets the published limit once, not twice.
 */
describe('the district rate limit is shared by every gateway instance', () => {
  const gateways = [1, 2].map(
    (instance) =>
      new ServiceProcess('gateway', layout, {
        instance: 10 + instance,
        port: layout.ports.gateway + 40 + 20 * instance,
        restart: false,
        env: {
          DATABASE_POOL_SIZE: '3',
          GATEWAY_TLS_PORT: String(Number(layout.extraEnv!.GATEWAY_TLS_PORT) + 40 + 20 * instance),
          GATEWAY_RATE_LIMIT_PER_SECOND: PER_SECOND,
          GATEWAY_RATE_LIMIT_BURST: String(BURST),
        },
      }),
  );

  beforeAll(async () => {
    for (const gateway of gateways) gateway.start();
    await Promise.all(gateways.map((gateway) => gateway.waitReady(90_000)));
    // The suite's own gateway (another limit) may have counted this district already.
    await query(`DELETE FROM gateway.rate_limit WHERE key = $1`, [`district:${district}`]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
  }, 60_000);

  it('allows the burst across both instances together, then answers 429 problems with Retry-After on either', async () => {
    const answers = [];
    for (let i = 0; i < 3 * BURST; i++) {
      const response = await fetch(`${gateways[i % 2]!.url}/v1/applications/${randomUUID()}`, {
        headers: { 'X-Api-Key': districtKeys[district]! },
      });
      answers.push({
        gateway: i % 2,
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        contentType: response.headers.get('content-type'),
        body: (await response.json()) as { code?: string },
      });
    }
    const allowed = answers.filter((answer) => answer.status !== 429);
    const refused = answers.filter((answer) => answer.status === 429);
    // Per-instance counting would have let 2 × BURST through.
    expect(allowed).toHaveLength(BURST);
    expect(answers.slice(BURST).every((answer) => answer.status === 429)).toBe(true);
    expect(new Set(refused.map((answer) => answer.gateway))).toEqual(new Set([0, 1]));
    for (const answer of refused) {
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.code).toBe('too_many_requests');
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(answer.retryAfter)).toBeLessThanOrEqual(60);
    }
    const [row] = await query<{ points: number }>(`SELECT points FROM gateway.rate_limit WHERE key = $1`, [
      `district:${district}`,
    ]);
    expect(row!.points).toBe(3 * BURST);
  });
});
