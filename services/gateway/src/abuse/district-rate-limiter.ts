import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';

/** The outcome of asking for one request's worth of a district's allowance. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until a request would be allowed again (when refused). */
  retryAfterSeconds: number;
}

/** The published limits as one window: BURST requests per BURST / PER_SECOND seconds. */
export function rateWindow(perSecond: number, burst: number): { points: number; duration: number } {
  return { points: burst, duration: burst / perSecond };
}

/**
 * Requests per district counted in PostgreSQL (rate-limiter-flexible, one upsert per request in
 * gateway.rate_limit), so every gateway instance spends the same allowance: N instances allow the
 * published limit, not N times it. A fixed window of BURST requests that lasts BURST / PER_SECOND
 * seconds keeps both published figures (the burst at once, the steady rate over time).
 *
 * When PostgreSQL does not answer, each instance counts in its own memory with the same limits
 * (fail open to the per-instance limit): refusing every district while the database is down would
 * turn a database hiccup into an API outage for calls that may not need it (reads from caches,
 * 503s with their own problem), and allowing everything would drop the flood protection; the
 * per-instance count keeps a bound (N times the limit) for that while.
 */
@Injectable()
export class DistrictRateLimiter {
  private readonly limiter: RateLimiterPostgres;
  private readonly points: number;

  constructor(dataSource: DataSource, @Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    const window = rateWindow(config.GATEWAY_RATE_LIMIT_PER_SECOND, config.GATEWAY_RATE_LIMIT_BURST);
    this.points = window.points;
    this.limiter = new RateLimiterPostgres({
      ...window,
      storeClient: dataSource,
      storeType: 'typeorm',
      schemaName: 'gateway',
      tableName: 'rate_limit',
      // The table is the migration's (never created at run time).
      tableCreated: true,
      keyPrefix: 'district',
      insuranceLimiter: new RateLimiterMemory({ ...window, keyPrefix: 'district' }),
    });
  }

  async take(districtCode: string): Promise<RateDecision> {
    try {
      const spent = await this.limiter.consume(districtCode);
      return { allowed: true, limit: this.points, remaining: spent.remainingPoints, retryAfterSeconds: 0 };
    } catch (refusal) {
      // The insurance limiter answers for the store, so a rejection here is a refusal, never an error.
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return {
        allowed: false,
        limit: this.points,
        remaining: 0,
        retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)),
      };
    }
  }
}
