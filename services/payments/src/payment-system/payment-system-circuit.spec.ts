import { isOpenCircuit, PaymentSystemCircuit } from './payment-system-circuit';

class Outage extends Error {}
class Refusal extends Error {}

describe('payment system circuit (opossum)', () => {
  const circuit = () =>
    new PaymentSystemCircuit({ failureThreshold: 3, resetAfterMs: 1_000 }, (error) => error instanceof Outage);
  const fail = (c: PaymentSystemCircuit) => c.run(() => Promise.reject(new Outage('down'))).catch((error) => error);
  const succeed = (c: PaymentSystemCircuit) => c.run(() => Promise.resolve('ok'));

  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('opens after the threshold of consecutive outages, not before, and then refuses without calling', async () => {
    const c = circuit();
    await fail(c);
    await fail(c);
    expect(c.state).toBe('closed');
    await fail(c);
    expect(c.state).toBe('open');
    expect(c.waitMs()).toBe(1_000);
    const exchange = jest.fn(() => Promise.resolve('sent'));
    const refusal = await c.run(exchange).catch((error: unknown) => error);
    expect(isOpenCircuit(refusal)).toBe(true);
    expect(exchange).not.toHaveBeenCalled();
  });

  it('does not count answers that show the system is up (a refusal, bad credentials)', async () => {
    const c = circuit();
    for (let i = 0; i < 5; i++) await c.run(() => Promise.reject(new Refusal('no'))).catch(() => undefined);
    expect(c.state).toBe('closed');
  });

  it('forgets outages after a success, however many failed before it', async () => {
    const c = circuit();
    for (let i = 0; i < 10; i++) await succeed(c);
    await fail(c);
    await fail(c);
    await succeed(c);
    await fail(c);
    await fail(c);
    expect(c.state).toBe('closed');
    await fail(c);
    expect(c.state).toBe('open');
  });

  it('lets one probe through after the reset time; a failed probe opens it again, a good one closes it', async () => {
    const c = circuit();
    for (let i = 0; i < 3; i++) await fail(c);
    jest.advanceTimersByTime(999);
    expect(c.state).toBe('open');
    expect(c.waitMs()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(c.state).toBe('half_open');
    expect(c.waitMs()).toBe(0);
    await fail(c);
    expect(c.state).toBe('open');
    expect(c.waitMs()).toBe(1_000);
    jest.advanceTimersByTime(1_000);
    await expect(succeed(c)).resolves.toBe('ok');
    expect(c.state).toBe('closed');
  });
});
