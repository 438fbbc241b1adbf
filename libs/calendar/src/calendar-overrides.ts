/**
 * Council of Ministers decisions that move days off in a given year (under art. 154 Labour Code),
 * e.g. a bridge Friday declared a day off and a Saturday declared a working day to make up for it.
 * Dates are 'YYYY-MM-DD' (Sofia local dates).
 */
export interface CalendarOverrides {
  extraDaysOff?: string[];
  extraWorkingDays?: string[];
}
