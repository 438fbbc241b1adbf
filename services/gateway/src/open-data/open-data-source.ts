import { Injectable } from '@nestjs/common';
import { ApplicationsClient } from '../applications/applications.client';
import { openDataStatistics, type OpenDataStatistics } from './open-data-statistics';

const CACHE_MS = 60_000;

/** The open-data figures, recomputed at most once a minute: the files are public, the SQL is not free. */
@Injectable()
export class OpenDataSource {
  private cached: { at: number; statistics: Promise<OpenDataStatistics> } | undefined;

  constructor(private readonly applications: ApplicationsClient) {}

  current(): Promise<OpenDataStatistics> {
    if (!this.cached || Date.now() - this.cached.at > CACHE_MS) {
      const statistics = this.applications.statistics().then(openDataStatistics);
      // A failure is not cached: the next request tries again.
      this.cached = { at: Date.now(), statistics };
      statistics.catch(() => {
        if (this.cached?.statistics === statistics) this.cached = undefined;
      });
    }
    return this.cached.statistics;
  }
}
