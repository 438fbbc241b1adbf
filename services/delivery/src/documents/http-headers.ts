/** The SHA-256 (hex) in an RFC 9530 `Repr-Digest: sha-256=:<base64>:` header, if there is one. */
export function sha256FromReprDigest(header: string | null): string | undefined {
  const match = /(?:^|,)\s*sha-256=:([A-Za-z0-9+/]+={0,2}):/.exec(header ?? '');
  if (!match) return undefined;
  const bytes = Buffer.from(match[1]!, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : undefined;
}

/** The file name in a `Content-Disposition` header (RFC 6266: `filename*` preferred), without any path. */
export function fileNameFromContentDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  let name: string | undefined;
  if (extended) {
    try {
      name = decodeURIComponent(extended[1]!.trim());
    } catch {
      name = undefined;
    }
  }
  name ??= /filename\s*=\s*"([^"]*)"/i.exec(header)?.[1] ?? /filename\s*=\s*([^;]+)/i.exec(header)?.[1]?.trim();
  const base = name?.split(/[/\\]/).pop()?.trim();
  return base ? base.slice(0, 255) : undefined;
}
