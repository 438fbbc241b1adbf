import { PushFailure } from './back-office-answer';
import { DistrictCircuits, isOpenCircuit } from './district-circuits';

describe('per-district circuits', () => {
  const circuits = new DistrictCircuits({ resetTimeoutMs: 60_000, volumeThreshold: 2 });
  afterAll(() => circuits.shutdown());

  const failing = () => Promise.reject(new PushFailure('down', false));

  it('opens one district’s circuit after repeated outages and leaves the others closed', async () => {
    await expect(circuits.run('sredets', failing)).rejects.toThrow('down');
    await expect(circuits.run('sredets', failing)).rejects.toThrow('down');

    expect(circuits.state('sredets')).toBe('open');
    expect(circuits.allows('sredets')).toBe(false);
    const rejected = await circuits.run('sredets', () => Promise.resolve('ok')).catch((error: unknown) => error);
    expect(isOpenCircuit(rejected)).toBe(true);
    expect(circuits.state('oborishte')).toBe('closed');
    await expect(circuits.run('oborishte', () => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('does not count a refusal of one message as an outage', async () => {
    const refused = () => Promise.reject(new PushFailure('422', true));
    for (let i = 0; i < 4; i++) await expect(circuits.run('lyulin', refused)).rejects.toThrow('422');
    expect(circuits.state('lyulin')).toBe('closed');
  });
});
