import { findCatalogueService } from '@umg/catalogue';
import { type ApplicationEntity, isSandbox } from '../application/application.entity';
import { ApplicationError, ApplicationErrorCode } from './application-error';

/** What the catalogue says an application owes: nothing, a fee, or nobody knows (never free). */
export type FeeDue = 'free' | 'paid' | 'unknown';

export function feeDue(serviceNumber: number, urgency: string): FeeDue {
  const offered = findCatalogueService(serviceNumber)?.urgencies.find((candidate) => candidate.urgency === urgency);
  if (!offered || offered.fee === null) return 'unknown';
  return offered.fee.amountMinor > 0 ? 'paid' : 'free';
}

/**
 * Whether the application's service charges a fee at its urgency: then it waits for payment.
 * A fee nobody knows is refused rather than waived: intake already rejects such submissions, so
 * this only stops one accepted before its fee became unknown (the registration is rolled back).
 */
export function feeRequired(application: ApplicationEntity): boolean {
  // A sandbox application never involves the payment system.
  if (isSandbox(application)) return false;
  const due = feeDue(application.serviceNumber, application.urgency);
  if (due === 'unknown') {
    throw new ApplicationError(
      ApplicationErrorCode.FeeUnknown,
      `the fee of service ${application.serviceNumber} at urgency "${application.urgency}" is not known; ` +
        'it cannot be registered until the catalogue states it',
    );
  }
  return due === 'paid';
}
