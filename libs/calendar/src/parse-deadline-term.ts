import type { DeadlineTerm } from './deadline-term';

const DAYS_PER_MONTH = 30;

/** Unit words -> how an amount in that unit becomes a DeadlineTerm. */
const UNITS: { pattern: RegExp; unit: DeadlineTerm['unit']; factor: number }[] = [
  { pattern: /^working days?$/, unit: 'working_days', factor: 1 },
  { pattern: /^calendar days?$/, unit: 'calendar_days', factor: 1 },
  // Plain "days": Sofia's districts publish their terms (e.g. ESGRAON certificates: regular 7 days,
  // fast 3 days) as working days in practice, although statutory terms in days (APC) are normally
  // calendar days. We count all plain "days" as working days.
  { pattern: /^days?$/, unit: 'working_days', factor: 1 },
  { pattern: /^hours?$/, unit: 'hours', factor: 1 },
  // A month is taken as 30 calendar days (not "same date next month"), so terms are easy to compare.
  { pattern: /^months?$/, unit: 'calendar_days', factor: DAYS_PER_MONTH },
];

const PART = /^(\d+)(?:\s+(.+))?$/;

/**
 * Parses the free-text deadlines of the reference catalogue, e.g. "7 days", "24 hours",
 * "immediately", "1 month", "up to 15 days", "7 working days (district stage)".
 * - "up to"/"within" are dropped: the stated maximum is the deadline.
 * - A trailing "(...)" note is dropped ("7 working days (district stage)").
 * - A term counted from another event ("within 48 hours of death") throws: the gateway only knows
 *   the submission time, and counting from it would invent a deadline the source does not state.
 * - Ranges and alternatives ("7–30 days", "14 days or 30 days") give the upper bound, the latest
 *   deadline the law allows, so no SLA breach is reported before it is certain.
 * Anything else throws an Error quoting the text.
 */
export function parseDeadlineTerm(text: string): DeadlineTerm {
  const fail = (why: string): never => {
    throw new Error(`Cannot parse deadline "${text}": ${why}`);
  };
  const s = text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*\(.*\)$/, '')
    .replace(/^(up to|within) /, '');
  if (/ (of|after|from) [a-z ]+$/.test(s)) fail('it is counted from another event, not from submission');

  if (/^(immediately|immediate|on the spot)$/.test(s)) return { unit: 'immediate', amount: 0 };

  const parts = s.split(/ or |\s*[-–—]\s*/).map((p) => PART.exec(p) ?? fail(`"${p}" is not "<number> <unit>"`));
  // "7–30 days": a bare number takes the unit of the part after it.
  const unitWords = parts.map((m, i) => m[2] ?? parts.slice(i + 1).find((n) => n[2])?.[2] ?? fail('no unit'));
  const terms = parts.map((m, i) => {
    const unit = UNITS.find((u) => u.pattern.test(unitWords[i])) ?? fail(`unknown unit "${unitWords[i]}"`);
    return { unit: unit.unit, amount: Number(m[1]) * unit.factor };
  });
  if (terms.some((t) => t.unit !== terms[0].unit)) fail('alternatives use different units');
  return terms.reduce((max, t) => (t.amount > max.amount ? t : max));
}
