import { RecentValue } from './recent-value';

describe('RecentValue', () => {
  let now = 0;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('loads once while the value is young, again when it is old', async () => {
    let loads = 0;
    const value = new RecentValue(async () => ++loads, 5_000);
    expect(await Promise.all([value.get(), value.get()])).toEqual([1, 1]);
    now += 5_000;
    expect(await value.get()).toBe(1);
    now += 1;
    expect(await value.get()).toBe(2);
  });

  it('does not keep a failure', async () => {
    let loads = 0;
    const value = new RecentValue(async () => {
      loads += 1;
      if (loads === 1) throw new Error('down');
      return loads;
    }, 5_000);
    await expect(value.get()).rejects.toThrow('down');
    expect(await value.get()).toBe(2);
  });
});
