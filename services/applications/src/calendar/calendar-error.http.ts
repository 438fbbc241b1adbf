import { ProblemException } from '@umg/problem';
import { CalendarError, CalendarErrorCode } from './calendar-error';

/** How each calendar error reads over HTTP. */
export function calendarErrorToProblem(error: unknown): ProblemException | undefined {
  if (!(error instanceof CalendarError)) return undefined;
  const problem = (status: number, title: string, field?: string) =>
    new ProblemException(
      status,
      error.code,
      title,
      error.message,
      field ? [{ field, code: error.code, message: error.message }] : undefined,
    );
  switch (error.code) {
    case CalendarErrorCode.DecreeDayExists:
      return problem(409, 'A decree day is already in force on that date', 'date');
    case CalendarErrorCode.DecreeDayChangesNothing:
      return problem(422, 'The day already is what the decree makes it', 'kind');
    case CalendarErrorCode.DecreeDayNotFound:
      return problem(404, 'Decree day not found');
    case CalendarErrorCode.DecreeDayDeleted:
      return problem(409, 'The decree day was already deleted');
    case CalendarErrorCode.DateOutOfRange:
      return problem(400, 'The date is outside the calendar', 'date');
    case CalendarErrorCode.AdministratorRequired:
      return problem(403, 'Only an administrator may change the calendar');
  }
}
