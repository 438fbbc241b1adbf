/**
 * A day off other than an ordinary weekend:
 * - 'holiday': an official holiday under art. 154(1) Labour Code (listed even when it falls on a weekend);
 * - 'substitute': the working day given off because a holiday fell on a weekend (art. 154(2));
 * - 'decree': an extra day off declared by the Council of Ministers (passed in as an override).
 */
export interface DayOff {
  date: string;
  name: string;
  reason: 'holiday' | 'substitute' | 'decree';
}
