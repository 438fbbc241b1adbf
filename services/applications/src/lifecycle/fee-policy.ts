import { findCatalogueService } from '@umg/catalogue';
import { type ApplicationEntity, isSandbox } from '../application/application.entity';

/** Whether the application's service charges a fee at its urgency: then it waits for payment. */
export function feeRequired(application: ApplicationEntity): boolean {
  // A sandbox application never involves the payment system.
  if (isSandbox(application)) return false;
  const urgency = findCatalogueService(application.serviceNumber)?.urgencies.find(
    (offered) => offered.urgency === application.urgency,
  );
  return (urgency?.fee?.amountMinor ?? 0) > 0;
}
