import { PlatformEndpoint } from './service-identity/callable-by.decorator';
import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HEALTH_CHECKS, type HealthCheck, type HealthStatus, withDeadline } from './health-check';

export interface HealthReport {
  status: 'up' | 'down';
  checks: Record<string, HealthStatus>;
}

@PlatformEndpoint()
@Controller('health')
export class HealthController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[]) {}

  /** The process is alive and serving; says nothing about its dependencies. */
  @Get('live')
  @HttpCode(200)
  live(): HealthReport {
    return { status: 'up', checks: {} };
  }

  /** Ready to do work: every dependency answers. 503 otherwise, so traffic goes elsewhere. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const results = await Promise.all(
      this.checks.map(async (check) => [check.name, await withDeadline(() => check.check(), 2_000)] as const),
    );
    const checks = Object.fromEntries(results);
    const status = results.every(([, result]) => result.status === 'up') ? 'up' : 'down';
    response.status(status === 'up' ? 200 : 503);
    return { status, checks };
  }
}
