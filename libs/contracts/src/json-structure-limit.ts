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
/**
 * Deepest nesting of objects and arrays one JSON body or message may have. JSON.parse copes with
 * 20 000 levels, but every recursive walk after it (JSON.stringify for a hash or a jsonb column,
 * the validator) overflows the stack: the bad-input run crashed the gateway with one such body.
 * Real bodies nest a handful of levels.
 */
export const maxJsonDepth = 64;

// What each byte is: 1 opens a structure (`{` `[`), 2 closes one, 3 separates members (`:` `,`),
// 4 a quote, 5 a backslash, 0 nothing to count.
const kindOf = new Uint8Array(256);
kindOf[0x7b] = 1;
kindOf[0x5b] = 1;
kindOf[0x7d] = 2;
kindOf[0x5d] = 2;
kindOf[0x3a] = 3;
kindOf[0x2c] = 3;
kindOf[0x22] = 4;
kindOf[0x5c] = 5;

/**
 * Whether the raw JSON has more than `limit` opening braces and brackets, more than `memberLimit`
 * colons and commas (strings included, so they over-count, never under-count), or nests deeper
 * than `depthLimit` (outside strings, so a bracket in a string cannot hide a level). One pass over
 * the bytes: about a millisecond per megabyte.
 */
export function exceedsJsonStructures(
  raw: Uint8Array,
  limit = maxJsonStructures,
  memberLimit = maxJsonMembers,
  depthLimit = maxJsonDepth,
): boolean {
  let structures = 0;
  let members = 0;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < raw.length; index++) {
    const kind = kindOf[raw[index]!]!;
    if (kind === 0) continue;
    if (kind === 4) inString = !inString;
    else if (kind === 5)
      index += inString ? 1 : 0; // an escaped character, a quote included
    else if (kind === 3) {
      if (++members > memberLimit) return true;
    } else if (kind === 1) {
      if (++structures > limit || (!inString && ++depth > depthLimit)) return true;
    } else if (!inString) depth -= 1;
  }
  return false;
}
