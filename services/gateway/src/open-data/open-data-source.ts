import { Injectable } from '@nestjs/common';
import { ApplicationsClient } from '../applications/applications.client';
import { RecentValue } from '../applications/recent-value';
import { openDataStatistics, type OpenDataStatistics } from './open-data-statistics';

/** The open-data figures, recomputed at most once a minute: the files are public, the SQL is not free. */
@Injectable()
export class OpenDataSource {
  private readonly statistics: RecentValue<OpenDataStatistics>;

  constructor(applications: ApplicationsClient) {
    this.statistics = new RecentValue(() => applications.statistics().then(openDataStatistics), 60_000);
  }

  current(): Promise<OpenDataStatistics> {
    return this.statistics.get();
  }
}
