/**
 * Most objects and arrays one JSON body or message may hold. Parsing costs time and memory per
 * value, so a megabyte of `{},{},…` (350 000 objects) is refused from a byte count before parsing;
 * the largest real bodies and messages (a portal submission with its form data) hold a few hundred.
 */
export const maxJsonStructures = 20_000;
/**
 * Most members and elements (counted as colons and commas) one JSON body or message may hold: a
 * megabyte of `"f1":1,"f2":1,…` (80 000 distinct keys) or of `1,1,…` is cheap to count but not to
 * parse and walk (hundreds of milliseconds on a loaded host); real bodies hold a few hundred.
 */
export const maxJsonMembers = 40_000;

// What each byte counts as: 1 a structure (`{` `[`), 2 a member (`:` `,`), 0 nothing.
const kindOf = new Uint8Array(256);
kindOf[0x7b] = 1;
kindOf[0x5b] = 1;
kindOf[0x3a] = 2;
kindOf[0x2c] = 2;

/**
 * Whether the raw JSON has more than `limit` opening braces and brackets, or more than
 * `memberLimit` colons and commas (strings included, so it over-counts, never under-counts). One
 * pass over the bytes: about a millisecond per megabyte.
 */
export function exceedsJsonStructures(
  raw: Uint8Array,
  limit = maxJsonStructures,
  memberLimit = maxJsonMembers,
): boolean {
  let structures = 0;
  let members = 0;
  for (let index = 0; index < raw.length; index++) {
    const kind = kindOf[raw[index]!]!;
    if (kind === 0) continue;
    if (kind === 1 ? ++structures > limit : ++members > memberLimit) return true;
  }
  return false;
}
