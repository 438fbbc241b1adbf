import { SofiaTime } from '@umg/calendar';

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimeWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * When a fee change takes effect: a date is the start of that day in Sofia (the ordinance's
 * "from 1 March" means 00:00 local time); a date-time must carry its offset, so nothing depends
 * on the server's zone. Undefined for anything else.
 */
export function parseEffectiveFrom(text: string): Date | undefined {
  const date = dateOnly.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const wallMs = Date.UTC(year, month - 1, day);
    const check = new Date(wallMs);
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      return undefined;
    }
    return SofiaTime.fromLocalMs(wallMs);
  }
  if (!dateTimeWithOffset.test(text)) return undefined;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}
