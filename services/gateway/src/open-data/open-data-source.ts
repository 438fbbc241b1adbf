import { Injectable } from '@nestjs/common';
import { ApplicationsClient } from '../applications/applications.client';
import { RecentValue } from '../applications/recent-value';
import { openDataFeedback, type OpenDataFeedback } from './open-data-feedback';
import { openDataStatistics, type OpenDataStatistics } from './open-data-statistics';

/** The open-data figures, recomputed at most once a minute: the files are public, the SQL is not free. */
@Injectable()
export class OpenDataSource {
  private readonly statistics: RecentValue<OpenDataStatistics>;
  private readonly feedback: RecentValue<OpenDataFeedback>;

  constructor(applications: ApplicationsClient) {
    this.statistics = new RecentValue(() => applications.statistics().then(openDataStatistics), 60_000);
    this.feedback = new RecentValue(() => applications.feedbackMonths().then(openDataFeedback), 60_000);
  }

  current(): Promise<OpenDataStatistics> {
    return this.statistics.get();
  }

  currentFeedback(): Promise<OpenDataFeedback> {
    return this.feedback.get();
  }
}
