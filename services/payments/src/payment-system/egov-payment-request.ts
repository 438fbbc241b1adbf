/**
 * The `data` of a `paymentJson` call: the payment system's PaymentRequestJsonDO, whose property
 * names Newtonsoft matches case-insensitively; we write them camelCase as the published
 * integration examples do. Lengths are enforced where the request is built
 * (request-payment/payment-request-form.ts).
 */
export interface PaymentJsonData {
  /** Our id of the request: re-sending it while the request is still Pending replaces it. */
  aisPaymentId: string;
  serviceProviderName: string;
  serviceProviderBank: string;
  serviceProviderBIC: string;
  serviceProviderIBAN: string;
  currency: 'EUR' | 'BGN';
  /** Budget payment type code (вид плащане). */
  paymentTypeCode: string;
  /** Major units, a JSON number with at most two decimals (`2.33`): the DO's `double?`. */
  paymentAmount: number;
  paymentReason: string;
  /** 1 ЕГН, 2 ЛНЧ, 3 ЕИК/БУЛСТАТ. */
  applicantUinTypeId: 1 | 2 | 3;
  applicantUin: string;
  applicantName: string;
  paymentReferenceType: string;
  paymentReferenceNumber: string;
  paymentReferenceDate: string;
  /** Must be in the future when the request reaches the payment system. */
  expirationDate: string;
  additionalInformation: string | null;
  administrativeServiceUri: string;
  administrativeServiceSupplierUri: string;
  /** Where the payment system POSTs status notifications; its query string is kept. */
  administrativeServiceNotificationURL: string;
}

/** The answer to `paymentJson`: accepted with the system's id, or unaccepted with its errors. */
export type CreationReceipt =
  | { accepted: true; paymentSystemId: string; registrationTime: Date }
  | { accepted: false; reasons: string[]; validationTime: Date | null };

/** One request's status as `paymentsStatus` reports it; null status for an id it does not know. */
export interface ReportedStatus {
  paymentSystemId: string;
  status: unknown;
  changeTime: unknown;
}
