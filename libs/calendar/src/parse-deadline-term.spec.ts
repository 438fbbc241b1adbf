import * as fs from 'fs';
import * as path from 'path';

import type { DeadlineTerm } from './deadline-term';
import { parseDeadlineTerm } from './parse-deadline-term';

/**
 * Every distinct non-null urgencies[].deadline in ../shared/reference/district-services.json
 * (copied so this test does not depend on that file), with the term we expect.
 * Two entries there have deadline null (no published term); they are not strings and not parsed.
 * "within 48 hours of death" is counted from the death, not from submission, so it does not parse
 * (see COUNTED_FROM_ANOTHER_EVENT).
 */
const REFERENCE_DEADLINES: [string, DeadlineTerm][] = [
  ['7 days', { unit: 'working_days', amount: 7 }],
  ['3 days', { unit: 'working_days', amount: 3 }],
  ['24 hours', { unit: 'hours', amount: 24 }],
  ['1 day', { unit: 'working_days', amount: 1 }],
  ['immediately', { unit: 'immediate', amount: 0 }],
  ['30 days', { unit: 'working_days', amount: 30 }],
  ['up to 24 hours', { unit: 'hours', amount: 24 }],
  ['7 working days', { unit: 'working_days', amount: 7 }],
  ['7 working days (district stage)', { unit: 'working_days', amount: 7 }],
  ['14 days', { unit: 'working_days', amount: 14 }],
  ['1 month', { unit: 'calendar_days', amount: 30 }],
  ['14 days or 30 days (art. 142(6) ЗУТ)', { unit: 'working_days', amount: 30 }],
  ['up to 30 days', { unit: 'working_days', amount: 30 }],
  ['up to 15 days', { unit: 'working_days', amount: 15 }],
  ['4 days', { unit: 'working_days', amount: 4 }],
  ['7–30 days', { unit: 'working_days', amount: 30 }],
  ['2 months', { unit: 'calendar_days', amount: 60 }],
  ['3 working days', { unit: 'working_days', amount: 3 }],
  ['1 working day', { unit: 'working_days', amount: 1 }],
  ['30 working days', { unit: 'working_days', amount: 30 }],
  ['15 working days', { unit: 'working_days', amount: 15 }],
];
const COUNTED_FROM_ANOTHER_EVENT = ['within 48 hours of death'];

function deadlinesIn(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => deadlinesIn(v, found));
  else if (value && typeof value === 'object') {
    const urgencies = (value as { urgencies?: { deadline?: unknown }[] }).urgencies;
    for (const u of Array.isArray(urgencies) ? urgencies : []) {
      if (typeof u.deadline === 'string') found.add(u.deadline);
    }
    Object.values(value).forEach((v) => deadlinesIn(v, found));
  }
  return found;
}

describe('parseDeadlineTerm', () => {
  it.each(REFERENCE_DEADLINES)('parses reference deadline "%s"', (text, expected) => {
    expect(parseDeadlineTerm(text)).toEqual(expected);
  });

  it.each(COUNTED_FROM_ANOTHER_EVENT)('rejects "%s", which does not run from submission', (text) => {
    expect(() => parseDeadlineTerm(text)).toThrow(`Cannot parse deadline "${text}": it is counted from another event`);
  });

  it('the fixture covers every deadline in the reference file (when it is available)', () => {
    const file = path.resolve(process.cwd(), '../shared/reference/district-services.json');
    const inFile = fs.existsSync(file)
      ? Array.from(deadlinesIn(JSON.parse(fs.readFileSync(file, 'utf8')), new Set()))
      : [];
    const known = [...REFERENCE_DEADLINES.map(([text]) => text), ...COUNTED_FROM_ANOTHER_EVENT];
    expect(inFile.filter((text) => !known.includes(text))).toEqual([]);
    for (const text of [...known, ...inFile]) {
      if (!COUNTED_FROM_ANOTHER_EVENT.includes(text)) expect(() => parseDeadlineTerm(text)).not.toThrow();
    }
  });

  it('accepts other spellings', () => {
    expect(parseDeadlineTerm('On the spot')).toEqual({ unit: 'immediate', amount: 0 });
    expect(parseDeadlineTerm('  Immediately ')).toEqual({ unit: 'immediate', amount: 0 });
    expect(parseDeadlineTerm('10 calendar days')).toEqual({ unit: 'calendar_days', amount: 10 });
    expect(parseDeadlineTerm('2 - 5 Days')).toEqual({ unit: 'working_days', amount: 5 });
  });

  it.each(['', 'soon', '3 weeks', 'days', '7 -', '2 days or 48 hours', 'as agreed', '3 days after payment'])(
    'throws a clear error for "%s"',
    (text) => {
      expect(() => parseDeadlineTerm(text)).toThrow(`Cannot parse deadline "${text}"`);
    },
  );
});
