import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config';
import { DistrictRateLimiter, rateWindow } from './district-rate-limiter';

// The shared count itself is exercised on the real database by test/rate-limit.e2e-spec.ts.
describe('DistrictRateLimiter', () => {
  const config = { GATEWAY_RATE_LIMIT_PER_SECOND: 2, GATEWAY_RATE_LIMIT_BURST: 3 } as GatewayConfig;
  /** A database that does not answer. */
  const unreachable = {
    driver: { master: { query: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) } },
  } as unknown as DataSource;

  it('turns the published limits into one window: the burst per burst ÷ rate seconds', () => {
    expect(rateWindow(20, 60)).toEqual({ points: 60, duration: 3 });
    expect(rateWindow(0.5, 10)).toEqual({ points: 10, duration: 20 });
  });

  it('counts in memory with the same limits while PostgreSQL is down: a burst, then a 429 with a retry time', async () => {
    const limiter = new DistrictRateLimiter(unreachable, config);
    const burst = [];
    for (let i = 0; i < 3; i++) burst.push(await limiter.take('serdika'));
    const refused = await limiter.take('serdika');

    expect(burst.map((decision) => [decision.allowed, decision.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
    expect(refused).toEqual({ allowed: false, limit: 3, remaining: 0, retryAfterSeconds: 2 });
  });

  it('keeps each district’s allowance apart', async () => {
    const limiter = new DistrictRateLimiter(unreachable, { ...config, GATEWAY_RATE_LIMIT_BURST: 1 });
    expect((await limiter.take('serdika')).allowed).toBe(true);
    expect((await limiter.take('serdika')).allowed).toBe(false);
    expect((await limiter.take('bankya')).allowed).toBe(true);
  });
});
