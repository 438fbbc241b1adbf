import { parseEffectiveFrom } from './effective-from';

describe('parseEffectiveFrom', () => {
  it('reads a date as 00:00 Sofia time, winter and summer', () => {
    expect(parseEffectiveFrom('2027-01-01')?.toISOString()).toBe('2026-12-31T22:00:00.000Z');
    expect(parseEffectiveFrom('2027-07-01')?.toISOString()).toBe('2027-06-30T21:00:00.000Z');
  });

  it('reads a date-time only with its offset', () => {
    expect(parseEffectiveFrom('2027-03-01T08:30:00+02:00')?.toISOString()).toBe('2027-03-01T06:30:00.000Z');
    expect(parseEffectiveFrom('2027-03-01T06:30:00.250Z')?.toISOString()).toBe('2027-03-01T06:30:00.250Z');
    expect(parseEffectiveFrom('2027-03-01T08:30:00')).toBeUndefined();
  });

  it('refuses what is not a date', () => {
    for (const text of ['2027-02-30', '2027-13-01', 'tomorrow', '', '2027-03-01T25:00:00Z']) {
      expect(parseEffectiveFrom(text)).toBeUndefined();
    }
  });
});
