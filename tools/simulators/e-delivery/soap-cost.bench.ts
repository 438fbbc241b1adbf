import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'soap';
import { WSSecurityCert } from 'soap';
import type { ExchangeRecorder } from '@umg/exchange-log';
import { createLogger } from '@umg/logging';
import type { PlatformMetrics } from '@umg/platform';
import { deliveryConfigSchema } from '../../../services/delivery/src/config';
import type { DistrictIdentities } from '../../../services/delivery/src/e-delivery/district-identities';
import { EDeliveryClient } from '../../../services/delivery/src/e-delivery/e-delivery.client';
import { ensureEDeliveryCredentials } from '../../dev/e-delivery-credentials';
import { EDeliverySimulator } from './e-delivery-simulator';
import { verifyWsSecurity } from './ws-security-verifier';

/**
 * What one e-delivery call costs in CPU, client and simulator in one process (issue 19): the
 * delivery service's real client against the simulator over a real socket, then the parts alone —
 * signing a request (WS-Security, RSA-SHA256), the simulator's verification, and parsing an answer
 * with the `soap` package. Prints µs per call (process CPU, user + system).
 *
 *   npm run build && node --cpu-prof --cpu-prof-dir=.data/profiles dist/tools/simulators/e-delivery/soap-cost.bench.js [N]
 */
const rounds = Number(process.argv[2] ?? 200);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'umg-soap-cost-'));
  const simulator = new EDeliverySimulator({ receiptDelayMs: 0 });
  try {
    await ensureEDeliveryCredentials(dir, ['default']);
    const url = await simulator.start();
    const keyPem = readFileSync(join(dir, 'default.key.pem'), 'utf8');
    const certificatePem = readFileSync(join(dir, 'default.crt.pem'), 'utf8');
    simulator.registerLogin(certificatePem, '0006963270001', 'Район „Надежда“');
    const config = deliveryConfigSchema.parse({
      E_DELIVERY_URL: url,
      E_DELIVERY_CREDENTIALS_DIR: dir,
      SERVICE_IDENTITY_DIR: dir, // required by the schema; no service calls are made
    });
    const client = new EDeliveryClient(
      config,
      createLogger('soap-cost', 'silent'),
      { record: () => undefined } as unknown as ExchangeRecorder,
      { upstreamCircuit: () => undefined } as unknown as PlatformMetrics,
      { identity: () => Promise.resolve(null) } as unknown as DistrictIdentities,
    );
    const message = {
      title: 'Входящ номер на заявлението Ви, РНУ 20260312-2016-000123',
      text: 'Заявлението Ви е регистрирано под номер СР-94-00-1234/12.03.2026.',
      documents: [
        {
          name: 'registration-notice.txt',
          contentType: 'text/plain',
          content: Buffer.from('Входящ № СР-94-00-1234/12.03.2026'),
          registrationNumber: 'ffc5b3f6-3a4b-4a53-9d0e-6a2a57d3c8f1',
        },
      ],
    };
    const send = () =>
      client.sendMessage('nadezhda', {
        message,
        receiverType: 'Person',
        receiverIdentifier: '7501020018',
        receiverEmail: null,
        serviceOid: null,
      });
    const messageId = await send(); // warm-up: the WSDL is read and the client made

    const results: Record<string, number> = {};
    const measure = async (name: string, work: () => unknown): Promise<void> => {
      for (let index = 0; index < Math.min(20, rounds); index += 1) await work();
      const start = process.cpuUsage();
      for (let index = 0; index < rounds; index += 1) await work();
      const used = process.cpuUsage(start);
      results[name] = Math.round((used.user + used.system) / rounds);
    };

    await measure('SendMessage, whole call (client + simulator)', send);
    const sent = simulator.recentExchanges.filter((exchange) => exchange.operation === 'SendMessage').at(-1)!;
    await measure('GetSentMessageStatus, whole call (client + simulator)', () =>
      client.sentMessageStatus('nadezhda', messageId),
    );
    const status = simulator.recentExchanges
      .filter((exchange) => exchange.operation === 'GetSentMessageStatus')
      .at(-1)!;
    // The request as `soap` builds it, before its security header.
    const unsigned = sent.request
      .replace(/<wsse:Security[\s\S]*<\/wsse:Security>/, '')
      .replace(/ wsu:Id="[^"]*"/g, '')
      .replace(/ xmlns:wsu="[^"]*"/g, '');
    const signing = { hasTimeStamp: true, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256' };
    const withPem = new WSSecurityCert(keyPem, certificatePem, '', signing);
    await measure('sign a SendMessage request, key as PEM (parsed each time)', () =>
      withPem.postProcess(unsigned, 'soap'),
    );
    const withKey = new WSSecurityCert(createPrivateKey(keyPem), certificatePem, '', signing);
    await measure('sign a SendMessage request, key object (parsed once)', () => withKey.postProcess(unsigned, 'soap'));
    await measure('simulator: verify a signed request', () => verifyWsSecurity(sent.request, () => true));
    const soapClient = await (client as unknown as { clientFor(code: string): Promise<Client> }).clientFor('nadezhda');
    await measure('client: parse a GetSentMessageStatus answer (soap)', () =>
      soapClient.wsdl.xmlToObject(status.response),
    );
    console.log(JSON.stringify({ rounds, microsecondsPerCall: results }, null, 2));
    client.onModuleDestroy();
  } finally {
    await simulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
