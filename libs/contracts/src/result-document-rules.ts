/**
 * What the district API takes as a result document (ResultMetadata): one size limit and one
 * allow-list of media types, whether the document is uploaded over REST or comes in a push answer.
 */
export const RESULT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

/** Signed documents and images of them. */
export const resultDocumentMediaTypes: ReadonlySet<string> = new Set([
  'application/pdf',
  'application/xml',
  'image/png',
  'image/jpeg',
  'application/pkcs7-mime',
]);
