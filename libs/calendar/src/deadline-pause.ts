/** A time the term's clock stood still (the application was with the applicant for corrections). */
export interface DeadlinePause {
  pausedAt: Date;
  /** Null while the clock still stands. */
  resumedAt: Date | null;
}
