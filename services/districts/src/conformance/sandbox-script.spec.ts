import type { SandboxApplicationStep } from '@umg/contracts';
import { expireSandboxChecks, initialSandboxChecks, scoreSandboxStep } from './sandbox-script';

const applicationId = '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10';

function step(overrides: Partial<SandboxApplicationStep>): SandboxApplicationStep {
  return {
    runId: 7,
    applicationId,
    districtCode: 'vitosha',
    status: 'registered',
    previousStatus: 'routed',
    sequence: 3,
    occurredAt: '2026-11-27T10:00:00Z',
    actor: { kind: 'district', id: 'vitosha-client' },
    registrationNumber: 'ВТШ-2026-1',
    ...overrides,
  };
}

describe('the pull sandbox script', () => {
  it('passes only after registration with a number, processing and a result with a document', () => {
    let checks = initialSandboxChecks(applicationId);
    expect(checks.every((check) => !check.passed && check.detail.includes(applicationId))).toBe(true);
    let scored = scoreSandboxStep(
      checks,
      step({ status: 'routed', previousStatus: 'received', actor: { kind: 'system', id: 'districts' } }),
    );
    expect(scored.status).toBe('running');
    scored = scoreSandboxStep(checks, step({}));
    expect(scored.status).toBe('running');
    expect(scored.checks[0]).toEqual({
      name: 'registered_with_number',
      passed: true,
      detail: 'registered as ВТШ-2026-1 by vitosha-client',
    });
    checks = scored.checks;
    scored = scoreSandboxStep(checks, step({ status: 'in_progress', previousStatus: 'registered' }));
    expect(scored.status).toBe('running');
    scored = scoreSandboxStep(
      scored.checks,
      step({ status: 'result_ready', previousStatus: 'in_progress', documentCount: 1 }),
    );
    expect(scored.status).toBe('passed');
    expect(scored.checks.map((check) => check.passed)).toEqual([true, true, true]);
  });

  it('fails a step off the script, by someone else, or without its evidence', () => {
    const checks = initialSandboxChecks(applicationId);
    const refused = scoreSandboxStep(checks, step({ status: 'refused', registrationNumber: null }));
    expect(refused.status).toBe('failed');
    expect(refused.checks.at(-1)).toMatchObject({ name: 'followed_the_script', passed: false });
    expect(refused.checks.at(-1)!.detail).toContain('refused');
    expect(scoreSandboxStep(checks, step({ actor: { kind: 'operator', id: 'op-ivanova' } })).status).toBe('failed');
    expect(scoreSandboxStep(checks, step({ registrationNumber: null })).status).toBe('failed');
    expect(scoreSandboxStep(checks, step({ status: 'result_ready', documentCount: 0 })).status).toBe('failed');
  });

  it('says what was missing when the run expires', () => {
    const registered = scoreSandboxStep(initialSandboxChecks(applicationId), step({})).checks;
    const expired = expireSandboxChecks(registered, new Date('2026-11-28T10:00:00Z'));
    expect(expired[0]!.passed).toBe(true);
    expect(expired.slice(1).map((check) => check.detail)).toEqual([
      'not done before 2026-11-28T10:00:00.000Z',
      'not done before 2026-11-28T10:00:00.000Z',
    ]);
    expect(expired.map((check) => check.state)).toEqual([undefined, 'failed', 'failed']);
  });
});
