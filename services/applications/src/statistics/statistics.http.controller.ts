import { CallableBy } from '@umg/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { type ApplicationStatistics, ApplicationStatisticsService } from './application-statistics.service';

/** Aggregate figures for the gateway's operator console and open-data export. */
@Controller('internal/v1/statistics')
@CallableBy('gateway')
export class StatisticsHttpController {
  constructor(private readonly statistics: ApplicationStatisticsService) {}

  @Get()
  get(@Query() query: Record<string, unknown>): Promise<ApplicationStatistics> {
    return this.statistics.statistics(query);
  }
}
