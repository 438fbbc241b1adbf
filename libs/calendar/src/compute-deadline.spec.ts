import { BulgarianCalendar } from './bulgarian-calendar';
import { computeDeadline } from './compute-deadline';

describe('computeDeadline', () => {
  const calendar = new BulgarianCalendar();
  const at = (iso: string) => new Date(iso);
  const deadline = (submitted: string, unit: 'working_days' | 'calendar_days' | 'hours' | 'immediate', amount = 0) =>
    computeDeadline(calendar, at(submitted), { unit, amount }).toISOString();

  describe('across the spring DST change (Sunday 29 March 2026, EET +2 -> EEST +3)', () => {
    it('working days end at 23:59:59.999 Sofia summer time', () => {
      // Friday 10:00 Sofia (+2) -> Monday 30 March, end of day at +3.
      expect(deadline('2026-03-27T08:00:00Z', 'working_days', 1)).toBe('2026-03-30T20:59:59.999Z');
      // The day before the change still ends at +2.
      expect(deadline('2026-03-27T08:00:00Z', 'immediate')).toBe('2026-03-27T21:59:59.999Z');
    });

    it('uses the Sofia date, not the UTC date, of the submission', () => {
      // 22:30Z Friday = 00:30 Saturday in Sofia: a day-off submission, received Monday -> Tuesday.
      expect(deadline('2026-03-27T22:30:00Z', 'working_days', 1)).toBe('2026-03-31T20:59:59.999Z');
      expect(deadline('2026-03-27T21:30:00Z', 'working_days', 1)).toBe('2026-03-30T20:59:59.999Z');
    });

    it('hours are elapsed hours, so the Sofia wall-clock time shifts by the DST hour', () => {
      // Friday 10:00 EET + 72h = Monday 11:00 EEST.
      expect(deadline('2026-03-27T08:00:00Z', 'hours', 72)).toBe('2026-03-30T08:00:00.000Z');
    });

    it('hours landing on a day off move to the end of the next working day', () => {
      // Friday 22:30 Sofia + 2h = Saturday 00:30 -> end of Monday.
      expect(deadline('2026-03-27T20:30:00Z', 'hours', 2)).toBe('2026-03-30T20:59:59.999Z');
      // Friday 10:00 + 24h = Saturday.
      expect(deadline('2026-03-27T08:00:00Z', 'hours', 24)).toBe('2026-03-30T20:59:59.999Z');
    });
  });

  describe('across the autumn DST change (Sunday 25 October 2026, EEST +3 -> EET +2)', () => {
    it('ends the day at the offset valid on that day', () => {
      expect(deadline('2026-10-23T13:00:00Z', 'immediate')).toBe('2026-10-23T20:59:59.999Z');
      expect(deadline('2026-10-23T13:00:00Z', 'working_days', 1)).toBe('2026-10-26T21:59:59.999Z');
    });

    it('a submission on the 25-hour Sunday counts from Monday', () => {
      // 21:30Z = 23:30 Sunday in Sofia (+2 after the change).
      expect(deadline('2026-10-25T21:30:00Z', 'immediate')).toBe('2026-10-26T21:59:59.999Z');
      expect(deadline('2026-10-25T21:30:00Z', 'working_days', 1)).toBe('2026-10-27T21:59:59.999Z');
    });
  });

  describe('weekend and holiday submissions', () => {
    // Saturday 23 May 2026; Sunday 24 May is a holiday, Monday 25 May its substitute.
    it('immediate -> end of the next working day', () => {
      expect(deadline('2026-05-23T09:00:00Z', 'immediate')).toBe('2026-05-26T20:59:59.999Z');
    });

    it('working days count from the next working day', () => {
      expect(deadline('2026-05-23T09:00:00Z', 'working_days', 1)).toBe('2026-05-27T20:59:59.999Z');
      expect(deadline('2026-05-23T09:00:00Z', 'working_days', 0)).toBe('2026-05-26T20:59:59.999Z');
    });

    it('7 working days from Monday before Easter skip Good Friday and Easter Monday', () => {
      expect(deadline('2026-04-06T07:00:00Z', 'working_days', 7)).toBe('2026-04-17T20:59:59.999Z');
    });
  });

  describe('hours on a working day', () => {
    it('keeps the exact instant', () => {
      expect(deadline('2026-06-09T07:15:00Z', 'hours', 24)).toBe('2026-06-10T07:15:00.000Z');
    });
  });

  describe('calendar days', () => {
    it('ends on the N-th calendar day when it is a working day', () => {
      expect(deadline('2026-12-01T08:00:00Z', 'calendar_days', 30)).toBe('2026-12-31T21:59:59.999Z');
    });

    it('runs on to the next working day when the last day is a day off', () => {
      // 25 Nov + 30 = 25 Dec (holiday); 26 Sat, 27 Sun, 28 substitute -> Tuesday 29 Dec.
      expect(deadline('2026-11-25T08:00:00Z', 'calendar_days', 30)).toBe('2026-12-29T21:59:59.999Z');
    });
  });

  it('honours Council of Ministers overrides', () => {
    // ILLUSTRATIVE EXAMPLE ONLY, not an actual decision: Friday 2 Jan 2026 off, Saturday 17 Jan worked.
    const decreed = new BulgarianCalendar({ extraDaysOff: ['2026-01-02'], extraWorkingDays: ['2026-01-17'] });
    const newYearsEve = at('2025-12-31T08:00:00Z');
    const oneDay = { unit: 'working_days', amount: 1 } as const;
    expect(computeDeadline(calendar, newYearsEve, oneDay).toISOString()).toBe('2026-01-02T21:59:59.999Z');
    expect(computeDeadline(decreed, newYearsEve, oneDay).toISOString()).toBe('2026-01-05T21:59:59.999Z');
    // A submission on the working Saturday is handled that day.
    const workingSaturday = at('2026-01-17T08:00:00Z');
    expect(computeDeadline(decreed, workingSaturday, { unit: 'immediate', amount: 0 }).toISOString()).toBe(
      '2026-01-17T21:59:59.999Z',
    );
  });

  it('rejects invalid input', () => {
    expect(() => deadline('2026-06-09T07:00:00Z', 'working_days', -1)).toThrow(/invalid amount/);
    expect(() => deadline('2026-06-09T07:00:00Z', 'working_days', 1.5)).toThrow(/invalid amount/);
    expect(() => computeDeadline(calendar, new Date('nope'), { unit: 'immediate', amount: 0 })).toThrow(/invalid Date/);
  });
});
