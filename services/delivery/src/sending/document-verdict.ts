import type { MalwareScanStatus, SignatureStatus } from '../delivery/delivery-document.entity';

/**
 * Why e-delivery's checks stop a document from being delivered, or `null` when it may go:
 * malware found, or a signature that is broken, expired at signing or made with an invalid
 * certificate. A doubtful scan (NOTSURE) or no scan (NONE) is recorded but not blocked.
 */
export function blockReason(malware: MalwareScanStatus | null, signature: SignatureStatus | null): string | null {
  if (malware === 'ISMALICIOUS') return 'e-delivery’s malware scan found the document malicious (ISMALICIOUS)';
  switch (signature) {
    case 'INVALIDINTEGRITY':
      return 'the document was changed after it was signed (INVALIDINTEGRITY)';
    case 'CERTIFICATEEXPIREDATTIMEOFSIGNING':
      return 'the signing certificate had expired when the document was signed (CERTIFICATEEXPIREDATTIMEOFSIGNING)';
    case 'INVALIDCERTIFICATE':
      return 'the document is signed with an invalid certificate (INVALIDCERTIFICATE)';
    case 'VALID':
    case null:
      return null;
  }
}
