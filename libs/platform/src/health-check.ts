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
