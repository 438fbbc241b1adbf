import { createHash, randomUUID } from 'node:crypto';
import type { Application, ApplicationStatusChanged } from '@umg/contracts';
import type { EDeliveryControl } from '../../tools/simulators/e-delivery/e-delivery-control';
import type { PortalSimulator } from '../../tools/simulators/portal/portal-simulator';
import { randomSubmission, type SubmissionOptions } from '../../tools/simulators/portal/submission-factory';
import { districtApi, type ApiAnswer } from './district-api';
import { districtKeys, testEnv } from './test-env';

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
  step: 'registration' | 'return-for-corrections' | 'refusal' | 'processing' | 'payment-request' | 'handover',
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

/** A result upload's multipart body: the document and its metadata (SHA-256 computed here). */
export function resultForm(content: Buffer, fileName = 'udostoverenie.pdf', kind: 'result' | 'refusal' = 'result') {
  const form = new FormData();
  form.append(
    'metadata',
    JSON.stringify({
      fileName,
      mediaType: 'application/pdf',
      sha256: createHash('sha256').update(content).digest('hex'),
      kind,
    }),
  );
  form.append('document', new Blob([new Uint8Array(content)], { type: 'application/pdf' }), fileName);
  return form;
}

/** Uploads a result (or its replacement) as a back office does: If-Match and Idempotency-Key included. */
export async function submitResult(
  district: string,
  applicationId: string,
  version: number,
  content: Buffer,
  fileName?: string,
): Promise<ApiAnswer<Application>> {
  const response = await fetch(`${testEnv.gatewayUrl}/v1/applications/${applicationId}/result`, {
    method: 'POST',
    body: resultForm(content, fileName),
    headers: {
      'X-Api-Key': districtKeys[district]!,
      'If-Match': `"${version}"`,
      'Idempotency-Key': randomUUID(),
    },
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Application };
}

/**
 * A free service (birth certificate, 2052) filed on the portal, registered, processed and its
 * result uploaded by the district; `withoutProfile`: the applicant has no e-delivery profile, so
 * the result falls back to the desk. Answers the application as the upload left it (result_ready).
 */
export async function throughToResult(
  portal: PortalSimulator,
  district: string,
  content: Buffer,
  options: { withoutProfile?: EDeliveryControl; registrationNumber?: string } = {},
): Promise<Application> {
  const submission = randomSubmission({ districtCode: district, serviceNumber: 2052, urgency: 'regular' });
  await options.withoutProfile?.registerSubject({
    identifier: submission.applicant.identifier,
    type: 'Person',
    registered: false,
  });
  const routed = portal.waitFor(
    (message) =>
      message.type === 'status-changed' &&
      message.body.portalApplicationId === submission.portalApplicationId &&
      message.body.status === 'routed',
  );
  await portal.submit(submission);
  const applicationId = ((await routed).body as ApplicationStatusChanged).applicationId;
  const registered = await decide(
    district,
    applicationId,
    'registration',
    (await read(district, applicationId)).version,
    {
      registrationNumber: options.registrationNumber ?? `РН-${randomUUID().slice(0, 8)}`,
    },
  );
  if (registered.status !== 200) throw new Error(`registration → ${registered.status}`);
  const started = await decide(district, applicationId, 'processing', registered.body.version, {});
  if (started.status !== 200) throw new Error(`processing → ${started.status}`);
  const uploaded = await submitResult(district, applicationId, started.body.version, content);
  if (uploaded.status !== 200) throw new Error(`result → ${uploaded.status}`);
  return uploaded.body;
}
