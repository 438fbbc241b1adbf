/**
 * Most objects and arrays one JSON body or message may hold. Parsing costs time and memory per
 * value, so a megabyte of `{},{},…` (350 000 objects) is refused from a byte count before parsing;
 * the largest real bodies and messages (a portal submission with its form data) hold a few hundred.
 */
export const maxJsonStructures = 20_000;

const openBrace = 0x7b;
const openBracket = 0x5b;

/**
 * Whether the raw JSON has more than `limit` opening braces and brackets (strings included, so it
 * over-counts, never under-counts). One pass over the bytes: about a millisecond per megabyte.
 */
export function exceedsJsonStructures(raw: Uint8Array, limit = maxJsonStructures): boolean {
  let count = 0;
  for (let index = 0; index < raw.length; index++) {
    const byte = raw[index];
    if ((byte === openBrace || byte === openBracket) && ++count > limit) return true;
  }
  return false;
}
