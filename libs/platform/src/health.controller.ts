import { PlatformEndpoint } from './service-identity/callable-by.decorator';
import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Readiness } from './health-check';
import { InternetFacing } from './internet-facing.decorator';

/** What a public health endpoint says: up or down, nothing about dependencies or their errors. */
export interface HealthReport {
  status: 'up' | 'down';
}

/**
 * Health on the service's main port, for orchestrators and load balancers. It names no dependency
 * and quotes no error (those are internal addresses and user names): the checks one by one are on
 * the management port (ManagementServer).
 */
@PlatformEndpoint()
@Controller('health')
export class HealthController {
  constructor(@Inject(Readiness) private readonly readiness: Readiness) {}

  /** The process is alive and serving; says nothing about its dependencies. */
  @Get('live')
  @HttpCode(200)
  @InternetFacing()
  live(): HealthReport {
    return { status: 'up' };
  }

  /** Ready to do work: every dependency answers. 503 otherwise, so traffic goes elsewhere. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const { status } = await this.readiness.report();
    response.status(status === 'up' ? 200 : 503);
    return { status };
  }
}
