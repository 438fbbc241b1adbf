import { PlatformEndpoint } from './service-identity/callable-by.decorator';
import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PlatformMetrics } from './platform-metrics';

@PlatformEndpoint()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(PlatformMetrics) private readonly metrics: PlatformMetrics) {}

  /** Prometheus exposition format, read fresh on each scrape. */
  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    const text = await this.metrics.scrape();
    response.type(this.metrics.contentType);
    return text;
  }
}
