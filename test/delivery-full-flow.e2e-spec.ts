import { createHash } from 'node:crypto';
import type { Application, ApplicationStatusChanged, DeliveryInternal } from '@umg/contracts';
import { EDeliveryControl } from '../tools/simulators/e-delivery/e-delivery-control';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { randomSubmission } from '../tools/simulators/portal/submission-factory';
import { eventually } from './support/database';
import { decide, read, submitResult } from './support/lifecycle';
import { districtApi } from './support/district-api';
import { testEnv } from './support/test-env';
import { asGateway } from './support/service-identity';

type Delivery = DeliveryInternal.components['schemas']['Delivery'];

/** A birth certificate (2052) is free: registered → in progress without a payment. */
const FREE = { serviceNumber: 2052, urgency: 'regular' as const };

/**
 * The whole way, on the real broker and database: the portal files an application, the district
 * registers and processes it and uploads the result through the gateway, delivery takes the
 * document from applications and sends it to the e-delivery simulator, and the receipt (or its
 * absence) decides the application's final status.
 */
describe('result delivery, from the portal to the applicant’s e-delivery profile', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
  const eDelivery = new EDeliveryControl(testEnv.eDeliveryUrl);

  beforeAll(() => portal.start(), 60_000);
  afterAll(() => portal.stop());

  /** Filed on the portal, registered, processed, and the result uploaded; `opens: false` — the applicant never opens e-delivery. */
  async function throughToResult(resultContent: Buffer, options: { opens?: boolean } = {}): Promise<Application> {
    const submission = randomSubmission({ districtCode: 'serdika', ...FREE });
    if (options.opens === false) {
      await eDelivery.registerSubject({ identifier: submission.applicant.identifier, type: 'Person', opens: false });
    }
    const routed = portal.waitFor(
      (message) =>
        message.type === 'status-changed' &&
        message.body.portalApplicationId === submission.portalApplicationId &&
        message.body.status === 'routed',
    );
    await portal.submit(submission);
    const applicationId = ((await routed).body as ApplicationStatusChanged).applicationId;

    const routedVersion = (await read('serdika', applicationId)).version;
    const registered = await decide('serdika', applicationId, 'registration', routedVersion, {
      registrationNumber: `СРД-94-${Math.floor(Math.random() * 1e6)}`,
    });
    expect(registered.status).toBe(200);
    const started = await decide('serdika', applicationId, 'processing', registered.body.version, {});
    expect(started.status).toBe(200);
    const uploaded = await submitResult('serdika', applicationId, started.body.version, resultContent);
    expect(uploaded.status).toBe(200);
    return uploaded.body;
  }

  async function deliveriesOf(applicationId: string): Promise<Delivery[]> {
    const response = await fetch(`${testEnv.deliveryUrl}/internal/v1/applications/${applicationId}/deliveries`, {
      headers: await asGateway('delivery'),
      signal: AbortSignal.timeout(10_000),
    });
    return ((await response.json()) as { items: Delivery[] }).items;
  }

  const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'utf8');

  it('delivers the registration notice and the result, and the application ends delivered', async () => {
    const content = pdf('Удостоверение за раждане');
    const resultReady = await throughToResult(content);
    expect(resultReady.status).toBe('result_ready');

    const final = await eventually(
      () => read('serdika', resultReady.id),
      (application) => application.status !== 'result_ready',
    );

    expect(final.status).toBe('delivered');
    const last = final.timeline.at(-1)!;
    expect(last).toMatchObject({
      fromStatus: 'result_ready',
      toStatus: 'delivered',
      actor: { kind: 'system', id: 'delivery' },
    });
    const inbox = await eDelivery.inbox(resultReady.applicant.identifier);
    expect(inbox.map((message) => message.title)).toEqual([
      expect.stringContaining('Входящ номер'),
      expect.stringContaining('Резултат'),
    ]);
    const result = inbox[1]!;
    expect(result.title).toContain(resultReady.serviceReferenceNumber);
    // The notice as a text document, then the result as the district uploaded it.
    expect(result.documents).toHaveLength(2);
    expect(result.documents[1]).toMatchObject({
      name: 'udostoverenie.pdf',
      contentType: 'application/pdf',
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    const deliveries = await deliveriesOf(resultReady.id);
    const resultDelivery = deliveries.find((delivery) => delivery.noticeKind === 'result')!;
    expect(resultDelivery).toMatchObject({ status: 'delivered', eDeliveryMessageId: String(result.messageId) });
    expect(resultDelivery.documents).toEqual([
      expect.objectContaining({
        documentId: resultReady.documents[0]!.id,
        sha256: resultReady.documents[0]!.sha256,
        blocked: false,
      }),
    ]);
  });

  it('moves the application to collection at the desk when no receipt arrives in time', async () => {
    const resultReady = await throughToResult(pdf('Удостоверение'), { opens: false });

    const final = await eventually(
      () => read('serdika', resultReady.id),
      (application) => application.status !== 'result_ready',
    );

    expect(final.status).toBe('awaiting_collection');
    expect(final.timeline.at(-1)).toMatchObject({
      toStatus: 'awaiting_collection',
      actor: { kind: 'system', id: 'delivery' },
      reasons: [expect.objectContaining({ code: 'no_receipt_in_time' })],
    });
  });

  it('stops a malicious result; the application shows it blocked and delivery says why', async () => {
    const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
    const resultReady = await throughToResult(pdf(eicar));

    const blocked = await eventually(
      async () => (await deliveriesOf(resultReady.id)).find((delivery) => delivery.noticeKind === 'result'),
      (delivery) => delivery?.final === true,
    );

    expect(blocked).toMatchObject({ status: 'blocked_document', eDeliveryMessageId: null });
    expect(blocked!.reason).toMatchObject({ code: 'document_malicious' });
    expect(blocked!.reason!.message).toContain('File udostoverenie.pdf is malicious');
    expect(blocked!.documents).toEqual([
      expect.objectContaining({ malwareScanStatus: 'ISMALICIOUS', blocked: true, blockedReason: expect.any(String) }),
    ]);
    const inbox = await eDelivery.inbox(resultReady.applicant.identifier);
    expect(inbox.filter((message) => message.title.includes('Резултат'))).toHaveLength(0);
    const shown = await eventually(
      () => read('serdika', resultReady.id),
      (application) => application.status !== 'result_ready',
    );
    expect(shown.status).toBe('result_blocked');
    expect(shown.timeline.at(-1)).toMatchObject({
      fromStatus: 'result_ready',
      toStatus: 'result_blocked',
      actor: { kind: 'system', id: 'delivery' },
      reasons: [expect.objectContaining({ code: 'document_malicious' })],
    });

    // The district sees why through its own API; another district does not see it at all.
    const seen = await districtApi<{
      items: { noticeKind: string; status: string; reason: { code: string } | null }[];
    }>('serdika', 'GET', `/v1/applications/${resultReady.id}/deliveries`);
    const foreign = await districtApi('triaditsa', 'GET', `/v1/applications/${resultReady.id}/deliveries`);
    expect(seen.status).toBe(200);
    expect(seen.body.items.find((delivery) => delivery.noticeKind === 'result')).toMatchObject({
      status: 'blocked_document',
      reason: { code: 'document_malicious' },
    });
    expect(foreign.status).toBe(404);
  });
});
