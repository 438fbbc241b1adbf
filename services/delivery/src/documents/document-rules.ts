/** Media types a result or refusal document may have (as the district API accepts them). */
export const allowedDocumentMediaTypes: readonly string[] = [
  'application/pdf',
  'application/xml',
  'image/png',
  'image/jpeg',
  'application/pkcs7-mime',
];

/** The district API's limit for one document. */
export const maxDocumentBytes = 10 * 1024 * 1024;

const extensionByMediaType: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/xml': 'xml',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'application/pkcs7-mime': 'p7m',
};

export function defaultFileName(documentId: string, mediaType: string): string {
  return `${documentId}.${extensionByMediaType[mediaType] ?? 'bin'}`;
}
