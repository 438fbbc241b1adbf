const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Arithmetic on calendar dates written as 'YYYY-MM-DD'.
 * Done on UTC midnights so neither the process time zone nor DST can shift a day.
 */
export const IsoDate = {
  /** Validates the string (rejects e.g. '2026-02-30') and returns its UTC midnight in ms. */
  toUtcMs(isoDate: string): number {
    const m = ISO_DATE.exec(isoDate);
    if (m) {
      const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      if (IsoDate.fromUtcMs(ms) === isoDate) return ms;
    }
    throw new Error(`Invalid ISO date (expected YYYY-MM-DD): "${isoDate}"`);
  },

  fromUtcMs(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10);
  },

  addDays(isoDate: string, days: number): string {
    return IsoDate.fromUtcMs(IsoDate.toUtcMs(isoDate) + days * DAY_MS);
  },

  isWeekend(isoDate: string): boolean {
    const weekday = new Date(IsoDate.toUtcMs(isoDate)).getUTCDay();
    return weekday === 0 || weekday === 6;
  },

  year(isoDate: string): number {
    IsoDate.toUtcMs(isoDate);
    return Number(isoDate.slice(0, 4));
  },
};
