import { X509Certificate } from 'node:crypto';

/**
 * A certificate's thumbprint as ССЕВ registers it for an institution's integration login: the
 * SHA-1 of the DER certificate, upper-case hex without separators (as Windows shows it).
 */
export function certificateThumbprint(certificate: string | Buffer): string {
  return new X509Certificate(certificate).fingerprint.replace(/:/g, '').toUpperCase();
}
