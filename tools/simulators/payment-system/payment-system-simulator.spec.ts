import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  loadPayEgovFixture,
  type PayEgovEserviceRequest,
  type PayEgovFixture,
  type PayEgovFixtureName,
  payEgovCallbackFixtureNames,
  payEgovFixtureNames,
  valueAtPath,
} from '../../../contracts/fixtures/pay-egov';
import { PaymentSystemSimulator, realRetryScheduleMs, type Release } from './payment-system-simulator';

// Drives the simulator over real HTTP with the contract fixtures: each fixture's exact body must
// get the fixture's answer (generated ids and times checked by pattern), and each callback it sends
// must have the shape of the callback fixtures.

const dev = { clientId: 'sofia-umg-dev', secret: 'dev-payment-system-secret-0000' };
const serdika = { clientId: 'sofia-serdika', secret: 'serdika-payment-system-secret-01' };
const registeredIban = 'BG80BNBG96611020345678';

type EserviceFixture = PayEgovFixture<PayEgovEserviceRequest>;
const load = (name: PayEgovFixtureName) => loadPayEgovFixture(name) as EserviceFixture;
const eserviceFixtureNames = payEgovFixtureNames.filter(
  (name) => !(payEgovCallbackFixtureNames as readonly string[]).includes(name),
);

interface Running {
  simulator: PaymentSystemSimulator;
  base: string;
  stop: () => Promise<void>;
}

async function startSimulator(
  release: Release,
  options: { retryScheduleMs?: number[]; settleMs?: number; clockMs?: number } = {},
): Promise<Running> {
  const clockMs = options.clockMs ?? Date.parse(load('payment-json-accepted').fixtureClock);
  const simulator = new PaymentSystemSimulator({
    clients: [
      { ...dev, ibans: [registeredIban] },
      { ...serdika, ibans: ['BG18RZBB91550123456789'] },
    ],
    release,
    clock: () => clockMs,
    retryScheduleMs: options.retryScheduleMs ?? [],
    settleMs: options.settleMs ?? 0,
    callbackTimeoutMs: 500,
  });
  const port = await simulator.start(0);
  return { simulator, base: `http://127.0.0.1:${port}`, stop: () => simulator.stop() };
}

interface Exchange {
  status: number;
  contentType: string | null;
  text: string;
  body: unknown;
}

async function post(base: string, path: string, contentType: string, body: string): Promise<Exchange> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type'), text, body: parsed };
}

const sendFixture = (base: string, fixture: EserviceFixture) =>
  post(base, fixture.request.path, fixture.request.contentType, fixture.request.body);

async function control<T = Record<string, unknown>>(base: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}/simulator${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Replaces generated values by a marker after checking them; `sameAs` against earlier answers. */
function normalise(
  fixture: EserviceFixture,
  actual: unknown,
  answers: Map<string, Exchange>,
): { actual: unknown; expected: unknown } {
  const copy = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
  const root = { response: { body: copy(actual) } };
  const expectedRoot = { response: { body: copy(fixture.response.body) } };
  for (const [path, rule] of Object.entries(fixture.generated ?? {})) {
    const value = valueAtPath(root, path);
    if (rule.pattern) expect(String(value)).toMatch(new RegExp(rule.pattern));
    if (rule.sameAs) {
      const [other, otherPath] = rule.sameAs.split('#') as [string, string];
      expect(value).toEqual(valueAtPath({ response: { body: answers.get(other)?.body } }, otherPath));
    }
    setAtPath(root, path, '<generated>');
    setAtPath(expectedRoot, path, '<generated>');
  }
  return { actual: root.response.body, expected: expectedRoot.response.body };
}

function setAtPath(root: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = valueAtPath(root, keys.join('.')) as Record<string, unknown> | undefined;
  if (parent && typeof parent === 'object') parent[last] = value;
}

function expectFixtureAnswer(fixture: EserviceFixture, exchange: Exchange, answers: Map<string, Exchange>): void {
  expect(exchange.status).toBe(fixture.response.status);
  expect(exchange.contentType).toBe(fixture.response.contentType);
  if (!fixture.generated) {
    expect(exchange.text).toBe(fixture.response.bodyText ?? JSON.stringify(fixture.response.body));
    return;
  }
  const { actual, expected } = normalise(fixture, exchange.body, answers);
  // Stringified, so the order of the properties counts too.
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

/** Replays a fixture's `after` chain, then the fixture itself, on a fresh simulator. */
async function replay(name: PayEgovFixtureName, release: Release): Promise<void> {
  const running = await startSimulator(release);
  try {
    const answers = new Map<string, Exchange>();
    const fixture = load(name);
    for (const step of [...(fixture.after ?? []), name]) {
      const stepFixture = load(step as PayEgovFixtureName);
      const exchange = await sendFixture(running.base, stepFixture);
      expectFixtureAnswer(stepFixture, exchange, answers);
      answers.set(step, exchange);
    }
  } finally {
    await running.stop();
  }
}

const cases = eserviceFixtureNames.flatMap((name) => {
  const release = load(name).release;
  const releases: Release[] = release === 'both' ? ['2022', '2024'] : [release];
  return releases.map((each) => [name, each] as const);
});

describe('payment system simulator against the pay-egov fixtures', () => {
  it.each(cases)('%s (release %s): the fixture request as-is gets the fixture answer', async (name, release) => {
    await replay(name, release);
  });
});

// ---- callbacks -----------------------------------------------------------------------------

interface ReceivedCallback {
  path: string;
  contentType: string | undefined;
  accept: string | undefined;
  body: string;
  form: Record<string, string>;
  data: Record<string, unknown>;
}

class Receiver {
  readonly received: ReceivedCallback[] = [];
  /** The answers to give, in turn; the last one repeats. */
  answers: { status: number; body: string }[] = [{ status: 200, body: '{"success":true}' }];
  private server: Server | undefined;
  private waiters: (() => void)[] = [];

  async start(): Promise<string> {
    this.server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const form = Object.fromEntries(new URLSearchParams(body));
        this.received.push({
          path: request.url ?? '',
          contentType: request.headers['content-type'],
          accept: request.headers.accept,
          body,
          form,
          data: JSON.parse(Buffer.from(form.Data ?? '', 'base64').toString('utf8')) as Record<string, unknown>,
        });
        const answer = this.answers[Math.min(this.received.length - 1, this.answers.length - 1)]!;
        response.writeHead(answer.status, { 'Content-Type': 'application/json' });
        response.end(answer.body);
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async waitFor(count: number, timeoutMs = 3_000): Promise<ReceivedCallback[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`${this.received.length} of ${count} callbacks arrived`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.received;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const sign = (secret: string, data: string) =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(data).digest('base64');

/** A paymentJson like the accepted fixture's, but calling back to `receiverUrl`. */
function paymentJsonBody(receiverUrl: string, overrides: Record<string, unknown> = {}, client = dev): string {
  const dataJson = {
    ...load('payment-json-accepted').request.dataJson,
    administrativeServiceNotificationURL: `${receiverUrl}/v1/payment-notifications?district=serdika`,
    ...overrides,
  };
  const data = Buffer.from(JSON.stringify(dataJson), 'utf8').toString('base64');
  return new URLSearchParams({ clientId: client.clientId, hmac: sign(client.secret, data), data }).toString();
}

function eserviceBody(data: unknown, client = dev): string {
  const encoded = Buffer.from(JSON.stringify(data), 'utf8').toString('base64');
  return new URLSearchParams({
    clientId: client.clientId,
    hmac: sign(client.secret, encoded),
    data: encoded,
  }).toString();
}

const form = 'application/x-www-form-urlencoded; charset=UTF-8';

async function createPayment(
  base: string,
  receiverUrl: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const answer = await post(base, '/api/v1/eService/paymentJson', form, paymentJsonBody(receiverUrl, overrides));
  const body = answer.body as { acceptedReceiptJson: { id: string } | null };
  expect(body.acceptedReceiptJson).not.toBeNull();
  return body.acceptedReceiptJson!.id;
}

/** The received callback has the fixture's shape: form fields, encoding, data keys and formats, signature. */
function expectCallbackLike(
  name: (typeof payEgovCallbackFixtureNames)[number],
  received: ReceivedCallback,
  id: string,
) {
  const fixture = loadPayEgovFixture(name);
  expect(received.path).toBe('/v1/payment-notifications?district=serdika');
  expect(received.contentType).toBe(fixture.request.contentType);
  expect(received.accept).toBe(fixture.request.accept);
  expect(Object.keys(received.form)).toEqual(Object.keys(fixture.request.form));
  for (const escape of received.body.match(/%../g) ?? []) expect(escape).toBe(escape.toLowerCase()); // as .NET writes them
  expect(Object.keys(received.data)).toEqual(Object.keys(fixture.request.dataJson));
  const [idKey, statusKey, timeKey] = Object.keys(fixture.request.dataJson) as [string, string, string];
  expect(received.data[idKey]).toBe(id);
  expect(received.data[statusKey]).toBe(fixture.request.dataJson[statusKey]);
  expect(String(received.data[timeKey])).toMatch(
    new RegExp(fixture.generated![`request.dataJson.${timeKey}`]!.pattern!),
  );
  expect(received.form.ClientId).toBe(fixture.request.form.ClientId);
  if (fixture.request.form.Hmac !== undefined) expect(received.form.Hmac).toBe(sign(dev.secret, received.form.Data!));
}

describe('payment system simulator callbacks', () => {
  let receiver: Receiver;
  let receiverUrl: string;
  let running: Running | undefined;

  beforeEach(async () => {
    receiver = new Receiver();
    receiverUrl = await receiver.start();
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await receiver.stop();
  });

  it('2022: a citizen paying by card pushes Authorized then Paid, PascalCase and signed', async () => {
    running = await startSimulator('2022', { clockMs: Date.now() });
    const id = await createPayment(running.base, receiverUrl);
    await control(running.base, 'POST', `/payments/${id}/pay`, { channel: 'card' });
    const [authorized, paid] = await receiver.waitFor(2);
    expect(authorized!.data.Status).toBe('Authorized');
    expectCallbackLike('callback-2022-paid', paid!, id);
  });

  it('2022: suspendRequest and setStatusPaid push camelCase keys (the API host’s JSON defaults)', async () => {
    running = await startSimulator('2022', { clockMs: Date.now() });
    const first = await createPayment(running.base, receiverUrl);
    const second = await createPayment(running.base, receiverUrl, { aisPaymentId: 'SOF-05-0000000002' });
    expect(
      await post(running.base, '/api/v1/eService/suspendRequest', form, eserviceBody({ id: first })),
    ).toMatchObject({
      status: 200,
      text: '{}',
    });
    const [suspended] = await receiver.waitFor(1);
    expectCallbackLike('callback-2022-suspended-camelcase', suspended!, first);
    const paid = await post(
      running.base,
      '/api/v1/eService/setStatusPaid',
      form,
      eserviceBody({ id: second, paymentMethod: 'CashDesk', paymentDescription: null }),
    );
    expect(paid.status).toBe(200);
    const [, paidCallback] = await receiver.waitFor(2);
    expectCallbackLike('callback-2022-set-status-paid-camelcase', paidCallback!, second);
  });

  it('2024: only Paid is pushed, without Hmac, PascalCase', async () => {
    running = await startSimulator('2024', { clockMs: Date.now() });
    const byCard = await createPayment(running.base, receiverUrl);
    const atDesk = await createPayment(running.base, receiverUrl, { aisPaymentId: 'SOF-05-0000000002' });
    const suspended = await createPayment(running.base, receiverUrl, { aisPaymentId: 'SOF-05-0000000003' });
    await post(running.base, '/api/v1/eService/suspendRequest', form, eserviceBody({ id: suspended }));
    await control(running.base, 'POST', `/payments/${byCard}/pay`, { channel: 'card' });
    await post(
      running.base,
      '/api/v1/eService/setStatusPaid',
      form,
      eserviceBody({ id: atDesk, paymentMethod: 2, paymentDescription: 'каса' }),
    );
    const callbacks = await receiver.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 200)); // nothing else may come
    expect(receiver.received).toHaveLength(2);
    expect(callbacks.map((callback) => callback.data.Id).sort()).toEqual([byCard, atDesk].sort());
    for (const callback of callbacks) {
      expectCallbackLike('callback-2024-paid-unsigned', callback, String(callback.data.Id));
    }
  });

  it('switches release at run time', async () => {
    running = await startSimulator('2022', { clockMs: Date.now() });
    expect((await control(running.base, 'POST', '/release', { release: '2024' })).body).toEqual({ release: '2024' });
    const id = await createPayment(running.base, receiverUrl);
    await control(running.base, 'POST', `/payments/${id}/pay`, { channel: 'transfer' });
    const [paid] = await receiver.waitFor(1);
    expect(paid!.form.Hmac).toBeUndefined();
    expect(paid!.data.Status).toBe('Paid');
    expect((await control(running.base, 'POST', '/release', { release: '2023' })).status).toBe(400);
  });

  it('retries a refused callback on the schedule and counts only 2xx with success true', async () => {
    running = await startSimulator('2022', { clockMs: Date.now(), retryScheduleMs: [20, 20, 20, 20, 20] });
    receiver.answers = [
      { status: 500, body: '{"success":true}' },
      { status: 200, body: '{"success":false}' },
      { status: 200, body: 'OK' },
      { status: 200, body: '{"Success":"True"}' },
    ];
    const id = await createPayment(running.base, receiverUrl);
    await control(running.base, 'POST', `/payments/${id}/pay`, { stopBeforePaid: true });
    await receiver.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toHaveLength(4);
    const view = (await control<{ notifications: unknown }>(running.base, 'GET', `/payments/${id}`)).body;
    expect(view.notifications).toEqual({ delivered: 1, failed: 3 });
  });

  it('gives up after the last wait of the schedule', async () => {
    running = await startSimulator('2022', { clockMs: Date.now(), retryScheduleMs: [10, 10] });
    receiver.answers = [{ status: 503, body: '' }];
    const id = await createPayment(running.base, receiverUrl);
    await control(running.base, 'POST', `/payments/${id}/expire`);
    await receiver.waitFor(3);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.received).toHaveLength(3);
    const view = (await control<{ notifications: unknown }>(running.base, 'GET', `/payments/${id}`)).body;
    expect(view.notifications).toEqual({ delivered: 0, failed: 3 });
  });

  it('has the real retry schedule: 24 waits, 25 attempts', () => {
    const minute = 60_000;
    const hour = 60 * minute;
    expect(realRetryScheduleMs).toEqual([
      ...Array<number>(5).fill(minute),
      ...Array<number>(4).fill(15 * minute),
      ...Array<number>(5).fill(hour),
      ...Array<number>(6).fill(3 * hour),
      ...Array<number>(4).fill(6 * hour),
    ]);
  });

  it('sends a duplicate of every notification when asked, and resends an old one', async () => {
    running = await startSimulator('2022', { clockMs: Date.now() });
    const id = await createPayment(running.base, receiverUrl);
    await control(running.base, 'POST', '/notifications', { duplicate: true });
    await control(running.base, 'POST', `/payments/${id}/pay`, { stopBeforePaid: true });
    await receiver.waitFor(2);
    await control(running.base, 'POST', '/notifications', { duplicate: false });
    await control(running.base, 'POST', `/payments/${id}/resend`, { index: 0 });
    const callbacks = await receiver.waitFor(3);
    // The creation was the API host's doing: its (replayed) change has camelCase keys.
    expect(callbacks.map((callback) => callback.data.Status ?? callback.data.status)).toEqual([
      'Authorized',
      'Authorized',
      'Pending',
    ]);
  });
});

// ---- rules and control API -----------------------------------------------------------------

describe('payment system simulator rules and control API', () => {
  let running: Running;
  beforeEach(async () => {
    running = await startSimulator('2022');
  });
  afterEach(() => running.stop());

  it('replaces a Pending request with the same aisPaymentId and shows it in the view', async () => {
    await sendFixture(running.base, load('payment-json-accepted'));
    await sendFixture(running.base, load('payment-json-replaced-while-pending'));
    const { body } = await control<{ items: Record<string, unknown>[] }>(
      running.base,
      'GET',
      '/payments?aisPaymentId=SOF-05-0000000001',
    );
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      id: '2612061',
      status: 1,
      statusName: 'Pending',
      createCalls: 2,
      paymentAmount: 12.4,
      currency: 'BGN',
      clientId: dev.clientId,
      serviceProviderIBAN: registeredIban,
    });
    expect(String(body.items[0]!.accessCode)).toMatch(/^[A-NP-Z1-9]{10}$/);
    expect((body.items[0]!.request as { paymentAmount: number }).paymentAmount).toBe(12.4);
  });

  it('suspends from Canceled but not from Suspended', async () => {
    await sendFixture(running.base, load('payment-json-accepted'));
    await control(running.base, 'POST', '/payments/2612061/cancel', { notify: false });
    const suspend = load('suspend-request');
    expect((await sendFixture(running.base, suspend)).text).toBe('{}');
    const again = await sendFixture(running.base, suspend);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ message: "Unable to suspend payment request with status different from 'Pending'." });
  });

  it('refuses setStatusPaid after suspension, and a paid request by its aisPaymentId', async () => {
    await sendFixture(running.base, load('payment-json-accepted'));
    await sendFixture(running.base, load('suspend-request'));
    const paid = await post(
      running.base,
      '/api/v1/eService/setStatusPaid',
      form,
      eserviceBody({ id: '2612061', paymentMethod: '1', paymentDescription: 'x' }),
    );
    expect(paid.status).toBe(400);
    const resent = await sendFixture(running.base, load('payment-json-accepted'));
    expect((resent.body as { unacceptedReceiptJson: { errors: string[] } }).unacceptedReceiptJson.errors).toEqual([
      "Payment request with corresponding aisPaymentId has status 'Suspended'. Payment request replacing is allowed only when request status is 'Pending'.",
    ]);
  });

  it('answers 400 on a bad XSD value and on unparseable data, 415 on a signed body of another media type', async () => {
    const empty = await post(
      running.base,
      '/api/v1/eService/paymentJson',
      form,
      paymentJsonBody('http://x', { currency: '' }),
    );
    expect(empty.status).toBe(400);
    expect((empty.body as { message: string }).message).toMatch(/^Xsd schema validation errors occurred:\r\n1\. /);
    const noAmount = await post(
      running.base,
      '/api/v1/eService/paymentJson',
      form,
      paymentJsonBody('http://x', { paymentAmount: null }),
    );
    expect(noAmount.body).toEqual({
      message: 'An error occurred when attempting to parse data. Please ensure that POST data is in correct format.',
    });
    const text = await post(
      running.base,
      '/api/v1/eService/paymentsStatus',
      'text/plain',
      eserviceBody({ requestIds: [] }),
    );
    expect(text.status).toBe(415);
  });

  it('registers a client at run time; its requests are its own', async () => {
    const municipal = { clientId: 'sofia-mladost', secret: 'mladost-secret-0001' };
    const status = eserviceBody({ requestIds: ['2612061'] }, municipal);
    expect((await post(running.base, '/api/v1/eService/paymentsStatus', form, status)).status).toBe(401);
    expect((await control(running.base, 'POST', '/clients', { ...municipal, ibans: [registeredIban] })).status).toBe(
      201,
    );
    await sendFixture(running.base, load('payment-json-accepted'));
    const foreign = await post(running.base, '/api/v1/eService/paymentsStatus', form, status);
    expect(foreign.body).toEqual({ message: 'Not authorized to access payment request.' });
    const own = await post(
      running.base,
      '/api/v1/eService/paymentJson',
      form,
      paymentJsonBody('http://x', { aisPaymentId: 'MLA-1', paymentReferenceNumber: 'MLA-1' }, municipal),
    );
    expect((own.body as { acceptedReceiptJson: { id: string } }).acceptedReceiptJson.id).toBe('2612062');
  });

  it('counts every eService call by operation and answer, and resets the counts', async () => {
    await sendFixture(running.base, load('payment-json-accepted'));
    await sendFixture(running.base, load('payment-json-body-401'));
    await sendFixture(running.base, load('payments-status'));
    await control(running.base, 'POST', '/failure', { mode: 'unauthorized' });
    const refused = await sendFixture(running.base, load('payments-status'));
    expect(refused.status).toBe(401);
    expect(refused.text).toBe('{"message":"Authorization has been denied for this request."}');
    await control(running.base, 'POST', '/failure', { mode: 'unavailable' });
    expect((await sendFixture(running.base, load('access-code'))).status).toBe(503);
    await control(running.base, 'POST', '/failure', { mode: 'none' });
    expect((await control(running.base, 'GET', '/calls')).body).toEqual({
      byOperation: {
        paymentJson: { total: 2, byStatus: { '200': 1, '401': 1 } },
        paymentsStatus: { total: 2, byStatus: { '200': 1, '401': 1 } },
        accessCode: { total: 1, byStatus: { '503': 1 } },
      },
    });
    expect((await control(running.base, 'POST', '/calls/reset')).body).toEqual({ byOperation: {} });
  });

  it('drops connections and delays answers when told to', async () => {
    await control(running.base, 'POST', '/failure', { mode: 'reset' });
    await expect(sendFixture(running.base, load('access-code-unknown-id'))).rejects.toThrow();
    await control(running.base, 'POST', '/failure', { mode: 'slow', delayMs: 150 });
    const started = Date.now();
    expect((await sendFixture(running.base, load('access-code-unknown-id'))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await control(running.base, 'GET', '/calls')).body).toEqual({
      byOperation: { accessCode: { total: 2, byStatus: { reset: 1, '200': 1 } } },
    });
  });
});
