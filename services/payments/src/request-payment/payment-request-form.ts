import type { ApplicationEvent } from '@umg/contracts';
import type { DistrictBankAccount } from '../fees/district-bank-accounts';
import type { Fee } from '../fees/fee-schedule';
import type { EgovPaymentRequest } from '../payment-system/egov-payment-request';

/** Length limits of the payment system's fields (those it documents, and safe ones for the rest). */
export const egovFieldLimits = {
  PaymentReason: 200,
  AdministrativeServiceUri: 100,
  ServiceProviderName: 100,
  ApplicantName: 100,
  PaymentReferenceNumber: 50,
} as const;

// Budget payment type (вид плащане) of fees for administrative services paid to a municipality.
const paymentTypeCode = '448007';
// The reference document is the application's incoming registration (входящ номер).
const paymentReferenceType = '9';

const uinTypeIds = { EGN: 1, LNCH: 2, EIK: 3 } as const;

export interface PaymentRequestFormInput {
  aisPaymentId: string;
  event: ApplicationEvent;
  fee: Fee;
  account: DistrictBankAccount;
  expiresAt: Date;
  notificationUrl: string;
}

/** The payment request in the payment system's field names, within its length limits. */
export function paymentRequestForm(input: PaymentRequestFormInput): EgovPaymentRequest {
  const { event, fee, account } = input;
  const reference = event.registrationNumber ?? event.serviceReferenceNumber;
  return {
    AisPaymentId: input.aisPaymentId,
    ServiceProviderName: clip(account.providerName, egovFieldLimits.ServiceProviderName),
    ServiceProviderBank: account.bankName,
    ServiceProviderBIC: account.bic,
    ServiceProviderIBAN: account.iban,
    Currency: fee.currency,
    PaymentTypeCode: paymentTypeCode,
    PaymentAmount: fee.amountMinor / 100,
    PaymentReason: clip(
      `Такса за административна услуга ${event.serviceNumber}, вх. № ${reference}, РНУ ${event.serviceReferenceNumber}`,
      egovFieldLimits.PaymentReason,
    ),
    ApplicantUinTypeId: uinTypeIds[event.applicant.identifierType],
    ApplicantUin: event.applicant.identifier,
    ApplicantName: clip(event.applicant.name, egovFieldLimits.ApplicantName),
    PaymentReferenceType: paymentReferenceType,
    PaymentReferenceNumber: clip(reference, egovFieldLimits.PaymentReferenceNumber),
    PaymentReferenceDate: event.occurredAt,
    ExpirationDate: input.expiresAt.toISOString(),
    AdditionalInformation: null,
    AdministrativeServiceUri: clip(String(event.serviceNumber), egovFieldLimits.AdministrativeServiceUri),
    AdministrativeServiceSupplierUri: `urn:umg:district:${event.districtCode}`,
    AdministrativeServiceNotificationURL: input.notificationUrl,
  };
}

/**
 * Cuts to `max` UTF-16 code units (how the payment system, a .NET service, counts length), never
 * inside a surrogate pair.
 */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let clipped = '';
  for (const point of text) {
    if (clipped.length + point.length > max) break;
    clipped += point;
  }
  return clipped;
}
