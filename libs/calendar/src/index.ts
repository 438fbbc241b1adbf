export { BulgarianCalendar } from './bulgarian-calendar';
export type { CalendarOverrides } from './calendar-overrides';
export { computeDeadline } from './compute-deadline';
export type { DayOff } from './day-off';
export type { DeadlineTerm } from './deadline-term';
export { parseDeadlineTerm } from './parse-deadline-term';
export { SofiaTime } from './sofia-time';
