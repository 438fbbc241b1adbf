/**
 * A processing deadline for a service.
 * - 'working_days': ends at the end of the N-th working day after submission;
 * - 'calendar_days': N calendar days (used for months, taken as 30 days each);
 * - 'hours': N elapsed hours;
 * - 'immediate': same working day (amount is 0).
 * See computeDeadline for the exact rules.
 */
export interface DeadlineTerm {
  unit: 'working_days' | 'calendar_days' | 'hours' | 'immediate';
  amount: number;
}
