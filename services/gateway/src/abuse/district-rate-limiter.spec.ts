import { DistrictRateLimiter } from './district-rate-limiter';

describe('DistrictRateLimiter', () => {
  it('allows a burst, then refuses with a retry time, then refills at the steady rate', () => {
    let now = 0;
    const limiter = new DistrictRateLimiter(2, 3, () => now);

    const burst = [1, 2, 3].map(() => limiter.take('serdika').allowed);
    const refused = limiter.take('serdika');
    now += 500; // half a second at 2/s gives one token back
    const afterRefill = limiter.take('serdika');

    expect(burst).toEqual([true, true, true]);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    expect(afterRefill.allowed).toBe(true);
  });

  it('keeps each district’s allowance apart', () => {
    const limiter = new DistrictRateLimiter(1, 1, () => 0);
    expect(limiter.take('serdika').allowed).toBe(true);
    expect(limiter.take('serdika').allowed).toBe(false);
    expect(limiter.take('triaditsa').allowed).toBe(true);
  });
});
