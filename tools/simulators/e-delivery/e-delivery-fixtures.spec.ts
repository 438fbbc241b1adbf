import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExchangeRecorder } from '@umg/exchange-log';
import { createLogger } from '@umg/logging';
import type { PlatformMetrics } from '@umg/platform';
import { secureEnvelope } from '@umg/ws-security';
import { bodyStructure, eDeliveryFixtures, loadEDeliveryFixture } from '../../../contracts/fixtures/e-delivery';
import { deliveryConfigSchema } from '../../../services/delivery/src/config';
import type { DistrictIdentities } from '../../../services/delivery/src/e-delivery/district-identities';
import { EDeliveryCallError } from '../../../services/delivery/src/e-delivery/e-delivery-call.error';
import { EDeliveryClient } from '../../../services/delivery/src/e-delivery/e-delivery.client';
import { ensureEDeliveryCredentials } from '../../dev/e-delivery-credentials';
import { EDeliverySimulator, eDeliverySoapPath } from './e-delivery-simulator';
import { envelopeOf, mtomPackage, operationOf } from './soap-wire';

/**
 * The delivery service's client and the ССЕВ simulator, each against the same recorded envelopes
 * written from ССЕВ's own source (contracts/fixtures/e-delivery/), not against each other.
 */
describe('e-delivery contract fixtures', () => {
  jest.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'umg-e-delivery-fixtures-'));
  let keyPem: string;
  let certificatePem: string;

  beforeAll(async () => {
    await ensureEDeliveryCredentials(dir, ['default']);
    keyPem = readFileSync(join(dir, 'default.key.pem'), 'utf8');
    certificatePem = readFileSync(join(dir, 'default.crt.pem'), 'utf8');
  }, 30_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a governmentbg source for every fixture, and every fixture file is listed', () => {
    for (const fixture of eDeliveryFixtures) {
      expect(fixture.source.length).toBeGreaterThan(0);
      expect(fixture.source.every((source) => source.startsWith('governmentbg/'))).toBe(true);
      expect(loadEDeliveryFixture(fixture.name)).toContain('http://schemas.xmlsoap.org/soap/envelope/');
    }
  });

  /** Element paths, whether a value is present or nil aside (the data decides that, not the contract). */
  const shape = (envelope: string) => bodyStructure(envelope).map((path) => path.replace(/@nil$/, ''));

  describe('the simulator answers the request fixtures as the answer fixtures show', () => {
    const simulator = new EDeliverySimulator({ receiptDelayMs: 0, openRegistration: false });
    let url: string;

    beforeAll(async () => {
      url = await simulator.start();
      simulator.registerLogin(certificatePem, '0006963270001', 'Столична община - район Надежда');
      simulator.registerSubject({ identifier: '7501020018', type: 'Person', name: 'Иван Петров Иванов' });
      simulator.registerSubject({ identifier: '8001010006', type: 'Person', registered: false });
      simulator.registerSubject({ identifier: '131468980', type: 'LegalPerson', registered: false });
    });
    afterAll(() => simulator.stop());

    /** Signs and posts an envelope as a client would; answers the simulator's status and envelope. */
    async function post(envelope: string): Promise<{ status: number; envelope: string }> {
      const signed = secureEnvelope(envelope, 's', { x509: { keyPem, certificatePem } });
      const response = await fetch(`${url}${eDeliverySoapPath}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8' },
        body: signed,
      });
      const body = Buffer.from(await response.arrayBuffer());
      return { status: response.status, envelope: envelopeOf(response.headers.get('content-type') ?? '', body) };
    }

    const request = (name: string, edit: (xml: string) => string = (xml) => xml) => edit(loadEDeliveryFixture(name));

    it('CheckSubjectHasRegistration, with a profile and without', async () => {
      const found = await post(request('check-subject-has-registration.request'));
      expect(found.status).toBe(200);
      expect(shape(found.envelope)).toEqual(shape(loadEDeliveryFixture('check-subject-has-registration.response')));
      const none = await post(
        request('check-subject-has-registration.request', (xml) => xml.replace('7501020018', '8001010006')),
      );
      expect(shape(none.envelope)).toEqual(shape(loadEDeliveryFixture('check-subject-has-registration-none.response')));
    });

    it('SendMessage, then GetSentMessageStatus of the message once received', async () => {
      const sent = await post(request('send-message.request'));
      expect(sent.status).toBe(200);
      expect(sent.envelope).toContain('<SendMessageResult>7731000</SendMessageResult>');
      expect(shape(sent.envelope)).toEqual(shape(loadEDeliveryFixture('send-message.response')));

      const status = await post(request('get-sent-message-status.request'));
      expect(shape(status.envelope)).toEqual(shape(loadEDeliveryFixture('get-sent-message-status.response')));
      // ССЕВ's times are the server's local time with its offset.
      expect(operationOf(status.envelope).payload).toBeDefined();
      expect(status.envelope).toMatch(/<a:DateSent>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+0[23]:00<\/a:DateSent>/);
    });

    it('GetReceivedMessagesListPaged and GetReceivedMessageContent of a message from a person', async () => {
      simulator.deposit({
        sender: { identifier: '7501020018', name: 'Иван Петров Иванов' },
        receiverIdentifier: '0006963270001',
        title: 'Заявление за удостоверение за наследници',
        text: 'Моля, издайте удостоверение за наследници.',
        documents: [
          {
            name: 'application.json',
            contentType: 'application/json',
            contentBase64: 'eyJzZXJ2aWNlTnVtYmVyIjoyMDE2fQ==',
          },
          { name: 'power-of-attorney.pdf.p7s', contentType: 'application/pkcs7-signature', contentBase64: 'MIAGCSqG' },
        ],
      });
      const list = await post(request('get-received-messages-list-paged.request'));
      expect(shape(list.envelope)).toEqual(shape(loadEDeliveryFixture('get-received-messages-list-paged.response')));
      const content = await post(request('get-received-message-content.request'));
      expect(shape(content.envelope)).toEqual(shape(loadEDeliveryFixture('get-received-message-content.response')));
    });

    it('answers the faults with ССЕВ’s texts', async () => {
      const text = (envelope: string) => /<faultstring[^>]*>([^<]*)</.exec(envelope)?.[1];
      const noProfile = await post(
        request('send-message.request', (xml) =>
          xml
            .replace('<receiverType>Person</receiverType>', '<receiverType>LegalPerson</receiverType>')
            .replace('7501020018', '131468980'),
        ),
      );
      const notFound = await post(request('get-sent-message-status.request', (xml) => xml.replace('7731000', '1')));
      const malicious = await post(
        request('send-message.request', (xml) =>
          xml
            .replace(
              /<a:Content>[^<]*<\/a:Content>/,
              `<a:Content>${Buffer.from('X5O!P%@AP EICAR-STANDARD-ANTIVIRUS-TEST-FILE').toString('base64')}</a:Content>`,
            )
            .replace(/registration-notice-20261206-2016-000123\.txt/, 'result.pdf'),
        ),
      );
      for (const [answer, name] of [
        [noProfile, 'fault-no-profile.response'],
        [notFound, 'fault-not-found.response'],
        [malicious, 'fault-malicious-document.response'],
      ] as const) {
        expect(answer.status).toBe(500);
        expect(shape(answer.envelope)).toEqual(shape(loadEDeliveryFixture(name)));
        expect(text(answer.envelope)).toBe(text(loadEDeliveryFixture(name)));
      }
    });
  });

  describe('the client parses the answer fixtures and writes requests of the request fixtures’ shape', () => {
    let server: Server;
    let client: EDeliveryClient;
    const requests = new Map<string, string>();
    /** The answer fixture each operation gets next (a fault with HTTP 500, as WCF answers it). */
    const answers = new Map<string, string>();

    beforeAll(async () => {
      server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const envelope = envelopeOf(request.headers['content-type'] ?? '', Buffer.concat(chunks));
          const { name } = operationOf(envelope);
          requests.set(name, envelope);
          const answer = loadEDeliveryFixture(answers.get(name) ?? `${kebab(name)}.response`);
          const { contentType, body } = mtomPackage(answer);
          response.writeHead(answer.includes(':Fault>') ? 500 : 200, { 'Content-Type': contentType });
          response.end(body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const config = deliveryConfigSchema.parse({
        E_DELIVERY_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}${eDeliverySoapPath}`,
        E_DELIVERY_CREDENTIALS_DIR: dir,
        E_DELIVERY_TIMEOUT_MS: '5000',
        SERVICE_IDENTITY_DIR: dir, // required by the schema; this client makes no service calls
      });
      client = new EDeliveryClient(
        config,
        createLogger('e-delivery-fixtures', 'silent'),
        { record: () => undefined } as unknown as ExchangeRecorder,
        { upstreamCircuit: () => undefined } as unknown as PlatformMetrics,
        { identity: () => Promise.resolve(null) } as unknown as DistrictIdentities,
      );
    });
    afterAll(async () => {
      client.onModuleDestroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    afterEach(() => answers.clear());

    /**
     * The client's Body is the fixture's with optional members left out: its elements, in order,
     * are a subsequence of the fixture's (namespace and name), and every operation parameter is sent.
     */
    function expectShapeOf(operation: string): void {
      const ours = bodyStructure(requests.get(operation)!).map((path) => path.replace(/@nil$/, ''));
      const theirs = bodyStructure(loadEDeliveryFixture(`${kebab(operation)}.request`)).map((path) =>
        path.replace(/@nil$/, ''),
      );
      let at = 0;
      const unmatched = ours.filter((path) => {
        const found = theirs.indexOf(path, at);
        if (found < 0) return true;
        at = found + 1;
        return false;
      });
      expect(unmatched).toEqual([]);
      const parameters = theirs.filter((path) => path.split('/').length === 3);
      expect(parameters.filter((path) => !ours.includes(path))).toEqual([]);
    }

    it('CheckSubjectHasRegistration', async () => {
      expect(await client.checkRegistration('nadezhda', '7501020018')).toEqual({
        hasRegistration: true,
        subjectId: 'e0e0e852-1387-4d53-a6a0-4a6a66eac659',
      });
      expectShapeOf('CheckSubjectHasRegistration');
      answers.set('CheckSubjectHasRegistration', 'check-subject-has-registration-none.response');
      expect(await client.checkRegistration('nadezhda', '8001010006')).toEqual({
        hasRegistration: false,
        subjectId: null,
      });
    });

    it('SendMessage', async () => {
      const messageId = await client.sendMessage('nadezhda', {
        message: {
          title: 'Входящ номер на заявлението Ви, РНУ 20261206-2016-000123',
          text: 'Заявлението Ви е регистрирано под номер НД-94-00-1234/06.12.2026.',
          documents: [
            {
              name: 'registration-notice-20261206-2016-000123.txt',
              contentType: 'text/plain',
              content: Buffer.from('Входящ номер'),
              registrationNumber: 'ffc5b3f6-3a4b-4a53-9d0e-6a2a57d3c8f1',
            },
          ],
        },
        receiverType: 'Person',
        receiverIdentifier: '7501020018',
        receiverEmail: null,
        serviceOid: null,
      });
      expect(messageId).toBe(7731000);
      expectShapeOf('SendMessage');
    });

    it('GetSentMessageStatus: local times with their offset, the NRO and the NRD', async () => {
      const status = await client.sentMessageStatus('nadezhda', 7731000);
      expect(status).toMatchObject({
        messageId: 7731000,
        dateSent: new Date('2026-12-06T10:40:05.200Z'),
        dateReceived: new Date('2026-12-06T10:52:41.803Z'),
        nro: { fileName: 'NRO_7731000.tsr' },
        nrd: { fileName: 'NRD_7731000.tsr' },
      });
      expect(status.nro!.data.length).toBeGreaterThan(0);
      expectShapeOf('GetSentMessageStatus');
    });

    it('GetReceivedMessagesListPaged and GetReceivedMessageContent', async () => {
      expect(await client.newReceivedMessages('nadezhda', 20)).toEqual([
        { messageId: 7731001, title: 'Заявление за удостоверение за наследници' },
      ]);
      expectShapeOf('GetReceivedMessagesListPaged');
      const message = await client.openReceivedMessage('nadezhda', 7731001);
      expect(message).toMatchObject({
        messageId: 7731001,
        title: 'Заявление за удостоверение за наследници',
        dateSent: new Date('2026-12-06T10:41:18.020Z'),
        senderName: 'Иван Петров Иванов',
        senderProfileId: '884211',
      });
      expect(message.documents.map((document) => [document.name, document.contentType])).toEqual([
        ['application.json', 'application/json'],
        ['power-of-attorney.pdf.p7s', 'application/pkcs7-signature'],
      ]);
      expect(message.documents[0]!.content.toString()).toBe('{"serviceNumber":2016}');
      // ССЕВ's NoSignatureFound entry for an unsigned document is no signature.
      expect(message.documents[0]!.signatures).toEqual([]);
      expect(message.documents[1]!.signatures).toEqual([
        {
          status: 'Success',
          signatureValid: true,
          integrityValid: true,
          revocationStatus: 'OK',
          signer: 'CN=Иван Петров Иванов, SERIALNUMBER=PNOBG-7501020018, C=BG',
        },
      ]);
      expectShapeOf('GetReceivedMessageContent');
    });

    it('maps the fault fixtures to their stable kinds', async () => {
      const faultOf = async (operation: string, fixture: string, call: () => Promise<unknown>) => {
        answers.set(operation, fixture);
        const error = await call().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(EDeliveryCallError);
        return (error as EDeliveryCallError).fault;
      };
      const send = () =>
        client.sendMessage('nadezhda', {
          message: { title: 'Решение', text: 'Решението е готово.', documents: [] },
          receiverType: 'LegalPerson',
          receiverIdentifier: '131468980',
          receiverEmail: null,
          serviceOid: null,
        });
      expect(await faultOf('SendMessage', 'fault-no-profile.response', send)).toBe('no_profile');
      expect(await faultOf('SendMessage', 'fault-malicious-document.response', send)).toBe('malicious_document');
      expect(
        await faultOf('GetSentMessageStatus', 'fault-not-found.response', () =>
          client.sentMessageStatus('nadezhda', 1),
        ),
      ).toBe('not_found');
    });
  });
});

function kebab(operation: string): string {
  return operation.replace(/[a-z](?=[A-Z])/g, (letter) => `${letter}-`).toLowerCase();
}
