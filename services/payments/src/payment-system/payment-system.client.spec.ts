import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import {
  loadPayEgovFixture,
  type PayEgovEserviceRequest,
  type PayEgovFixture,
  type PayEgovFixtureName,
} from '../../../../contracts/fixtures/pay-egov';
import type { PaymentJsonData } from './egov-payment-request';
import { hmacMatches } from './egov-signature';
import {
  PaymentSystemClient,
  PaymentSystemRefusalError,
  PaymentSystemUnauthorizedError,
  type PaymentSystemCredentials,
} from './payment-system.client';

// The client against the golden exchanges written from pay-egov's source (contracts/fixtures/pay-egov):
// a server on a real socket checks that each request is what the fixture says went over the wire,
// and answers what the fixture says the payment system answered.

interface Received {
  method: string;
  path: string;
  contentType: string;
  form: URLSearchParams;
}

let server: Server;
let baseUrl: string;
let answer: PayEgovFixture<PayEgovEserviceRequest>['response'] = { status: 200, contentType: '', body: {} };
let received: Received[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        contentType: request.headers['content-type'] ?? '',
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      });
      response.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received = [];
});

const client = () =>
  new PaymentSystemClient(
    { baseUrl, timeoutMs: 2_000, breakerFailures: 5, breakerResetMs: 1_000 },
    pino({ level: 'silent' }),
  );

/** Answers as the fixture, and returns a check that the one request sent is the fixture's request. */
function replay(name: PayEgovFixtureName) {
  const fixture = loadPayEgovFixture(name) as PayEgovFixture<PayEgovEserviceRequest>;
  answer = fixture.response;
  const credentials: PaymentSystemCredentials = { clientId: fixture.request.clientId, secret: fixture.request.secret };
  const sent = () => {
    expect(received).toHaveLength(1);
    const request = received[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(fixture.request.path);
    expect(request.contentType.toLowerCase()).toBe(fixture.request.contentType.toLowerCase());
    // The same three form fields, the data decoding to the same JSON, signed as the system checks it.
    expect([...request.form.keys()].sort()).toEqual(Object.keys(fixture.request.form).sort());
    expect(request.form.get('clientId')).toBe(fixture.request.form.clientId);
    const data = request.form.get('data')!;
    expect(JSON.parse(Buffer.from(data, 'base64').toString('utf8'))).toEqual(fixture.request.dataJson);
    expect(hmacMatches(data, request.form.get('hmac')!, fixture.request.secret)).toBe(true);
  };
  return { fixture, credentials, sent };
}

describe('payment system client against the pay-egov fixtures', () => {
  it('creates a payment request (paymentJson) and reads the accepted receipt', async () => {
    const { fixture, credentials, sent } = replay('payment-json-accepted');
    const receipt = await client().createPaymentRequest(
      credentials,
      fixture.request.dataJson as unknown as PaymentJsonData,
    );
    sent();
    expect(receipt).toEqual({
      accepted: true,
      paymentSystemId: '2612061',
      registrationTime: new Date('2026-12-06T10:40:05.123Z'),
    });
  });

  it('reads an unaccepted receipt with its errors (HTTP 200)', async () => {
    const { fixture, credentials, sent } = replay('payment-json-unaccepted');
    const receipt = await client().createPaymentRequest(
      credentials,
      fixture.request.dataJson as unknown as PaymentJsonData,
    );
    sent();
    expect(receipt).toEqual({
      accepted: false,
      reasons: [
        "Element 'PaymentReason' is required.",
        "Value of 'PaymentRequestExpirationDate' should be greater than current date.",
      ],
      validationTime: new Date('2026-12-06T10:40:08.456Z'),
    });
  });

  it('asks paymentsStatus for several ids and keeps the null status of an unknown one', async () => {
    const { fixture, credentials, sent } = replay('payments-status');
    const statuses = await client().paymentsStatus(credentials, fixture.request.dataJson.requestIds as string[]);
    sent();
    expect(statuses).toEqual([
      { paymentSystemId: '2612061', status: 'pending', changeTime: '2026-12-06T12:40:05.1234567' },
      { paymentSystemId: '2612062', status: 'paid', changeTime: '2026-12-06T12:41:00.5678912' },
      { paymentSystemId: '2612060', status: null, changeTime: null },
    ]);
  });

  it('fetches the access code', async () => {
    const { credentials, sent } = replay('access-code');
    await expect(client().accessCode(credentials, '2612061')).resolves.toBe('K7QX3M9PLA');
    sent();
  });

  it('suspends a request, and reads the refusal of one that is not Pending', async () => {
    const suspend = replay('suspend-request');
    await client().suspendRequest(suspend.credentials, suspend.fixture.request.dataJson.id as string);
    suspend.sent();
    received = [];
    const refused = replay('suspend-request-refused');
    const error = await client()
      .suspendRequest(refused.credentials, refused.fixture.request.dataJson.id as string)
      .catch((caught: unknown) => caught);
    refused.sent();
    expect(error).toBeInstanceOf(PaymentSystemRefusalError);
    expect((error as PaymentSystemRefusalError).reason).toBe(
      (refused.fixture.response.body as { message: string }).message,
    );
  });

  it('marks a desk payment paid (setStatusPaid, CashDesk), and reads a refusal', async () => {
    const paid = replay('set-status-paid-cash-desk');
    const data = paid.fixture.request.dataJson as { id: string; paymentDescription: string };
    await client().setStatusPaid(paid.credentials, data.id, 'CashDesk', data.paymentDescription);
    // The source parses paymentMethod with Enum.Parse: the name and the number are the same value.
    expect(received).toHaveLength(1);
    const sentData = JSON.parse(Buffer.from(received[0]!.form.get('data')!, 'base64').toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(sentData).toEqual({ ...paid.fixture.request.dataJson, paymentMethod: 'CashDesk' });
    expect(paid.fixture.request.dataJson.paymentMethod).toBe(2);
    received = [];
    const refused = replay('set-status-paid-refused');
    await expect(client().setStatusPaid(refused.credentials, '2612062', 'CashDesk', 'again')).rejects.toBeInstanceOf(
      PaymentSystemRefusalError,
    );
  });

  it.each(['wrong-hmac-401', 'unknown-client-401'] as const)(
    'takes %s as a configuration fault, not an outage: no breaker trip',
    async (name) => {
      const { credentials } = replay(name);
      const paymentSystem = client();
      for (let i = 0; i < 6; i++) {
        await expect(paymentSystem.paymentsStatus(credentials, ['2612061'])).rejects.toBeInstanceOf(
          PaymentSystemUnauthorizedError,
        );
      }
      expect(paymentSystem.breaker.state).toBe('closed');
    },
  );

  it('passes on the message of a 400 (another client’s request)', async () => {
    const { credentials } = replay('payments-status-other-client-400');
    await expect(client().paymentsStatus(credentials, ['2612061'])).rejects.toThrow(
      'Not authorized to access payment request.',
    );
  });

  it('percent-encodes base64 in the form body (an unencoded + would break the HMAC)', async () => {
    replay('access-code');
    // A secret and id chosen so the base64 carries + and /.
    await client().accessCode({ clientId: 'c', secret: 'secret-with-plus-0000' }, '>>>???');
    const raw = received[0]!.form;
    expect(hmacMatches(raw.get('data')!, raw.get('hmac')!, 'secret-with-plus-0000')).toBe(true);
    expect(raw.get('data')).toContain('+');
  });
});
