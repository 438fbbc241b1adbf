import { SofiaTime } from '@umg/calendar';

// yyyy-MM-ddTHH:mm:ss with up to seven fractional digits (.NET ticks) and an optional offset.
const timePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Reads a time as the payment system writes it: .NET's `DateTime` through Newtonsoft, with seven
 * fractional digits and, for times read from its database, no offset at all — those are
 * Bulgarian local time (the system runs in Europe/Sofia). Undefined for anything else.
 */
export function parseEgovTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = timePattern.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
  const wallMs = Date.UTC(
    +year!,
    +month! - 1,
    +day!,
    +hour!,
    +minute!,
    +second!,
    Number(fraction.padEnd(3, '0').slice(0, 3)),
  );
  if (Number.isNaN(wallMs)) return undefined;
  if (zone === undefined) return SofiaTime.fromLocalMs(wallMs);
  if (zone === 'Z') return new Date(wallMs);
  const sign = zone.startsWith('-') ? -1 : 1;
  const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
  return new Date(wallMs - sign * offsetMinutes * 60_000);
}
