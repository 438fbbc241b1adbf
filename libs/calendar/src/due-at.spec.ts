import { BulgarianCalendar } from './bulgarian-calendar';
import { dueAtWithPauses } from './due-at';
import { WorkingTime } from './working-time';

const HOUR = 3_600_000;

describe('dueAtWithPauses', () => {
  const calendar = new BulgarianCalendar();
  const sevenDays = { unit: 'working_days', amount: 7 } as const;
  // Monday 1 June 2026, 09:00 Sofia (EEST, +3).
  const started = new Date('2026-06-01T06:00:00Z');
  const due = (pauses: { pausedAt: string; resumedAt: string | null }[], cal = calendar) =>
    dueAtWithPauses(
      cal,
      started,
      sevenDays,
      pauses.map((p) => ({ pausedAt: new Date(p.pausedAt), resumedAt: p.resumedAt ? new Date(p.resumedAt) : null })),
    );

  it('without pauses is the term’s own deadline', () => {
    // 2..10 June are 7 working days: end of Wednesday 10 June.
    expect(due([]).dueAt.toISOString()).toBe('2026-06-10T20:59:59.999Z');
    expect(due([]).pausedWorkingMs).toBe(0);
  });

  it('moves the due time by exactly the working time the clock stood still', () => {
    // Tuesday 10:00 to Thursday 10:00: two working days.
    const explained = due([{ pausedAt: '2026-06-02T07:00:00Z', resumedAt: '2026-06-04T07:00:00Z' }]);
    expect(explained.pausedWorkingMs).toBe(48 * HOUR);
    expect(explained.termDueAt.toISOString()).toBe('2026-06-10T20:59:59.999Z');
    expect(explained.dueAt.toISOString()).toBe('2026-06-12T20:59:59.999Z');
  });

  it('does not count the weekend inside a pause', () => {
    // Friday 10:00 to Monday 10:00: 14 h of Friday and 10 h of Monday are one working day.
    const explained = due([{ pausedAt: '2026-06-05T07:00:00Z', resumedAt: '2026-06-08T07:00:00Z' }]);
    expect(explained.pausedWorkingMs).toBe(24 * HOUR);
    expect(explained.dueAt.toISOString()).toBe('2026-06-11T20:59:59.999Z');
  });

  it('carries part of a day over as it is', () => {
    // Six hours on Tuesday: from the end of Wednesday 10 June, six working hours into Thursday.
    const explained = due([{ pausedAt: '2026-06-02T07:00:00Z', resumedAt: '2026-06-02T13:00:00Z' }]);
    expect(explained.dueAt.getTime() - explained.termDueAt.getTime()).toBe(6 * HOUR);
  });

  it('adds several pauses and skips the days off after the term’s end', () => {
    // 1 day + 1 day from Wednesday 10 June: Thursday 11, Friday 12 June.
    const explained = due([
      { pausedAt: '2026-06-02T06:00:00Z', resumedAt: '2026-06-03T06:00:00Z' },
      { pausedAt: '2026-06-04T06:00:00Z', resumedAt: '2026-06-05T06:00:00Z' },
    ]);
    expect(explained.dueAt.toISOString()).toBe('2026-06-12T20:59:59.999Z');
    // Three days: over the weekend to Monday 15 June.
    const longer = due([{ pausedAt: '2026-06-02T06:00:00Z', resumedAt: '2026-06-05T06:00:00Z' }]);
    expect(longer.dueAt.toISOString()).toBe('2026-06-15T20:59:59.999Z');
  });

  it('does not count a pause that has not ended yet', () => {
    expect(due([{ pausedAt: '2026-06-02T07:00:00Z', resumedAt: null }]).dueAt.toISOString()).toBe(
      '2026-06-10T20:59:59.999Z',
    );
  });

  it('follows decreed days off and working days', () => {
    const decreed = new BulgarianCalendar({ extraDaysOff: ['2026-06-09'] });
    expect(due([], decreed).dueAt.toISOString()).toBe('2026-06-11T20:59:59.999Z');
    // A Saturday worked by decree inside the term ends it a day earlier.
    const saturday = new BulgarianCalendar({ extraWorkingDays: ['2026-06-06'] });
    expect(due([], saturday).dueAt.toISOString()).toBe('2026-06-09T20:59:59.999Z');
  });
});

describe('WorkingTime', () => {
  const calendar = new BulgarianCalendar();

  it('counts nothing on a holiday', () => {
    // Wednesday 6 May 2026 is St George's Day: 5 May 12:00 to 7 May 12:00 Sofia is 24 working hours.
    expect(WorkingTime.between(calendar, new Date('2026-05-05T09:00:00Z'), new Date('2026-05-07T09:00:00Z'))).toBe(
      24 * HOUR,
    );
  });

  it('counts the 23-hour day of the spring DST change as it is', () => {
    // Sunday 29 March 2026 is 23 h long but a day off; Monday 30 March counts 24 h.
    const from = new Date('2026-03-27T22:00:00Z'); // Saturday 00:00 Sofia
    const to = new Date('2026-03-30T21:00:00Z'); // Tuesday 00:00 Sofia (+3)
    expect(WorkingTime.between(calendar, from, to)).toBe(24 * HOUR);
  });

  it('adds and measures the same time', () => {
    const from = new Date('2026-06-05T12:34:56Z');
    const to = WorkingTime.add(calendar, from, 30 * HOUR);
    expect(WorkingTime.between(calendar, from, to)).toBe(30 * HOUR);
    // Friday 15:34 Sofia + 30 h of working time: 8 h 25 min of Friday, the rest (21 h 35 min) of Monday.
    expect(to.toISOString()).toBe('2026-06-08T18:34:56.000Z');
  });

  it('refuses a negative amount', () => {
    expect(() => WorkingTime.add(calendar, new Date(), -1)).toThrow('invalid amount');
  });
});
