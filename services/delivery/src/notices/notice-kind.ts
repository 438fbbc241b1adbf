import type { ApplicationStatus, DeliveryNoticeKind } from '@umg/contracts';

/** Which application statuses the applicant must be told about, and with what notice. */
const noticeByStatus: Partial<Record<ApplicationStatus, DeliveryNoticeKind>> = {
  registered: 'registration_notice',
  returned_for_corrections: 'correction_notice',
  expired_unpaid: 'expiry_notice',
  refused: 'refusal',
  result_ready: 'result',
};

export function noticeFor(status: ApplicationStatus): DeliveryNoticeKind | undefined {
  return noticeByStatus[status];
}
