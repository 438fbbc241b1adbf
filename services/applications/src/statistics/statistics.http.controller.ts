import { CallableBy, ContractQuery } from '@umg/platform';
import { Controller, Get } from '@nestjs/common';
import {
  type ApplicationStatistics,
  ApplicationStatisticsService,
  type StatisticsQuery,
} from './application-statistics.service';

/** Aggregate figures for the gateway's operator console and open-data export. */
@Controller('internal/v1/statistics')
@CallableBy('gateway')
export class StatisticsHttpController {
  constructor(private readonly statistics: ApplicationStatisticsService) {}

  @Get()
  get(
    @ContractQuery('applications-internal.getApplicationStatistics') query: StatisticsQuery,
  ): Promise<ApplicationStatistics> {
    return this.statistics.statistics(query);
  }
}
