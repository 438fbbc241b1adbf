import { feedbackToken } from '@umg/contracts';
import type { DeliveryConfig } from '../config';

/** The one link of a result notice: where the applicant rates the service (docs/feedback.md). */
export function feedbackLink(
  config: Pick<DeliveryConfig, 'FEEDBACK_PUBLIC_URL' | 'FEEDBACK_TOKEN_SECRET'>,
  applicationId: string,
): string {
  const base = config.FEEDBACK_PUBLIC_URL.replace(/\/+$/, '');
  return `${base}/feedback/${feedbackToken(config.FEEDBACK_TOKEN_SECRET, applicationId)}`;
}
