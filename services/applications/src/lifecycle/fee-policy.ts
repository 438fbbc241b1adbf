import { findCatalogueService } from '@umg/catalogue';
import type { ApplicationEntity } from '../application/application.entity';

/** Whether the application's service charges a fee at its urgency: then it waits for payment. */
export function feeRequired(application: ApplicationEntity): boolean {
  const urgency = findCatalogueService(application.serviceNumber)?.urgencies.find(
    (offered) => offered.urgency === application.urgency,
  );
  return (urgency?.fee?.amountMinor ?? 0) > 0;
}
