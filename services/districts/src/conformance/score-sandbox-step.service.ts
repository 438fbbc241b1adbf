import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SandboxApplicationStep } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import type { RunRow } from './run-conformance.service';
import { scoreSandboxStep } from './sandbox-script';

/** Marks a running pull conformance run's checks as its client handles the sandbox application. */
@Injectable()
export class ScoreSandboxStepService {
  constructor(@InjectLogger() private readonly logger: Logger) {}

  async score(manager: EntityManager, step: SandboxApplicationStep): Promise<void> {
    const [run] = (await manager.query(
      `SELECT * FROM districts.conformance_run WHERE id = $1 AND sandbox_application_id = $2 FOR UPDATE`,
      [step.runId, step.applicationId],
    )) as RunRow[];
    if (!run || run.status !== 'running') {
      // Late steps (after expiry or a verdict) change nothing: the verdict stands.
      this.logger.info({ runId: step.runId, status: step.status }, 'sandbox step after the run ended');
      return;
    }
    const { checks, status } = scoreSandboxStep(run.checks, step);
    await manager.query(
      `UPDATE districts.conformance_run
       SET checks = $2::jsonb, status = $3, passed = ($3 = 'passed'),
           finished_at = CASE WHEN $3 = 'running' THEN NULL ELSE now() END
       WHERE id = $1`,
      [run.id, JSON.stringify(checks), status],
    );
    this.logger.info(
      { runId: run.id, districtCode: run.district_code, step: step.status, status },
      'conformance sandbox step scored',
    );
  }
}
