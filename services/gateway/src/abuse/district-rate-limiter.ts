/** The outcome of asking for one request's worth of a district's allowance. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until a request would be allowed again (when refused). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * A token bucket per district: a steady rate with a burst allowance. One district flooding the
 * API runs out of its own tokens and gets 429s; the others keep theirs. Per gateway instance:
 * with N instances behind a balancer a district gets up to N times the rate.
 */
export class DistrictRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(districtCode: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(districtCode) ?? { tokens: this.burst, refilledAt: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * this.perSecond);
    bucket.refilledAt = now;
    this.buckets.set(districtCode, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, limit: this.burst, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    return {
      allowed: false,
      limit: this.burst,
      remaining: 0,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)),
    };
  }
}
