import type { ApplicationEvent } from '@umg/contracts';
import type { DistrictPayee } from '../payees/district-payees';
import type { Fee } from '../fees/fee-schedule';
import type { PaymentJsonData } from '../payment-system/egov-payment-request';

/** Length limits of the payment system's fields (those it documents, and safe ones for the rest). */
export const egovFieldLimits = {
  paymentReason: 200,
  administrativeServiceUri: 100,
  serviceProviderName: 100,
  applicantName: 100,
  paymentReferenceNumber: 50,
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
  account: Pick<DistrictPayee, 'providerName' | 'bankName' | 'bic' | 'iban'>;
  expiresAt: Date;
  notificationUrl: string;
}

/** The payment request in the payment system's field names, within its length limits. */
export function paymentRequestForm(input: PaymentRequestFormInput): PaymentJsonData {
  const { event, fee, account } = input;
  const reference = event.registrationNumber ?? event.serviceReferenceNumber;
  return {
    aisPaymentId: input.aisPaymentId,
    serviceProviderName: clip(account.providerName, egovFieldLimits.serviceProviderName),
    serviceProviderBank: account.bankName,
    serviceProviderBIC: account.bic,
    serviceProviderIBAN: account.iban,
    currency: fee.currency,
    paymentTypeCode,
    paymentAmount: amountOnWire(fee.amountMinor),
    paymentReason: clip(
      `Такса за административна услуга ${event.serviceNumber}, вх. № ${reference}, РНУ ${event.serviceReferenceNumber}`,
      egovFieldLimits.paymentReason,
    ),
    applicantUinTypeId: uinTypeIds[event.applicant.identifierType],
    applicantUin: event.applicant.identifier,
    applicantName: clip(event.applicant.name, egovFieldLimits.applicantName),
    paymentReferenceType,
    paymentReferenceNumber: clip(reference, egovFieldLimits.paymentReferenceNumber),
    paymentReferenceDate: event.occurredAt,
    expirationDate: input.expiresAt.toISOString(),
    additionalInformation: null,
    administrativeServiceUri: clip(String(event.serviceNumber), egovFieldLimits.administrativeServiceUri),
    administrativeServiceSupplierUri: `urn:umg:district:${event.districtCode}`,
    administrativeServiceNotificationURL: input.notificationUrl,
  };
}

/**
 * Minor units as the payment system reads an amount: PaymentRequestJsonDO's `double?`, a JSON
 * number in major units. `n / 100` prints as the shortest decimal that round-trips, so the wire
 * text is exactly the amount with at most two decimals (`2.33`, `10.5`), never a binary fraction.
 */
export function amountOnWire(amountMinor: number): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new RangeError(`not an amount: ${amountMinor}`);
  return amountMinor / 100;
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
