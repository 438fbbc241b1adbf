import { FileInterceptor } from '@nestjs/platform-express';
import { RESULT_DOCUMENT_MAX_BYTES, resultDocumentMediaTypes } from '@umg/contracts';
import { exceedsJsonStructures, type ResultMetadata } from '@umg/contracts';
import { contractValue } from '@umg/platform';
import { ProblemException } from '@umg/problem';
import { ResultUploadStorage, type StoredUpload } from './result-upload-storage';

/**
 * The upload of a result document, for the district API and for an operator replacing one:
 * streamed to a private temp file and hashed on the way (never held in memory); the metadata
 * field is a small JSON object: 64 KiB is far more than it needs.
 */
export const ResultUploadInterceptor = () =>
  FileInterceptor('document', {
    storage: new ResultUploadStorage(),
    limits: { fileSize: RESULT_DOCUMENT_MAX_BYTES, files: 1, fields: 4, fieldSize: 64 * 1024 },
  });

/** The edge checks of an uploaded result: media type (415), metadata (400), the file (400), its SHA-256 (422). */
export function checkedResultUpload(
  metadataText: unknown,
  document: StoredUpload | undefined,
): { metadata: ResultMetadata; upload: StoredUpload } {
  const parsed = parseMetadata(metadataText);
  const mediaType = (parsed as { mediaType?: unknown } | undefined)?.mediaType;
  // A type outside the allow-list is a 415, whatever else is wrong with the metadata.
  if (typeof mediaType === 'string' && !resultDocumentMediaTypes.has(mediaType)) {
    throw new ProblemException(415, 'unsupported_media_type', 'Media type not allowed', `${mediaType} is not accepted`);
  }
  const metadata = contractValue<ResultMetadata>('ResultMetadata', parsed);
  if (!document) {
    throw new ProblemException(400, 'validation_failed', 'The request is not valid', 'the document part is missing', [
      { field: 'document', code: 'required', message: 'attach the file as the "document" part' },
    ]);
  }
  // The declared SHA-256 against the one computed as it streamed in (size is capped by the upload limit).
  if (document.sha256 !== metadata.sha256.toLowerCase()) {
    throw new ProblemException(
      422,
      'sha256_mismatch',
      'SHA-256 mismatch',
      `the document's SHA-256 is ${document.sha256}`,
    );
  }
  return { metadata, upload: document };
}

function parseMetadata(text: unknown): unknown {
  if (typeof text === 'string' && exceedsJsonStructures(Buffer.from(text))) {
    throw new ProblemException(413, 'payload_too_complex', 'The request body holds too many values');
  }
  try {
    return typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
