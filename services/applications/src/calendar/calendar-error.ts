/** Stable codes of the calendar module (decree days). */
export enum CalendarErrorCode {
  DecreeDayExists = 'decree_day_exists',
  DecreeDayChangesNothing = 'decree_day_changes_nothing',
  DecreeDayNotFound = 'decree_day_not_found',
  DecreeDayDeleted = 'decree_day_deleted',
  DateOutOfRange = 'date_out_of_range',
  AdministratorRequired = 'operator_role_required',
}

export class CalendarError extends Error {
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CalendarError';
  }
}
