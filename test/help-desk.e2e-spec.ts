import { createHash, randomUUID } from 'node:crypto';
import type { Application, ApplicationPage, OperatorApi, Problem } from '@umg/contracts';
import { EDeliveryControl } from '../tools/simulators/e-delivery/e-delivery-control';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { eventually, query } from './support/database';
import { pkiCommand } from './support/identity';
import {
  decide,
  read,
  resultForm,
  submitResult,
  submitRouted,
  throughToResult as throughToResultOf,
} from './support/lifecycle';
import { paymentRequestsOf, simulator } from './support/payments';
import { testEnv } from './support/test-env';

type ApplicationCase = OperatorApi.components['schemas']['ApplicationCase'];

/** A birth certificate (2052) is free: registered → in progress without a payment. */
const FREE = { serviceNumber: 2052, urgency: 'regular' as const };
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'utf8');
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/**
 * Item 2 (second half) and item 6 of issue 17, on the real broker and database: a result
 * e-delivery refuses is replaced (by the district, or by an operator for it) and delivered; a
 * result left at the desk is handed over, once; an operator finds an application by each
 * criterion and reads its whole story on one page.
 */
describe('help desk: blocked results, desk handovers, finding an application', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const eDelivery = new EDeliveryControl(testEnv.eDeliveryUrl);
  const suffix = randomUUID().slice(0, 8);
  const cookies: Record<string, string> = {};
  const operatorName = `operator-${suffix}`;

  beforeAll(async () => {
    await portal.start();
    const passwords: Record<string, string> = {};
    // Accounts first, sign-ins after: the commands take seconds, longer than an idle keep-alive socket lives.
    for (const role of ['viewer', 'operator'] as const) {
      passwords[role] = `correct horse ${randomUUID()}`;
      expect(
        pkiCommand(['operator', `${role}-${suffix}`, role], { OPERATOR_PASSWORD: passwords[role] }).output,
      ).toContain(`operator ${role}-${suffix}: ${role}`);
    }
    for (const role of ['viewer', 'operator'] as const) {
      const signIn = () =>
        fetch(`${testEnv.gatewayUrl}/operator/v1/session`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: `${role}-${suffix}`, password: passwords[role] }),
        });
      const response = await signIn().catch(() => signIn());
      expect(response.status).toBe(201);
      cookies[role] = response.headers.get('set-cookie')!.split(';')[0]!;
    }
  }, 120_000);
  afterAll(() => portal.stop());

  async function operatorCall<T>(
    role: 'viewer' | 'operator',
    method: string,
    path: string,
    options: { body?: unknown; form?: FormData; ifMatch?: number } = {},
  ): Promise<{ status: number; headers: Headers; body: T }> {
    const response = await fetch(`${testEnv.gatewayUrl}${path}`, {
      method,
      headers: {
        Cookie: cookies[role]!,
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(options.ifMatch !== undefined ? { 'If-Match': `"${options.ifMatch}"` } : {}),
      },
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as T };
  }

  const throughToResult = (district: string, content: Buffer, options: { registered?: boolean } = {}) =>
    throughToResultOf(portal, district, content, options.registered === false ? { withoutProfile: eDelivery } : {});

  const settled = (district: string, applicationId: string, from: Application['status']) =>
    eventually(
      () => read(district, applicationId),
      (application) => application.status !== from,
    );

  it('shows a result blocked as malicious; the district replaces it and the replacement is delivered', async () => {
    const ready = await throughToResult('serdika', pdf(EICAR));
    const blocked = await settled('serdika', ready.id, 'result_ready');
    expect(blocked.status).toBe('result_blocked');
    expect(blocked.timeline.at(-1)).toMatchObject({
      toStatus: 'result_blocked',
      actor: { kind: 'system', id: 'delivery' },
      reasons: [expect.objectContaining({ code: 'document_malicious' })],
    });

    const clean = pdf('Удостоверение за раждане, чисто');
    const replaced = await submitResult('serdika', ready.id, blocked.version, clean, 'udostoverenie-2.pdf');
    expect(replaced.status).toBe(200);
    expect(replaced.body.status).toBe('result_ready');
    const [refused, replacement] = replaced.body.documents;
    expect(refused).toMatchObject({ id: ready.documents[0]!.id, supersededBy: replacement!.id });
    expect(refused!.supersededAt).toEqual(expect.any(String));
    expect(replacement).toMatchObject({ fileName: 'udostoverenie-2.pdf', sha256: sha256(clean) });
    expect(replacement!.supersededAt).toBeUndefined();

    const delivered = await settled('serdika', ready.id, 'result_ready');
    expect(delivered.status).toBe('delivered');
    const results = (await eDelivery.inbox(ready.applicant.identifier)).filter((message) =>
      message.title.includes('Резултат'),
    );
    expect(results).toHaveLength(1);
    expect(results[0]!.documents.map((document) => document.sha256)).toContain(sha256(clean));
    expect(results[0]!.documents.map((document) => document.sha256)).not.toContain(sha256(pdf(EICAR)));

    // A replacement is only for a blocked result: the delivered one cannot be replaced.
    const again = await submitResult('serdika', ready.id, delivered.version, clean);
    expect(again.status).toBe(409);
    expect((again.body as unknown as Problem).code).toBe('transition_not_allowed');
  });

  it('lets an operator, not a viewer, upload the replacement on the district’s behalf', async () => {
    const ready = await throughToResult('nadezhda', pdf(EICAR));
    const blocked = await settled('nadezhda', ready.id, 'result_ready');
    expect(blocked.status).toBe('result_blocked');
    const clean = pdf('Удостоверение, качено от оператор');
    const path = `/operator/v1/applications/${ready.id}/result`;

    const byViewer = await operatorCall<Problem>('viewer', 'POST', path, {
      form: resultForm(clean),
      ifMatch: blocked.version,
    });
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.code).toBe('operator_role_required');
    const withoutVersion = await operatorCall<Problem>('operator', 'POST', path, { form: resultForm(clean) });
    expect(withoutVersion.status).toBe(428);
    expect(withoutVersion.body.code).toBe('precondition_required');

    const replaced = await operatorCall<Application>('operator', 'POST', path, {
      form: resultForm(clean),
      ifMatch: blocked.version,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe(`"${replaced.body.version}"`);
    expect(replaced.body.timeline.at(-1)).toMatchObject({
      fromStatus: 'result_blocked',
      toStatus: 'result_ready',
      actor: { kind: 'operator', id: operatorName },
      details: expect.objectContaining({ replacement: true }),
    });
    expect(await settled('nadezhda', ready.id, 'result_ready')).toMatchObject({ status: 'delivered' });
  });

  it('ends a desk collection handed over through the district API, tells the portal, and refuses a second handover', async () => {
    const ready = await throughToResult('serdika', pdf('Удостоверение'), { registered: false });
    const waiting = await settled('serdika', ready.id, 'result_ready');
    expect(waiting.status).toBe('awaiting_collection');

    const portalHeard = portal.waitFor(
      (message) =>
        message.type === 'status-changed' &&
        message.body.portalApplicationId === ready.portalApplicationId &&
        message.body.status === 'handed_over',
    );
    const handover = {
      handedOverBy: 'Мария Иванова',
      recipient: { name: 'Петър Петров', identifierType: 'EGN', identifier: '8003150020' },
    };
    const handed = await decide('serdika', ready.id, 'handover', waiting.version, handover);
    expect(handed.status).toBe(200);
    expect(handed.body.status).toBe('handed_over');
    expect(handed.body.handover).toMatchObject({
      handedOverBy: 'Мария Иванова',
      actor: { kind: 'district' },
      recipient: handover.recipient,
    });
    expect(Date.now() - Date.parse(handed.body.handover!.handedOverAt)).toBeLessThan(60_000);
    expect(handed.body.timeline.at(-1)).toMatchObject({ fromStatus: 'awaiting_collection', toStatus: 'handed_over' });
    // The recipient's identifier stays in the application, off the timeline.
    expect(JSON.stringify(handed.body.timeline)).not.toContain('8003150020');
    expect((await portalHeard).body).toMatchObject({ status: 'handed_over', previousStatus: 'awaiting_collection' });

    const second = await decide('serdika', ready.id, 'handover', handed.body.version, handover);
    expect(second.status).toBe(409);
    expect((second.body as unknown as Problem).code).toBe('already_handed_over');
    const stale = await decide('serdika', ready.id, 'handover', waiting.version, handover);
    expect(stale.status).toBe(412);
    // Only a result waiting at the desk can be handed over.
    const { applicationId: routedOnly } = await submitRouted(portal, { districtCode: 'serdika', ...FREE });
    const early = await decide(
      'serdika',
      routedOnly,
      'handover',
      (await read('serdika', routedOnly)).version,
      handover,
    );
    expect(early.status).toBe(409);
    expect((early.body as unknown as Problem).code).toBe('transition_not_allowed');
  });

  it('records a handover by an operator, masks the recipient for viewers, and refuses a later one', async () => {
    const ready = await throughToResult('nadezhda', pdf('Удостоверение'), { registered: false });
    const waiting = await settled('nadezhda', ready.id, 'result_ready');
    expect(waiting.status).toBe('awaiting_collection');
    const path = `/operator/v1/applications/${ready.id}/handover`;
    const body = { recipient: { name: 'Елена Колева', identifierType: 'EGN', identifier: '7501020018' } };

    const byViewer = await operatorCall<Problem>('viewer', 'POST', path, { body, ifMatch: waiting.version });
    expect(byViewer.status).toBe(403);
    const invalid = await operatorCall<Problem>('operator', 'POST', path, {
      body: { recipient: { name: 'Елена Колева', identifier: '7501020018' } },
      ifMatch: waiting.version,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('validation_failed');

    const handed = await operatorCall<Application>('operator', 'POST', path, { body, ifMatch: waiting.version });
    expect(handed.status).toBe(200);
    expect(handed.body.handover).toMatchObject({
      handedOverBy: operatorName,
      actor: { kind: 'operator', id: operatorName },
      recipient: body.recipient,
    });
    expect(handed.body.timeline.at(-1)).toMatchObject({
      toStatus: 'handed_over',
      actor: { kind: 'operator', id: operatorName },
    });

    const later = await operatorCall<Problem>('operator', 'POST', path, { body, ifMatch: handed.body.version });
    expect(later.status).toBe(409);
    expect(later.body.code).toBe('already_handed_over');

    const page = await operatorCall<ApplicationCase>('viewer', 'GET', `/operator/v1/applications/${ready.id}`);
    expect(page.status).toBe(200);
    expect(page.body.application.handover?.recipient).toEqual({
      name: 'Елена Колева',
      identifierType: 'EGN',
      identifier: '******0018',
    });
    expect(page.body.application.applicant.identifier).toMatch(/^\*{6}\d{4}$/);
    expect(JSON.stringify(page.body)).not.toContain('7501020018');
    expect(JSON.stringify(page.body)).not.toContain(ready.applicant.identifier);
    expect(page.body.application).not.toHaveProperty('formData');
    // The stored recipient is the real one: only the view masks it.
    const [stored] = await query<{ handover: { recipient: { identifier: string } } }>(
      'SELECT handover FROM applications.application WHERE id = $1',
      [ready.id],
    );
    expect(stored!.handover.recipient.identifier).toBe('7501020018');
  });

  it('finds a paid, delivered application by each criterion and shows its timeline, payments, deliveries and exchanges', async () => {
    // Certificate of heirs, fast: a fee, so the page has a payment request and its status reports.
    const { applicationId, submission } = await submitRouted(portal, {
      districtCode: 'serdika',
      serviceNumber: 2016,
      urgency: 'fast',
    });
    const registrationNumber = `СРД-${randomUUID().slice(0, 8)}`;
    const registered = await decide(
      'serdika',
      applicationId,
      'registration',
      (await read('serdika', applicationId)).version,
      {
        registrationNumber,
      },
    );
    expect(registered.body.status).toBe('awaiting_payment');
    const [request] = await eventually(
      () => paymentRequestsOf(applicationId),
      (found) => found[0]?.status === 'pending',
    );
    await simulator('POST', `/payments/${request!.paymentSystemId}/pay`);
    const paid = await eventually(
      () => read('serdika', applicationId),
      (application) => application.status === 'paid',
    );
    const started = await decide('serdika', applicationId, 'processing', paid.version, {});
    await submitResult('serdika', applicationId, started.body.version, pdf('Удостоверение за наследници'));
    const delivered = await settled('serdika', applicationId, 'result_ready');
    expect(delivered.status).toBe('delivered');

    const find = (search: string) =>
      operatorCall<ApplicationPage>('viewer', 'GET', `/operator/v1/applications?${search}`);
    const ids = (page: { body: ApplicationPage }) => page.body.items.map((item) => item.id);

    // Registration number as a clerk might type it: other case, spaces around.
    const byNumber = await find(`registrationNumber=${encodeURIComponent(`  ${registrationNumber.toLowerCase()} `)}`);
    expect(byNumber.status).toBe(200);
    expect(ids(byNumber)).toEqual([applicationId]);
    const byReference = await find(`portalApplicationId=${encodeURIComponent(submission.portalApplicationId)}`);
    expect(ids(byReference)).toEqual([applicationId]);
    const byDistrictAndStatus = await find('district=serdika&status=delivered&limit=100');
    expect(byDistrictAndStatus.body.items.every((item) => item.districtCode === 'serdika')).toBe(true);
    expect(byDistrictAndStatus.body.items.every((item) => item.status === 'delivered')).toBe(true);
    expect(ids(byDistrictAndStatus)).toContain(applicationId);
    const byStatus = await find('status=delivered&status=handed_over&limit=100');
    expect(ids(byStatus)).toContain(applicationId);
    // Combined: every criterion must match.
    const combined = await find(
      `registrationNumber=${encodeURIComponent(registrationNumber)}&district=serdika&status=delivered`,
    );
    expect(ids(combined)).toEqual([applicationId]);
    expect(ids(await find(`registrationNumber=${encodeURIComponent(registrationNumber)}&district=izgrev`))).toEqual([]);
    expect(ids(await find(`registrationNumber=${encodeURIComponent(registrationNumber)}&status=refused`))).toEqual([]);
    // Paged, newest first, with a cursor that belongs to its filters.
    const first = await find('district=serdika&limit=1');
    expect(first.body.items).toHaveLength(1);
    const next = await find(`district=serdika&limit=1&cursor=${encodeURIComponent(first.body.nextCursor!)}`);
    expect(next.status).toBe(200);
    expect(Date.parse(next.body.items[0]!.submittedAt)).toBeLessThanOrEqual(Date.now());
    expect(ids(next)).not.toEqual(ids(first));
    const foreignCursor = await find(`district=izgrev&limit=1&cursor=${encodeURIComponent(first.body.nextCursor!)}`);
    expect(foreignCursor.status).toBe(400);
    expect((foreignCursor.body as unknown as Problem).code).toBe('invalid_cursor');
    const badStatus = await find('status=lost');
    expect(badStatus.status).toBe(400);
    expect((badStatus.body as unknown as Problem).code).toBe('validation_failed');

    const page = await operatorCall<ApplicationCase>('viewer', 'GET', `/operator/v1/applications/${applicationId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('etag')).toBe(`"${delivered.version}"`);
    const story = page.body;
    expect(story.unavailable).toEqual([]);
    expect(story.application).toMatchObject({ id: applicationId, registrationNumber, status: 'delivered' });
    expect(story.application.timeline.map((entry) => entry.toStatus)).toEqual([
      'received',
      'routed',
      'registered',
      'awaiting_payment',
      'paid',
      'in_progress',
      'result_ready',
      'delivered',
    ]);
    expect(story.payments!.requests).toEqual([
      expect.objectContaining({ id: request!.id, status: 'paid', amountMinor: 383, currency: 'EUR' }),
    ]);
    expect(story.payments!.statusReports.map((report) => report.paymentRequestId)).toContain(request!.id);
    expect(story.payments!.statusReports.some((report) => report.reportedStatus === 'paid' && report.applied)).toBe(
      true,
    );
    const kinds = story.deliveries!.map((delivery) => delivery.noticeKind);
    expect(kinds).toEqual(expect.arrayContaining(['registration_notice', 'payment_notice', 'result']));
    expect(story.deliveries!.find((delivery) => delivery.noticeKind === 'result')).toMatchObject({
      status: 'delivered',
      nroAt: expect.any(String),
      documents: [expect.objectContaining({ blocked: false })],
    });
    const operations = story.exchanges.map((exchange) => `${exchange.operation} ${exchange.outcome}`);
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /v1/applications/:applicationId/registration 200',
        'POST /v1/applications/:applicationId/processing 200',
        'POST /v1/applications/:applicationId/result 200',
      ]),
    );
    expect(
      story.exchanges.every(
        (exchange) => exchange.party.startsWith('district:') || exchange.party.startsWith('operator:'),
      ),
    ).toBe(true);

    const missing = await operatorCall<Problem>('viewer', 'GET', `/operator/v1/applications/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('application_not_found');
    const notAnId = await operatorCall<Problem>('viewer', 'GET', '/operator/v1/applications/not-an-id');
    expect(notAnId.status).toBe(400);
  });
});
