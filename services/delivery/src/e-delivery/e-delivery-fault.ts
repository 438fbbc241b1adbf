/**
 * What a SOAP fault from ССЕВ means for us. Its service wraps every exception in a FaultException
 * with the exception's text (ED intetgration-service/src/ED.IntegrationService/EDeliveryIntegrationService.svc.cs),
 * so the text is all there is to go by.
 */
export type EDeliveryFaultKind =
  /** "File {name} is malicious": the upload's malware scan stopped the whole send. */
  | 'malicious_document'
  /** A legal person or institution without a profile. */
  | 'no_profile'
  /** "Invalid identifier" / "Invalid Email": the recipient's data are wrong. */
  | 'invalid_recipient'
  /** No such message (EF's FirstAsync found nothing: "Sequence contains no elements"). */
  | 'not_found'
  /** The call's WS-Security did not verify (our certificate is unknown or the signature wrong). */
  | 'security'
  /** A request ССЕВ refuses as malformed; sending it again changes nothing. */
  | 'refused'
  /** Anything else: an error inside ССЕВ, worth retrying. */
  | 'unknown';

const rules: [RegExp, EDeliveryFaultKind][] = [
  [/^File .* is malicious/i, 'malicious_document'],
  [/receiver profile does not exist or is deactivated/i, 'no_profile'],
  [/^Invalid (identifier|Email)/i, 'invalid_recipient'],
  [/Sequence contains no elements/i, 'not_found'],
  [/verifying security/i, 'security'],
  [/Receiver is missing|does not have all required fields|Document bytes must be provided|Document name/i, 'refused'],
];

export function faultKind(text: string): EDeliveryFaultKind {
  return rules.find(([pattern]) => pattern.test(text.trim()))?.[1] ?? 'unknown';
}

/** The malicious file's name in a "File {name} is malicious" fault. */
export function maliciousFileName(text: string): string | null {
  return /^File (.*) is malicious/i.exec(text.trim())?.[1] ?? null;
}
