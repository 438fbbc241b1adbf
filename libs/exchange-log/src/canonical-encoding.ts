import { createHash } from 'node:crypto';

/**
 * Length-prefixed canonical encoding: each field is a tag byte (0 absent, 1 text) and, for text,
 * its UTF-8 length as 4 bytes big-endian followed by the bytes. Unlike joining with a separator,
 * no content of one field can be read as part of another, whatever characters a field holds.
 */
export function canonicalEncoding(domain: string, fields: readonly (string | null | undefined)[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of [domain, ...fields]) {
    if (field === null || field === undefined) {
      parts.push(Buffer.from([0]));
      continue;
    }
    const bytes = Buffer.from(field, 'utf8');
    const header = Buffer.alloc(5);
    header.writeUInt8(1, 0);
    header.writeUInt32BE(bytes.length, 1);
    parts.push(header, bytes);
  }
  return Buffer.concat(parts);
}

export function sha256OfCanonical(domain: string, fields: readonly (string | null | undefined)[]): string {
  return createHash('sha256').update(canonicalEncoding(domain, fields)).digest('hex');
}
