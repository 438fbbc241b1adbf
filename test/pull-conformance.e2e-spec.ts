import type { Application, ApplicationPage } from '@umg/contracts';
import { DistrictPullClient } from '../tools/simulators/district-pull/district-pull-client';
import { eventually, query } from './support/database';
import { districtApi } from './support/district-api';
import { confirmBankDetails, operatorApi } from './support/districts';
import { districtKeys, testEnv } from './support/test-env';

interface Run {
  id: number;
  status: 'running' | 'passed' | 'failed';
  passed: boolean;
  adapterStyle: string;
  finishedAt: string | null;
  expiresAt?: string;
  sandboxApplicationId?: string;
  checks: { name: string; passed: boolean; detail: string }[];
}

/**
 * The conformance check of a pull district: the gateway puts a sandbox application in the
 * district's list and watches the district's own client (the pull simulator, over real HTTP with
 * its own credentials) register it, process it and answer it; the verdict comes back over Kafka.
 * Vitosha and Ovcha Kupel are pull districts no other test moves.
 */
describe('pull districts: conformance sandbox', () => {
  async function toOnboarding(code: string) {
    const moved = await operatorApi('POST', `/internal/v1/districts/${code}/phase`, {
      phase: 'onboarding',
      reason: 'the district’s IT is connecting its back office',
    });
    expect(moved.status).toBe(200);
    await confirmBankDetails(code);
  }

  async function startRun(code: string): Promise<Run> {
    const started = await operatorApi<Run>('POST', `/internal/v1/districts/${code}/conformance-runs`);
    expect(started.status).toBe(201);
    return started.body;
  }

  async function runOf(code: string, id: number): Promise<Run> {
    const runs = await operatorApi<Run[]>('GET', `/internal/v1/districts/${code}/conformance-runs`);
    return runs.body.find((run) => run.id === id)!;
  }

  async function sandboxInList(code: string, applicationId: string) {
    return eventually(
      async () => (await districtApi<ApplicationPage>(code, 'GET', '/v1/applications?status=routed&limit=100')).body,
      (page) => page.items.some((item) => item.id === applicationId),
    );
  }

  it('passes when the district’s client registers, processes and answers the sandbox application, and only then allows pilot', async () => {
    await toOnboarding('vitosha');
    const run = await startRun('vitosha');
    expect(run).toMatchObject({ status: 'running', passed: false, adapterStyle: 'pull', finishedAt: null });
    expect(run.sandboxApplicationId).toBeDefined();
    expect(run.checks.map((check) => check.name)).toEqual([
      'registered_with_number',
      'processing_started',
      'result_uploaded',
    ]);

    // While the client has not finished, the district cannot go to pilot.
    const early = await operatorApi<{ code: string }>('POST', '/internal/v1/districts/vitosha/phase', {
      phase: 'pilot',
      reason: 'too early',
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('conformance_required');

    const page = await sandboxInList('vitosha', run.sandboxApplicationId!);
    expect(page.items.find((item) => item.id === run.sandboxApplicationId)!.sandbox).toBe(true);
    // Another district never sees it.
    expect((await districtApi('ovcha-kupel', 'GET', `/v1/applications/${run.sandboxApplicationId}`)).status).toBe(404);

    // The district's own client, doing its ordinary polling rounds.
    const client = new DistrictPullClient({
      gatewayUrl: testEnv.gatewayUrl,
      apiKey: districtKeys.vitosha!,
      registrationPrefix: 'ВТШ',
      processToResult: true,
    });
    const finished = await eventually(
      async () => {
        await client.poll();
        return runOf('vitosha', run.id);
      },
      (current) => current.status !== 'running',
    );
    expect(finished.status).toBe('passed');
    expect(finished.passed).toBe(true);
    expect(finished.finishedAt).not.toBeNull();
    expect(finished.checks.every((check) => check.passed)).toBe(true);
    expect(finished.checks[0]!.detail).toMatch(/^registered as ВТШ-/);

    const sandbox = await districtApi<Application>('vitosha', 'GET', `/v1/applications/${run.sandboxApplicationId}`);
    expect(sandbox.body.status).toBe('result_ready');
    expect(sandbox.body.sandbox).toBe(true);
    // Nothing of it left the gateway: no portal status, no domain event, no payment, no delivery.
    const published = await query<{ topic: string }>(
      `SELECT DISTINCT topic FROM applications.outbox WHERE message_key IN ($1, $2)`,
      [run.sandboxApplicationId, sandbox.body.portalApplicationId],
    );
    expect(published.map((row) => row.topic)).toEqual(['applications.sandbox-steps']);
    expect(
      await query('SELECT 1 FROM payments.payment_request WHERE application_id = $1', [run.sandboxApplicationId]),
    ).toHaveLength(0);

    const pilot = await operatorApi('POST', '/internal/v1/districts/vitosha/phase', {
      phase: 'pilot',
      reason: 'conformance sandbox passed',
    });
    expect(pilot.status).toBe(200);
  });

  it('fails when the client does something off the script, and when it does nothing in time', async () => {
    await toOnboarding('ovcha-kupel');
    const refusedRun = await startRun('ovcha-kupel');
    const page = await sandboxInList('ovcha-kupel', refusedRun.sandboxApplicationId!);
    const summary = page.items.find((item) => item.id === refusedRun.sandboxApplicationId)!;
    const refused = await districtApi('ovcha-kupel', 'POST', `/v1/applications/${summary.id}/refusal`, {
      body: { reasons: [{ message: 'we refuse everything' }] },
      headers: { 'If-Match': `"${summary.version}"`, 'Idempotency-Key': `refuse-${summary.id}` },
    });
    expect(refused.status).toBe(200);
    const failed = await eventually(
      () => runOf('ovcha-kupel', refusedRun.id),
      (run) => run.status !== 'running',
    );
    expect(failed.status).toBe('failed');
    expect(failed.checks.find((check) => check.name === 'followed_the_script')!.detail).toMatch(/refused/);

    // A run nobody answers expires (the test clock gives the client a few seconds).
    const idleRun = await startRun('ovcha-kupel');
    const expired = await eventually(
      () => runOf('ovcha-kupel', idleRun.id),
      (run) => run.status !== 'running',
      60_000,
    );
    expect(expired.status).toBe('failed');
    expect(expired.checks.every((check) => !check.passed && check.detail.startsWith('not done before'))).toBe(true);
    const pilot = await operatorApi<{ code: string }>('POST', '/internal/v1/districts/ovcha-kupel/phase', {
      phase: 'pilot',
      reason: 'should be refused',
    });
    expect(pilot.status).toBe(409);
    expect(pilot.body.code).toBe('conformance_required');
  });
});
