import { IsoDate } from './iso-date';

const TIME_ZONE = 'Europe/Sofia';

// Formatters are expensive to create; deadlines are computed on hot paths.
const dateFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const partsFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Sofia's UTC offset (ms) at an instant: +2h in winter (EET), +3h in summer (EEST). */
function offsetMs(instantMs: number): number {
  const p: Record<string, number> = {};
  for (const { type, value } of partsFormatter.formatToParts(instantMs)) p[type] = Number(value);
  const wallMs = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wallMs - Math.floor(instantMs / 1000) * 1000;
}

/** Conversions between instants and Sofia's local calendar. */
export const SofiaTime = {
  /** Sofia-local calendar date ('YYYY-MM-DD') of an instant. en-CA formats as YYYY-MM-DD. */
  dateOf(instant: Date): string {
    return dateFormatter.format(instant);
  },

  /**
   * The instant of 23:59:59.999 Sofia time on the given date.
   * Sofia's DST switches happen at 03:00/04:00 local, so late evening always has one
   * unambiguous offset; two passes settle it even on the switch days (29 Mar, 25 Oct 2026).
   */
  endOfDay(isoDate: string): Date {
    const wallMs = IsoDate.toUtcMs(isoDate) + 86_400_000 - 1;
    let instantMs = wallMs - offsetMs(wallMs);
    instantMs = wallMs - offsetMs(instantMs);
    return new Date(instantMs);
  },

  /**
   * The instant of a Sofia wall-clock time given in UTC fields (`Date.UTC(...)` of the local
   * time). In the hour that repeats when summer time ends, the earlier instant is taken.
   */
  fromLocalMs(wallMs: number): Date {
    let instantMs = wallMs - offsetMs(wallMs);
    instantMs = wallMs - offsetMs(instantMs);
    return new Date(instantMs);
  },
};
