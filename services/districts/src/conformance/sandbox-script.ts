import type { DistrictsInternal, SandboxApplicationStep } from '@umg/contracts';

type ConformanceCheck = DistrictsInternal.components['schemas']['ConformanceCheck'];
export type RunStatus = DistrictsInternal.components['schemas']['ConformanceRun']['status'];

/**
 * What a pull district's client must do with the sandbox application, in this order, as the
 * district itself: register it under its own number, start processing, upload a result.
 * Together these prove it can authenticate, find new work, read it, send a decision with
 * If-Match and upload a document.
 */
const script = [
  {
    name: 'registered_with_number',
    status: 'registered',
    waiting: 'waiting for the client to register the sandbox application',
  },
  { name: 'processing_started', status: 'in_progress', waiting: 'waiting for the client to start processing' },
  { name: 'result_uploaded', status: 'result_ready', waiting: 'waiting for the client to upload a result document' },
] as const;

export function initialSandboxChecks(applicationId: string): ConformanceCheck[] {
  return script.map((step) => ({ name: step.name, passed: false, detail: `${step.waiting} (${applicationId})` }));
}

/** Scores one step of the sandbox application; anything off the script fails the run with why. */
export function scoreSandboxStep(
  checks: ConformanceCheck[],
  step: SandboxApplicationStep,
): { checks: ConformanceCheck[]; status: RunStatus } {
  if (step.status === 'received' || step.status === 'routed') return { checks, status: 'running' };
  const expected = script.find((entry) => entry.status === step.status);
  const fail = (detail: string) => ({
    checks: [...checks, { name: 'followed_the_script', passed: false, detail }],
    status: 'failed' as const,
  });
  if (!expected) {
    return fail(
      `the client moved the sandbox application to ${step.status}; the script expects registration, processing and a result`,
    );
  }
  if (step.actor.kind !== 'district') {
    return fail(`${step.status} was done by ${step.actor.kind} ${step.actor.id}, not by the district's client`);
  }
  let detail: string;
  if (expected.name === 'registered_with_number') {
    if (!step.registrationNumber) return fail('registered without a registration number');
    detail = `registered as ${step.registrationNumber} by ${step.actor.id}`;
  } else if (expected.name === 'result_uploaded') {
    if (!step.documentCount) return fail('the result came without a document');
    detail = `result with ${step.documentCount} document(s) by ${step.actor.id}`;
  } else {
    detail = `processing started by ${step.actor.id}`;
  }
  const next = checks.map((check) => (check.name === expected.name ? { ...check, passed: true, detail } : check));
  return { checks: next, status: next.every((check) => check.passed) ? 'passed' : 'running' };
}

/**
 * A run that did not finish in time (a pull district's client, or a push run cut short by a
 * restart): what was still missing is said so, and its step failed.
 */
export function expireSandboxChecks(checks: ConformanceCheck[], expiresAt: Date): ConformanceCheck[] {
  return checks.map((check) =>
    check.passed ? check : { ...check, state: 'failed', detail: `not done before ${expiresAt.toISOString()}` },
  );
}
