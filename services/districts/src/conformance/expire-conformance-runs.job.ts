import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { isTransientDatabaseError } from '@umg/persistence';
import type { DistrictsConfig } from '../config';
import { InjectLogger } from '../inject-logger';
import { DISTRICTS_CONFIG } from '../tokens';
import type { RunRow } from './run-conformance.service';
import { expireSandboxChecks } from './sandbox-script';

/**
 * Fails pull conformance runs whose client did not finish in time. Safe with several instances:
 * each expired run is claimed with SKIP LOCKED and only while still running.
 */
@Injectable()
export class ExpireConformanceRunsJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DISTRICTS_CONFIG) private readonly config: DistrictsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.expireDue()
        .catch((error: unknown) => {
          if (!isTransientDatabaseError(error)) this.logger.error({ err: error }, 'conformance expiry check failed');
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, this.config.CONFORMANCE_EXPIRY_CHECK_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Returns how many runs it failed. */
  expireDue(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due = (await manager.query(
        `SELECT * FROM districts.conformance_run WHERE status = 'running' AND expires_at <= now()
         ORDER BY expires_at LIMIT 100 FOR UPDATE SKIP LOCKED`,
      )) as RunRow[];
      for (const run of due) {
        await manager.query(
          `UPDATE districts.conformance_run SET status = 'failed', passed = false, finished_at = now(), checks = $2::jsonb WHERE id = $1`,
          [run.id, JSON.stringify(expireSandboxChecks(run.checks, run.expires_at!))],
        );
        this.logger.warn({ runId: run.id, districtCode: run.district_code }, 'conformance sandbox run expired');
      }
      return due.length;
    });
  }
}
