export interface HealthStatus {
  status: 'up' | 'down';
  detail?: string;
}

/** One dependency that readiness depends on. */
export interface HealthCheck {
  name: string;
  check(): Promise<HealthStatus>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

/** Runs a check with a deadline: a hung dependency reads as down, not as a hung probe. */
export async function withDeadline(check: () => Promise<HealthStatus>, ms: number): Promise<HealthStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthStatus>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'down', detail: `no answer within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([
      check().catch((error: unknown) => ({
        status: 'down' as const,
        detail: error instanceof Error ? error.message : String(error),
      })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness with the result of each check: only on the management port, never on a public one. */
export interface ReadinessReport {
  status: 'up' | 'down';
  checks: Record<string, HealthStatus>;
}

/**
 * Runs the readiness checks. However often readiness is asked (a public probe may be asked by
 * anyone), the dependencies see at most one round of checks per `reuseMs`: callers within it share
 * the last round's answer.
 */
export class Readiness {
  private last: { startedAt: number; report: Promise<ReadinessReport> } | undefined;

  constructor(
    private readonly checks: HealthCheck[],
    private readonly reuseMs = 1_000,
    private readonly deadlineMs = 2_000,
  ) {}

  report(): Promise<ReadinessReport> {
    const now = Date.now();
    if (this.last && now - this.last.startedAt < this.reuseMs) return this.last.report;
    const report = this.run();
    this.last = { startedAt: now, report };
    return report;
  }

  private async run(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.checks.map(async (check) => [check.name, await withDeadline(() => check.check(), this.deadlineMs)] as const),
    );
    const status = results.every(([, result]) => result.status === 'up') ? 'up' : 'down';
    return { status, checks: Object.fromEntries(results) };
  }
}
