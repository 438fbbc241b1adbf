import { createHash } from 'node:crypto';
import type { Application, ApplicationStatusChanged } from '@umg/contracts';
import { EDeliveryControl, type SimulatedMessageView } from '../tools/simulators/e-delivery/e-delivery-control';
import { simulatedUnitIdentifier } from '../tools/simulators/e-delivery/unit-identifier';
import { portalFiling } from '../tools/simulators/portal/e-delivery-filing';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { randomSubmission } from '../tools/simulators/portal/submission-factory';
import { eventually, query } from './support/database';
import { districtApi } from './support/district-api';
import { decide, read } from './support/lifecycle';
import { districtKeys, testEnv } from './support/test-env';
import { asGateway } from './support/service-identity';

/**
 * Portal applications as they really arrive: the portal files each one as an e-delivery message to
 * the district's unit on the applicant's behalf; the delivery service reads each pilot district's
 * inbox over signed SOAP, opens every message once, and hands the application to the existing
 * intake (the portal topic as an internal seam), which routes it. Real broker, real database,
 * the ССЕВ simulator over a socket.
 */
describe('portal applications from the districts’ e-delivery inboxes', () => {
  const eDelivery = new EDeliveryControl(testEnv.eDeliveryUrl);
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));

  beforeAll(() => portal.start(), 60_000);
  afterAll(() => portal.stop());
  afterEach(() => eDelivery.setBehaviour({ mode: 'ok', failOnly: null }));

  async function file(districtCode: string, options: { legacyFiles?: boolean; signedAttachment?: boolean } = {}) {
    const submission = randomSubmission({ districtCode, attachments: 1 });
    if (options.signedAttachment) {
      // A signed declaration (CAdES); the ССЕВ simulator reports its signature as valid.
      const content = Buffer.from('signed declaration UMG-SIM-SIGNATURE:VALID');
      submission.attachments.push({
        attachmentId: 'ATT-SIGNED',
        fileName: 'declaration.pdf.p7s',
        mediaType: 'application/pkcs7-mime',
        size: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        contentBase64: content.toString('base64'),
      });
    }
    const filing = await portalFiling(submission, simulatedUnitIdentifier(districtCode), options);
    const routed = portal.waitFor(
      (message) =>
        message.type === 'status-changed' &&
        message.body.portalApplicationId === filing.orn &&
        message.body.status === 'routed',
    );
    routed.catch(() => undefined); // awaited by the test that needs it
    const message = await eDelivery.deposit(filing);
    return { submission, filing, message, routed };
  }

  async function messageInSimulator(messageId: number): Promise<SimulatedMessageView> {
    return (await eDelivery.messages()).find((message) => message.messageId === messageId)!;
  }

  it('takes applications from two pilots’ inboxes, opens each once, and routes them', async () => {
    const filed = [await file('nadezhda', { signedAttachment: true }), await file('bankya', { legacyFiles: true })];

    for (const { submission, filing, message, routed } of filed) {
      const { applicationId } = (await routed).body as ApplicationStatusChanged;
      const answer = await districtApi<Application>(
        submission.districtCode,
        'GET',
        `/v1/applications/${applicationId}`,
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        portalApplicationId: filing.orn,
        serviceNumber: submission.serviceNumber,
        districtCode: submission.districtCode,
        urgency: submission.urgency,
        applicant: submission.applicant,
        status: 'routed',
      });
      // The form's PDF and the applicant's files, each signed one with ССЕВ's verdict on its signature.
      expect(answer.body.attachments.map((attachment) => attachment.fileName)).toEqual([
        filing.documents[0]!.name,
        ...submission.attachments.map((attachment) => attachment.fileName),
      ]);
      const signed = answer.body.attachments.find((attachment) => attachment.fileName === 'declaration.pdf.p7s');
      if (submission.districtCode === 'nadezhda') {
        expect(signed?.signatures).toEqual([
          {
            status: 'Success',
            signatureValid: true,
            integrityValid: true,
            revocationStatus: 'OK',
            signer: 'CN=Иван Петров Иванов',
          },
        ]);
      }
      const opened = await messageInSimulator(message.messageId);
      expect(opened).toMatchObject({ openCount: 1, readCount: 1 });
      expect(opened.dateReceived).not.toBeNull();
      const rows = await query<{ state: string; portal_application_id: string }>(
        `SELECT state, portal_application_id FROM delivery.received_message WHERE message_id = $1`,
        [message.messageId],
      );
      expect(rows).toEqual([{ state: 'submitted', portal_application_id: filing.orn }]);
    }
  });

  it('answers the applicant’s own message with the registration notice, and records its receipt', async () => {
    const { submission, message, routed } = await file('serdika');
    const { applicationId } = (await routed).body as ApplicationStatusChanged;

    const registered = await decide(
      'serdika',
      applicationId,
      'registration',
      (await read('serdika', applicationId)).version,
      {
        registrationNumber: `СРД-94-${Math.floor(Math.random() * 1e6)}`,
      },
    );
    expect(registered.status).toBe(200);

    // The registration notice (a service with a fee is followed by the payment notice, a reply too).
    const [reply] = await eventually(
      async () =>
        (await eDelivery.inbox(submission.applicant.identifier)).filter((message) =>
          message.title.includes('Входящ номер'),
        ),
      (inbox) => inbox.length > 0,
    );
    expect(reply).toMatchObject({
      replyToMessageId: message.messageId,
      title: expect.stringContaining('Входящ номер'),
    });
    const [delivery] = await eventually(
      () =>
        query<{ status: string; reply_to_message_id: number; e_delivery_message_id: string }>(
          `SELECT status, reply_to_message_id, e_delivery_message_id FROM delivery.delivery
            WHERE application_id = $1 AND notice_kind = 'registration_notice'`,
          [applicationId],
        ),
      (rows) => rows[0]?.status === 'delivered',
    );
    expect(delivery).toEqual({
      status: 'delivered',
      reply_to_message_id: message.messageId,
      e_delivery_message_id: String(reply!.messageId),
    });
  });

  it('after a crash between opening and recording, loses nothing and opens nothing twice', async () => {
    // ССЕВ opens the message, but the answer never reaches us: as if we died right after the call.
    await eDelivery.setBehaviour({ mode: 'drop_responses', failOnly: 'GetReceivedMessageContent' });
    const { filing, message, routed } = await file('nadezhda');
    await eventually(
      () => messageInSimulator(message.messageId),
      (current) => current.openCount === 1,
    );
    await eDelivery.setBehaviour({ mode: 'ok', failOnly: null });

    // No longer "new" in ССЕВ: only our `opening` row brings it back, once its lease is over.
    await routed;
    const opened = await messageInSimulator(message.messageId);
    expect(opened.openCount).toBe(1);
    expect(opened.readCount).toBe(2);
    const applications = await query<{ count: string }>(
      `SELECT count(*) FROM applications.application WHERE portal_application_id = $1`,
      [filing.orn],
    );
    expect(Number(applications[0]!.count)).toBe(1);
  });

  it('parks a message e-delivery keeps failing to give us, after its bounded tries, opened once', async () => {
    await eDelivery.setBehaviour({ mode: 'drop_responses', failOnly: 'GetReceivedMessageContent' });
    const { filing, message } = await file('bankya');
    // E_DELIVERY_OPEN_MAX_ATTEMPTS is 3 in the tests, a lease 3 s.
    const [row] = await eventually(
      () =>
        query<{ state: string; reason: { code: string }; open_attempts: number }>(
          `SELECT state, reason, open_attempts FROM delivery.received_message WHERE message_id = $1`,
          [message.messageId],
        ),
      (rows) => rows[0]?.state === 'parked',
      60_000,
    );
    expect(row).toMatchObject({ reason: { code: 'cannot_be_opened' }, open_attempts: 3 });
    expect((await messageInSimulator(message.messageId)).openCount).toBe(1);
    const applications = await query(`SELECT 1 FROM applications.application WHERE portal_application_id = $1`, [
      filing.orn,
    ]);
    expect(applications).toEqual([]);
  });

  it('keeps a later message about a known application as correspondence on it, not as a new application', async () => {
    const { submission, filing, routed } = await file('nadezhda');
    await routed;

    const letter = await eDelivery.deposit({
      sender: { identifier: submission.applicant.identifier, name: submission.applicant.name },
      receiverIdentifier: simulatedUnitIdentifier('nadezhda'),
      title: `Допълнение към заявление ${filing.orn}`,
      documents: [
        { name: 'dopalnenie.pdf', contentType: 'application/pdf', contentBase64: filing.documents[0]!.contentBase64 },
      ],
    });
    // The same application sent again is correspondence too, not a second application.
    const again = await eDelivery.deposit(filing);

    for (const message of [letter, again]) {
      const [row] = await eventually(
        () =>
          query<{ state: string; reason: { code: string }; portal_application_id: string }>(
            `SELECT state, reason, portal_application_id FROM delivery.received_message WHERE message_id = $1`,
            [message.messageId],
          ),
        (rows) => rows[0]?.state === 'parked',
      );
      expect(row).toMatchObject({ reason: { code: 'correspondence' }, portal_application_id: filing.orn });
    }
    const applications = await query<{ count: string; id: string }>(
      `SELECT count(*) OVER () AS count, id FROM applications.application WHERE portal_application_id = $1`,
      [filing.orn],
    );
    expect(Number(applications[0]!.count)).toBe(1);

    // The district reads it on the application, and downloads its document; another district cannot.
    const applicationId = applications[0]!.id;
    const listed = await districtApi<{
      items: { messageId: number; title: string; documents: { id: number; name: string }[] }[];
    }>('nadezhda', 'GET', `/v1/applications/${applicationId}/correspondence`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item) => item.messageId).sort()).toEqual([letter.messageId, again.messageId].sort());
    const fromLetter = listed.body.items.find((item) => item.messageId === letter.messageId)!;
    expect(fromLetter.title).toContain(filing.orn);
    const document = fromLetter.documents.find((candidate) => candidate.name === 'dopalnenie.pdf')!;
    const download = await fetch(
      `${testEnv.gatewayUrl}/v1/applications/${applicationId}/correspondence/${letter.messageId}/documents/${document.id}`,
      { headers: { 'X-Api-Key': districtKeys.nadezhda! } },
    );
    expect(download.status).toBe(200);
    const content = Buffer.from(await download.arrayBuffer());
    expect(content.equals(Buffer.from(filing.documents[0]!.contentBase64, 'base64'))).toBe(true);
    const stranger = await districtApi('serdika', 'GET', `/v1/applications/${applicationId}/correspondence`);
    expect(stranger.status).toBe(404);
    const otherMessage = await fetch(
      `${testEnv.gatewayUrl}/v1/applications/${applicationId}/correspondence/999999/documents/${document.id}`,
      { headers: { 'X-Api-Key': districtKeys.nadezhda! } },
    );
    expect(otherMessage.status).toBe(404);
  });

  it('refuses an unsigned call, while every call the gateway makes is signed and accepted', async () => {
    const before = await eDelivery.stats();
    const unsigned = await fetch(`${testEnv.eDeliveryUrl}/Services/EDeliveryIntegrationService.svc`, {
      method: 'POST',
      headers: {
        'Content-Type': 'text/xml; charset=utf-8',
        SOAPAction:
          '"https://edelivery.egov.bg/services/integration/IEDeliveryIntegrationService/GetReceivedMessagesListPaged"',
      },
      body:
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
        '<GetReceivedMessagesListPaged xmlns="https://edelivery.egov.bg/services/integration"><onlyNew>true</onlyNew></GetReceivedMessagesListPaged>' +
        '</s:Body></s:Envelope>',
    });
    expect(unsigned.status).toBe(500);
    expect(await unsigned.text()).toContain('An error occurred when verifying security for the message.');
    // The inboxes are polled all the while: the gateway's calls keep coming, and none is refused.
    const after = await eventually(
      () => eDelivery.stats(),
      (stats) => stats.requests >= before.requests + 5,
    );
    expect(after.refusedCalls).toBe(before.refusedCalls + 1);
  });

  it('parks a message that is not an application, with the original kept, and opens it once', async () => {
    const letter = await eDelivery.deposit({
      sender: { identifier: '7501020018', name: 'Иван Петров' },
      receiverIdentifier: simulatedUnitIdentifier('triaditsa'),
      title: 'Въпрос за подаденото заявление',
      documents: [
        { name: 'pismo.txt', contentType: 'text/plain', contentBase64: Buffer.from('Здравейте').toString('base64') },
      ],
    });

    const [parked] = await eventually(
      () =>
        query<{
          state: string;
          reason: { code: string };
          original: { documents: { name: string; contentBase64: string }[] };
        }>(`SELECT state, reason, original FROM delivery.received_message WHERE message_id = $1`, [letter.messageId]),
      (rows) => rows[0]?.state === 'parked',
    );
    expect(parked!.reason.code).toBe('not_an_application');
    expect(parked!.original.documents).toEqual([
      expect.objectContaining({ name: 'pismo.txt', contentBase64: Buffer.from('Здравейте').toString('base64') }),
    ]);
    expect(await messageInSimulator(letter.messageId)).toMatchObject({ openCount: 1, readCount: 1 });

    // Operators find it through the delivery service's internal API.
    const listed = await fetch(
      `${testEnv.deliveryUrl}/internal/v1/received-messages?districtCode=triaditsa&state=parked`,
      { headers: await asGateway('delivery') },
    );
    expect(listed.status).toBe(200);
    const { items } = (await listed.json()) as {
      items: { messageId: number; reason: { code: string }; documents: unknown[] }[];
    };
    expect(items.find((item) => item.messageId === letter.messageId)).toMatchObject({
      reason: { code: 'not_an_application' },
      documents: [
        { id: expect.any(Number), name: 'pismo.txt', contentType: 'text/plain', size: 'Здравейте'.length * 2 },
      ],
    });
    const invalid = await fetch(`${testEnv.deliveryUrl}/internal/v1/received-messages?state=lost`, {
      headers: await asGateway('delivery'),
    });
    expect(invalid.status).toBe(400);
  });
});
