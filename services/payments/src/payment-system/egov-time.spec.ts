import { parseEgovTime } from './egov-time';

describe('times as the payment system writes them', () => {
  it('reads seven fractional digits without an offset as Sofia local time (winter and summer)', () => {
    expect(parseEgovTime('2026-01-21T11:05:01.1234567')?.toISOString()).toBe('2026-01-21T09:05:01.123Z');
    expect(parseEgovTime('2022-06-21T11:05:01.1234567')?.toISOString()).toBe('2022-06-21T08:05:01.123Z');
    expect(parseEgovTime('2026-03-12T10:42:00')?.toISOString()).toBe('2026-03-12T08:42:00.000Z');
  });

  it('keeps an explicit offset or Z', () => {
    expect(parseEgovTime('2022-06-21T11:05:01.1234567+03:00')?.toISOString()).toBe('2022-06-21T08:05:01.123Z');
    expect(parseEgovTime('2026-03-12T08:42:00Z')?.toISOString()).toBe('2026-03-12T08:42:00.000Z');
  });

  it('reads nothing from what is not such a time', () => {
    for (const value of [
      undefined,
      null,
      1718000000,
      '',
      '21.06.2022 11:05',
      '2022-06-21',
      '2022-06-21T11:05:01.12345678',
    ]) {
      expect(parseEgovTime(value)).toBeUndefined();
    }
  });
});
