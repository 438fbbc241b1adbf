import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { ExchangeRecorder } from '@umg/exchange-log';
import { createLogger } from '@umg/logging';
import type { PlatformMetrics } from '@umg/platform';
import { validateEDeliveryPayload } from '@umg/e-delivery';
import { deliveryConfigSchema } from '../../../services/delivery/src/config';
import { EDeliveryCallError } from '../../../services/delivery/src/e-delivery/e-delivery-call.error';
import type {
  DistrictIdentities,
  EDeliveryIdentity,
} from '../../../services/delivery/src/e-delivery/district-identities';
import { EDeliveryClient } from '../../../services/delivery/src/e-delivery/e-delivery.client';
import type { OutgoingMessage } from '../../../services/delivery/src/e-delivery/e-delivery-wire';
import { ensureEDeliveryCredentials } from '../../dev/e-delivery-credentials';
import { EDeliverySimulator } from './e-delivery-simulator';

/** The Body's operation element of an envelope, as a document of its own. */
function payloadOf(envelope: string): string {
  const document = new DOMParser().parseFromString(envelope, 'text/xml');
  const body = document.getElementsByTagNameNS('http://schemas.xmlsoap.org/soap/envelope/', 'Body')[0]!;
  let element = body.firstChild;
  while (element && element.nodeType !== 1) element = element.nextSibling;
  return new XMLSerializer().serializeToString(element!);
}

async function expectValid(xml: string): Promise<void> {
  const result = await validateEDeliveryPayload(payloadOf(xml));
  expect(result.errors).toEqual([]);
  expect(result.valid).toBe(true);
}

const notice = (documents: { name: string; content: string }[] = []): OutgoingMessage => ({
  title: 'Входящ номер на заявлението Ви, РНУ 20260312-2016-000123',
  text: 'Заявлението Ви е регистрирано.',
  documents: documents.map((document, index) => ({
    name: document.name,
    contentType: 'text/plain',
    content: Buffer.from(document.content),
    registrationNumber: `reg-${index}-${Math.random().toString(36).slice(2)}`,
  })),
});

/** The register as the client sees it: these districts' identities, the others none (the municipality's key). */
const register = (identities: Record<string, EDeliveryIdentity>) =>
  ({ identity: (code: string) => Promise.resolve(identities[code] ?? null) }) as unknown as DistrictIdentities;

/**
 * The delivery service's SOAP client against the ССЕВ simulator over a real socket: the client
 * really signs (an unsigned or unknown caller is refused), both sides' messages validate against
 * the project's XSDs (contracts/e-delivery/), and faults map to stable reasons.
 */
describe('e-delivery over SOAP: the client against the simulator', () => {
  // Real RSA signatures, XSD validation and sockets: slower than a plain unit test on a busy machine.
  jest.setTimeout(30_000);

  const dir = mkdtempSync(join(tmpdir(), 'umg-e-delivery-'));
  const simulator = new EDeliverySimulator({ receiptDelayMs: 1_500, openRegistration: false });
  let client: EDeliveryClient;
  let url: string;

  beforeAll(async () => {
    await ensureEDeliveryCredentials(dir, ['default', 'unregistered']);
    url = await simulator.start();
    simulator.registerLogin(readFileSync(join(dir, 'default.crt.pem'), 'utf8'), '0006963270001', 'Район „Надежда“');
    const config = deliveryConfigSchema.parse({
      E_DELIVERY_URL: url,
      E_DELIVERY_CREDENTIALS_DIR: dir,
      E_DELIVERY_TIMEOUT_MS: '5000',
      SERVICE_IDENTITY_DIR: dir, // required by the schema; this client makes no service calls
    });
    client = new EDeliveryClient(
      config,
      createLogger('e-delivery-spec', 'silent'),
      { record: () => undefined } as unknown as ExchangeRecorder,
      { upstreamCircuit: () => undefined } as unknown as PlatformMetrics,
      register({}),
    );
  }, 30_000);

  afterAll(async () => {
    client.onModuleDestroy();
    await simulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the WSDL with its schemas at the simulator’s address', async () => {
    const wsdl = await (await fetch(`${url}/Services/EDeliveryIntegrationService.svc?wsdl`)).text();
    expect(wsdl).toContain(
      `soapAction="https://edelivery.egov.bg/services/integration/IEDeliveryIntegrationService/SendMessage"`,
    );
    expect(wsdl).toContain(`schemaLocation="${url}/Services/EDeliveryIntegrationService.svc?xsd=integration.xsd"`);
    const xsd = await fetch(`${url}/Services/EDeliveryIntegrationService.svc?xsd=data-contracts.xsd`);
    expect(await xsd.text()).toContain('name="DcMessageDetails"');
  });

  it('sends to a registered person, signed; the request and the answers match the contract', async () => {
    // Does not open anything yet: the first status has no DateReceived whatever the machine's speed.
    simulator.registerSubject({ identifier: '7501020018', type: 'Person', name: 'Иван Петров', opens: false });
    const registration = await client.checkRegistration('nadezhda', '7501020018');
    expect(registration.hasRegistration).toBe(true);
    expect(registration.subjectId).toMatch(/^[0-9a-f-]{36}$/);

    const message = notice([{ name: 'notice.txt', content: 'Входящ № НД-94-00-1234' }]);
    const messageId = await client.sendMessage('nadezhda', {
      message,
      receiverType: 'Person',
      receiverIdentifier: '7501020018',
      receiverEmail: null,
      serviceOid: null,
    });
    expect(messageId).toBeGreaterThan(0);
    const sent = simulator.recentExchanges.at(-1)!;
    expect(sent.operation).toBe('SendMessage');
    expect(sent.request).toContain('wsse:BinarySecurityToken');
    await expectValid(sent.request);
    await expectValid(sent.response);
    expect(simulator.inbox('7501020018')[0]).toMatchObject({
      messageId,
      title: message.title,
      documents: [{ name: 'notice.txt', registrationNumber: message.documents[0]!.registrationNumber }],
    });

    const before = await client.sentMessageStatus('nadezhda', messageId);
    expect(before.dateReceived).toBeNull();
    expect(before.nro?.fileName).toMatch(/\.tsr$/);
    await expectValid(simulator.recentExchanges.at(-1)!.response);

    simulator.registerSubject({ identifier: '7501020018', type: 'Person', name: 'Иван Петров', opens: true });
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const after = await client.sentMessageStatus('nadezhda', messageId);
    expect(after.dateReceived).toBeInstanceOf(Date);
    expect(after.nrd?.data.length).toBeGreaterThan(0);
    await expectValid(simulator.recentExchanges.at(-1)!.request);
    await expectValid(simulator.recentExchanges.at(-1)!.response);
  });

  it('reads the district’s inbox, opens a message once, and answers it in reply; every exchange matches the contract', async () => {
    const filed = simulator.deposit({
      sender: { identifier: '7501020018', name: 'Иван Петров' },
      receiverIdentifier: '0006963270001',
      title: 'BGES1a2b3c4-2016-Удостоверение за наследници',
      documents: [
        { name: '2016-BGES1a2b3c4-zayavlenie.pdf', contentType: 'application/pdf', contentBase64: 'JVBERi0xLjc=' },
        {
          name: 'pylnomoshtno.pdf',
          contentType: 'application/pdf',
          contentBase64: Buffer.from('%PDF UMG-SIM-SIGNATURE:INVALIDINTEGRITY').toString('base64'),
        },
      ],
    });
    const expectLastValid = async (operation: string) => {
      const exchange = simulator.recentExchanges.at(-1)!;
      expect(exchange.operation).toBe(operation);
      await expectValid(exchange.request);
      await expectValid(exchange.response);
    };

    await client.checkRegistration('nadezhda', '7501020018');
    await expectLastValid('CheckSubjectHasRegistration');
    const listed = await client.newReceivedMessages('nadezhda', 50);
    expect(listed).toContainEqual({ messageId: filed.messageId, title: filed.title });
    await expectLastValid('GetReceivedMessagesListPaged');

    const opened = await client.openReceivedMessage('nadezhda', filed.messageId);
    expect(opened).toMatchObject({ messageId: filed.messageId, title: filed.title, senderName: 'Иван Петров' });
    expect(opened.documents[0]!.content.toString('latin1')).toBe('%PDF-1.7');
    expect(opened.documents[0]!.signatures).toEqual([]);
    expect(opened.documents[1]!.signatures).toEqual([
      {
        status: 'Success',
        signatureValid: false,
        integrityValid: false,
        revocationStatus: 'OK',
        signer: 'CN=Иван Петров Иванов',
      },
    ]);
    await expectLastValid('GetReceivedMessageContent');
    expect(await client.newReceivedMessages('nadezhda', 50)).not.toContainEqual(
      expect.objectContaining({ messageId: filed.messageId }),
    );
    await client.openReceivedMessage('nadezhda', filed.messageId);
    expect(simulator.inbox('0006963270001').find((message) => message.messageId === filed.messageId)).toMatchObject({
      openCount: 1,
      readCount: 2,
    });

    const replyId = await client.sendMessageInReplyTo(
      'nadezhda',
      notice([{ name: 'notice.txt', content: 'Вх. №' }]),
      filed.messageId,
    );
    await expectLastValid('SendMessageInReplyTo');
    expect(simulator.inbox('7501020018').find((message) => message.messageId === replyId)).toMatchObject({
      replyToMessageId: filed.messageId,
    });
  });

  it('finds a sent message again by our registration number, and says when there is none', async () => {
    simulator.registerSubject({ identifier: '8001010003', type: 'Person' });
    const message = notice([{ name: 'a.txt', content: 'a' }]);
    const messageId = await client.sendMessage('nadezhda', {
      message,
      receiverType: 'Person',
      receiverIdentifier: '8001010003',
      receiverEmail: null,
      serviceOid: null,
    });

    const found = await client.findSentByRegistrationNumber('nadezhda', message.documents[0]!.registrationNumber);
    expect(found?.messageId).toBe(messageId);
    await expectValid(simulator.recentExchanges.at(-1)!.request);
    await expectValid(simulator.recentExchanges.at(-1)!.response);
    expect(await client.findSentByRegistrationNumber('nadezhda', 'never-sent')).toBeNull();
  });

  it('maps the faults: a legal person without a profile, a malicious file, an invalid identifier', async () => {
    const send = (
      receiverType: 'Person' | 'LegalPerson',
      receiverIdentifier: string,
      message = notice([{ name: 'a.txt', content: 'x' }]),
    ) =>
      client.sendMessage('nadezhda', {
        message,
        receiverType,
        receiverIdentifier,
        receiverEmail: null,
        serviceOid: null,
      });

    expect((await client.checkRegistration('nadezhda', '131468980')).hasRegistration).toBe(false);
    await expect(send('LegalPerson', '131468980')).rejects.toMatchObject({ fault: 'no_profile', transient: false });

    simulator.registerSubject({ identifier: '7501020018', type: 'Person' });
    const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
    const malicious = send('Person', '7501020018', notice([{ name: 'result.pdf', content: eicar }]));
    await expect(malicious).rejects.toMatchObject({ fault: 'malicious_document', transient: false });
    await expect(malicious).rejects.toThrow('File result.pdf is malicious');

    await expect(send('Person', '12345')).rejects.toMatchObject({ fault: 'invalid_recipient' });
    await expectValid(simulator.recentExchanges.at(-1)!.request);
  });

  it('gives a person without a profile a passive one when the e-mail is valid, and refuses the send without one', async () => {
    simulator.registerSubject({ identifier: '6101010004', type: 'Person', registered: false });
    const send = (receiverEmail: string | null) =>
      client.sendMessage('nadezhda', {
        message: notice([{ name: 'a.txt', content: 'x' }]),
        receiverType: 'Person',
        receiverIdentifier: '6101010004',
        receiverEmail,
        serviceOid: null,
      });

    await expect(send(null)).rejects.toMatchObject({ fault: 'invalid_recipient' });
    await expect(send('not-an-address')).rejects.toMatchObject({ fault: 'invalid_recipient' });
    expect((await client.checkRegistration('nadezhda', '6101010004')).hasRegistration).toBe(false);

    const messageId = await send('ivan@example.bg');
    await expectValid(simulator.recentExchanges.at(-1)!.request);
    expect(simulator.inbox('6101010004').map((message) => message.messageId)).toEqual([messageId]);
    expect((await client.checkRegistration('nadezhda', '6101010004')).hasRegistration).toBe(true);
  });

  it('refuses an unsigned call and a certificate whose thumbprint is not registered', async () => {
    const unsigned = await fetch(`${url}/Services/EDeliveryIntegrationService.svc`, {
      method: 'POST',
      headers: {
        'Content-Type': 'text/xml; charset=utf-8',
        SOAPAction:
          '"https://edelivery.egov.bg/services/integration/IEDeliveryIntegrationService/CheckSubjectHasRegistration"',
      },
      body:
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
        '<CheckSubjectHasRegistration xmlns="https://edelivery.egov.bg/services/integration"><identificator>7501020018</identificator></CheckSubjectHasRegistration>' +
        '</s:Body></s:Envelope>',
    });
    expect(unsigned.status).toBe(500);
    expect(await unsigned.text()).toContain('An error occurred when verifying security for the message.');
    expect(simulator.stats.refusedCalls).toBe(1);

    const stranger = new EDeliveryClient(
      deliveryConfigSchema.parse({
        E_DELIVERY_URL: url,
        E_DELIVERY_CREDENTIALS_DIR: dir,
        SERVICE_IDENTITY_DIR: dir,
      }),
      createLogger('e-delivery-spec', 'silent'),
      { record: () => undefined } as unknown as ExchangeRecorder,
      { upstreamCircuit: () => undefined } as unknown as PlatformMetrics,
      register({
        oborishte: { unitIdentifier: '0006963270002', certificateThumbprint: null, signingKeyRef: 'unregistered' },
        izgrev: { unitIdentifier: '0006963270006', certificateThumbprint: 'A'.repeat(40), signingKeyRef: 'default' },
      }),
    );
    // The register names `unregistered.*`: it signs correctly, but ССЕВ does not know its thumbprint.
    const refused = stranger.checkRegistration('oborishte', '7501020018');
    await expect(refused).rejects.toBeInstanceOf(EDeliveryCallError);
    await expect(refused).rejects.toMatchObject({ fault: 'security', transient: false });
    await expect(refused).rejects.toThrow('An error occurred when verifying security for the message.');
    // A key whose certificate is not the one the register has is not even sent.
    const requestsBefore = simulator.stats.requests;
    await expect(stranger.checkRegistration('izgrev', '7501020018')).rejects.toThrow(/is not the one registered/);
    expect(simulator.stats.requests).toBe(requestsBefore);
    stranger.onModuleDestroy();
  });
});
