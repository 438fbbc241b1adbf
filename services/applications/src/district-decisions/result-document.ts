import { createHash } from 'node:crypto';
import { RESULT_DOCUMENT_MAX_BYTES, resultDocumentMediaTypes, type ResultMetadata } from '@umg/contracts';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';

/** Checks a result document against the allow-list, the size limit and its declared SHA-256. */
export function checkResultDocument(metadata: ResultMetadata, content: Buffer): void {
  if (!resultDocumentMediaTypes.has(metadata.mediaType)) {
    throw new ApplicationError(ApplicationErrorCode.UnsupportedMediaType, `${metadata.mediaType} is not accepted`);
  }
  if (content.length > RESULT_DOCUMENT_MAX_BYTES) {
    throw new ApplicationError(ApplicationErrorCode.PayloadTooLarge, `the document exceeds 10 MiB`);
  }
  if (content.length === 0) {
    throw new ApplicationError(ApplicationErrorCode.ValidationFailed, 'the document is empty', [
      { field: 'document', code: 'too_short', message: 'the document has no content' },
    ]);
  }
  const digest = createHash('sha256').update(content).digest('hex');
  if (digest !== metadata.sha256.toLowerCase()) {
    throw new ApplicationError(
      ApplicationErrorCode.Sha256Mismatch,
      `the document's SHA-256 is ${digest}, not the declared ${metadata.sha256}`,
    );
  }
}
