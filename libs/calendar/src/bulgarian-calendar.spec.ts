import { BulgarianCalendar } from './bulgarian-calendar';

/** Orthodox Easter Sunday (Gregorian date), Meeus' Julian algorithm + 13 days: valid 1900-2099. */
function meeusOrthodoxEaster(year: number): string {
  const a = year % 4;
  const b = year % 7;
  const c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day + 13)).toISOString().slice(0, 10);
}

function workingDaysIn(calendar: BulgarianCalendar, year: number): number {
  let count = 0;
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    if (calendar.isWorkingDay(d.toISOString().slice(0, 10))) count++;
  }
  return count;
}

describe('BulgarianCalendar', () => {
  const calendar = new BulgarianCalendar();
  const offOn = (year: number) => new Map(calendar.daysOff(year).map((d) => [d.date, d]));

  describe('Orthodox Easter', () => {
    it.each([
      // year, Good Friday, Holy Saturday, Easter Sunday, Easter Monday, next working day
      [2024, '2024-05-03', '2024-05-04', '2024-05-05', '2024-05-06', '2024-05-07'],
      [2025, '2025-04-18', '2025-04-19', '2025-04-20', '2025-04-21', '2025-04-22'],
      [2026, '2026-04-10', '2026-04-11', '2026-04-12', '2026-04-13', '2026-04-14'],
      // 4 May 2027 is off too, but as Labour Day's substitute (see the 2027 test).
      [2027, '2027-04-30', '2027-05-01', '2027-05-02', '2027-05-03', '2027-05-05'],
    ])('%i: Good Friday %s, Holy Saturday %s, Easter %s, Easter Monday %s', (year, fri, sat, sun, mon, next) => {
      const off = offOn(year);
      for (const date of [fri, sat, sun, mon]) expect(off.get(date)?.reason).toBe('holiday');
      expect(off.get(sat)?.name).toContain('Holy Saturday'); // added by us, missing in date-holidays
      expect(off.get(sun)?.name).toContain('Easter');
      expect(calendar.isWorkingDay(fri)).toBe(false);
      expect(calendar.isWorkingDay(mon)).toBe(false);
      expect(calendar.addWorkingDays(mon, 1)).toBe(next);
      // Easter days never get a substitute (art. 154(2)).
      const easterSubstitutes = calendar
        .daysOff(year)
        .filter((d) => d.reason === 'substitute' && /Easter|Good Friday|Holy Saturday/.test(d.name));
      expect(easterSubstitutes).toEqual([]);
    });

    it("date-holidays' Orthodox Easter matches Meeus' algorithm for 2017-2099", () => {
      const mismatches: string[] = [];
      for (let year = 2017; year <= 2099; year++) {
        const easter = meeusOrthodoxEaster(year);
        if (!offOn(year).get(easter)?.name.includes('Easter')) mismatches.push(easter);
      }
      expect(mismatches).toEqual([]);
    });
  });

  it('lists every day off of 2026, including substitutes for weekend holidays', () => {
    expect(calendar.daysOff(2026).map((d) => `${d.date} ${d.reason}`)).toEqual([
      '2026-01-01 holiday', // Thursday
      '2026-03-03 holiday', // Tuesday
      '2026-04-10 holiday', // Good Friday
      '2026-04-11 holiday', // Holy Saturday
      '2026-04-12 holiday', // Easter Sunday
      '2026-04-13 holiday', // Easter Monday
      '2026-05-01 holiday',
      '2026-05-06 holiday',
      '2026-05-24 holiday', // Sunday...
      '2026-05-25 substitute', // ...so Monday is off
      '2026-09-06 holiday', // Sunday
      '2026-09-07 substitute',
      '2026-09-22 holiday',
      '2026-12-24 holiday',
      '2026-12-25 holiday',
      '2026-12-26 holiday', // Saturday; typed 'observance' by date-holidays
      '2026-12-28 substitute',
    ]);
    expect(workingDaysIn(calendar, 2026)).toBe(249);
  });

  it('does not treat observances or the schools-only 1 November as days off', () => {
    expect(calendar.isWorkingDay('2024-11-01')).toBe(true); // Friday, Day of the National Awakeners
    expect(calendar.isWorkingDay('2027-03-01')).toBe(true); // Monday, Baba Marta
    expect(calendar.isWorkingDay('2027-03-08')).toBe(true); // Monday, Women's Day
    expect(calendar.isWorkingDay('2026-05-07')).toBe(true); // Thursday, Radio and Television Day
    const dates = calendar.daysOff(2026).map((d) => d.date);
    expect(dates).not.toContain('2026-03-01');
    expect(dates).not.toContain('2026-11-01');
  });

  it('2021: the Christmas block moves as a whole (25 Sat, 26 Sun -> 27 and 28 Dec off)', () => {
    const off = offOn(2021);
    expect(calendar.isWorkingDay('2021-12-23')).toBe(true);
    expect(off.get('2021-12-24')?.reason).toBe('holiday'); // Friday
    expect(off.get('2021-12-27')?.reason).toBe('substitute');
    expect(off.get('2021-12-28')?.reason).toBe('substitute');
    expect(calendar.isWorkingDay('2021-12-29')).toBe(true);
    expect(off.get('2021-05-04')?.reason).toBe('substitute'); // 1 May on Holy Saturday, as in 2027
    // 2021 had 249 working days (published calendars for 2021).
    expect(workingDaysIn(calendar, 2021)).toBe(249);
  });

  it('2023: 24 Dec on Sunday -> first working day after 25-26 Dec (27 Dec) is off; 248 working days', () => {
    const off = offOn(2023);
    expect(off.get('2023-01-02')?.reason).toBe('substitute'); // 1 Jan Sunday
    expect(off.get('2023-05-08')?.reason).toBe('substitute'); // 6 May Saturday
    expect(off.get('2023-12-27')?.reason).toBe('substitute');
    expect(workingDaysIn(calendar, 2023)).toBe(248); // published: 117 days off
  });

  it('2027: Labour Day on Holy Saturday skips Easter Monday, so 4 May is its substitute', () => {
    // 1 May 2027 is Saturday and Holy Saturday; 2 May Easter Sunday; 3 May Easter Monday.
    // Labour Day is not an Easter holiday, so it gets the first working day after it: 3 May is
    // already off (Easter Monday), so 4 May (Tuesday). 2021 had the same dates and 4 May was off.
    const off = offOn(2027);
    expect(off.get('2027-05-01')?.name).toMatch(/Labour Day.*Holy Saturday|Holy Saturday.*Labour Day/);
    expect(off.get('2027-05-03')?.reason).toBe('holiday');
    expect(off.get('2027-05-04')).toEqual({
      date: '2027-05-04',
      name: 'Labour Day (substitute for 2027-05-01)',
      reason: 'substitute',
    });
    expect(calendar.isWorkingDay('2027-05-05')).toBe(true);
    expect(calendar.isWorkingDay('2027-05-06')).toBe(false); // St George's Day, Thursday
    expect(calendar.isWorkingDay('2027-05-07')).toBe(true);
    // Christmas 2027 = 2021 layout.
    expect(off.get('2027-12-27')?.reason).toBe('substitute');
    expect(off.get('2027-12-28')?.reason).toBe('substitute');
  });

  it('merges holidays that share a date (2024-05-06: St George and Easter Monday), without a substitute', () => {
    const off = offOn(2024);
    expect(off.get('2024-05-06')?.name).toMatch(/George.*Easter Monday/);
    expect(calendar.isWorkingDay('2024-05-07')).toBe(true); // Monday holidays get no substitute
  });

  describe('addWorkingDays', () => {
    it('skips the Easter days', () => {
      expect(calendar.addWorkingDays('2026-04-09', 1)).toBe('2026-04-14');
      expect(calendar.addWorkingDays('2026-04-14', -1)).toBe('2026-04-09');
    });

    it('skips Christmas, its substitute and New Year', () => {
      expect(calendar.addWorkingDays('2026-12-23', 1)).toBe('2026-12-29');
      expect(calendar.addWorkingDays('2026-12-23', 3)).toBe('2026-12-31');
      expect(calendar.addWorkingDays('2026-12-23', 4)).toBe('2027-01-04');
    });

    it('counts from a day off without counting it, and returns the date for 0', () => {
      expect(calendar.addWorkingDays('2026-05-24', 1)).toBe('2026-05-26');
      expect(calendar.addWorkingDays('2026-05-24', 0)).toBe('2026-05-24');
    });

    it('rejects invalid input', () => {
      expect(() => calendar.addWorkingDays('2026-02-30', 1)).toThrow(/Invalid ISO date/);
      expect(() => calendar.addWorkingDays('2026-04-09', 1.5)).toThrow(/integer/);
      expect(() => calendar.isWorkingDay('26-04-09')).toThrow(/Invalid ISO date/);
    });
  });

  describe('Council of Ministers overrides', () => {
    // ILLUSTRATIVE EXAMPLE ONLY, not an actual decision: Friday 2 Jan 2026 declared a day off,
    // to be worked on Saturday 17 Jan 2026.
    const decree = { extraDaysOff: ['2026-01-02'], extraWorkingDays: ['2026-01-17'] };
    const decreed = new BulgarianCalendar(decree);

    it('applies extra days off and working Saturdays', () => {
      expect(calendar.isWorkingDay('2026-01-02')).toBe(true);
      expect(decreed.isWorkingDay('2026-01-02')).toBe(false);
      expect(calendar.isWorkingDay('2026-01-17')).toBe(false);
      expect(decreed.isWorkingDay('2026-01-17')).toBe(true);
      expect(decreed.addWorkingDays('2025-12-31', 1)).toBe('2026-01-05');
      expect(decreed.addWorkingDays('2026-01-16', 1)).toBe('2026-01-17');
    });

    it('lists decreed days off with reason "decree", once', () => {
      const withHoliday = new BulgarianCalendar({ extraDaysOff: ['2026-01-02', '2026-01-01'] });
      const january = withHoliday.daysOff(2026).filter((d) => d.date < '2026-02-01');
      expect(january.map((d) => `${d.date} ${d.reason}`)).toEqual(['2026-01-01 holiday', '2026-01-02 decree']);
      expect(decreed.daysOff(2025).some((d) => d.reason === 'decree')).toBe(false);
    });

    it('rejects invalid or contradictory overrides', () => {
      expect(() => new BulgarianCalendar({ extraDaysOff: ['2026-1-2'] })).toThrow(/Invalid ISO date/);
      expect(() => new BulgarianCalendar({ extraDaysOff: ['2026-01-02'], extraWorkingDays: ['2026-01-02'] })).toThrow(
        /both/,
      );
    });
  });

  it('caches per year but hands out copies', () => {
    const list = calendar.daysOff(2026);
    list.pop();
    expect(calendar.daysOff(2026)).toHaveLength(17);
    expect(() => {
      (calendar.daysOff(2026)[0] as { name: string }).name = 'x';
    }).toThrow(TypeError); // cached entries are frozen
  });
});
