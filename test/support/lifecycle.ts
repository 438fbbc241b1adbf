import { randomUUID } from 'node:crypto';
import type { Application, ApplicationStatusChanged } from '@umg/contracts';
import type { PortalSimulator } from '../../tools/simulators/portal/portal-simulator';
import { randomSubmission, type SubmissionOptions } from '../../tools/simulators/portal/submission-factory';
import { districtApi, type ApiAnswer } from './district-api';

/**
 * Files a submission on the portal and waits until the gateway routed it; returns the application.
 * `headers` go on the portal's message (e.g. a `traceparent`).
 */
export async function submitRouted(
  portal: PortalSimulator,
  options: SubmissionOptions & { districtCode: string },
  headers: Record<string, string> = {},
): Promise<{ applicationId: string; submission: ReturnType<typeof randomSubmission> }> {
  const submission = randomSubmission(options);
  const routed = portal.waitFor(
    (message) =>
      message.type === 'status-changed' &&
      message.body.portalApplicationId === submission.portalApplicationId &&
      message.body.status === 'routed',
  );
  await portal.submit(submission, undefined, headers);
  return { applicationId: ((await routed).body as ApplicationStatusChanged).applicationId, submission };
}

/** A district decision as a back office sends it: Idempotency-Key and If-Match included. */
export function decide(
  district: string,
  applicationId: string,
  step: 'registration' | 'return-for-corrections' | 'refusal' | 'processing' | 'payment-request',
  version: number | null,
  body: unknown,
  idempotencyKey: string | null = randomUUID(),
): Promise<ApiAnswer<Application>> {
  return districtApi<Application>(district, 'POST', `/v1/applications/${applicationId}/${step}`, {
    body,
    headers: {
      ...(version === null ? {} : { 'If-Match': `"${version}"` }),
      ...(idempotencyKey === null ? {} : { 'Idempotency-Key': idempotencyKey }),
    },
  });
}

export async function read(district: string, applicationId: string): Promise<Application> {
  const answer = await districtApi<Application>(district, 'GET', `/v1/applications/${applicationId}`);
  if (answer.status !== 200) throw new Error(`GET ${applicationId} → ${answer.status}`);
  return answer.body;
}
