import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { PeriodicWorker } from '@umg/messaging';
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
  private readonly worker: PeriodicWorker;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DISTRICTS_CONFIG) config: DistrictsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.worker = new PeriodicWorker(
      {
        name: 'conformance expiry check',
        intervalMs: config.CONFORMANCE_EXPIRY_CHECK_MS,
        isExpectedFailure: isTransientDatabaseError,
      },
      logger,
      async () => void (await this.expireDue()),
    );
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
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
