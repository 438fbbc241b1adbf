/**
 * A payment request in the eGov payment system's field names (the JSON inside `Data`). Lengths
 * the system documents are enforced where the request is built (payment-request-form.ts).
 */
export interface EgovPaymentRequest {
  AisPaymentId: string;
  ServiceProviderName: string;
  ServiceProviderBank: string;
  ServiceProviderBIC: string;
  ServiceProviderIBAN: string;
  Currency: 'EUR' | 'BGN';
  /** Budget payment type code (вид плащане). */
  PaymentTypeCode: string;
  /** In major units, two decimals (2.56). */
  PaymentAmount: number;
  PaymentReason: string;
  /** 1 ЕГН, 2 ЛНЧ, 3 ЕИК/БУЛСТАТ. */
  ApplicantUinTypeId: 1 | 2 | 3;
  ApplicantUin: string;
  ApplicantName: string;
  PaymentReferenceType: string;
  PaymentReferenceNumber: string;
  PaymentReferenceDate: string;
  ExpirationDate: string;
  AdditionalInformation: string | null;
  AdministrativeServiceUri: string;
  AdministrativeServiceSupplierUri: string;
  AdministrativeServiceNotificationURL: string;
}

/** The answer to a creation: accepted with the system's id, or unaccepted with the reasons. */
export type CreationReceipt =
  { accepted: true; paymentSystemId: string; registrationTime: Date } | { accepted: false; reasons: string[] };

/** One request's status as the status call reports it. */
export interface ReportedStatus {
  paymentSystemId: string;
  status: unknown;
  changeTime: unknown;
}
