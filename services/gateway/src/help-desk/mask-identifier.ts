/**
 * A personal identifier (ЕГН/ЛНЧ/ЕИК) as an operator sees it: all but the last four characters
 * replaced, enough to tell two people apart at the desk, not enough to be the number.
 */
export function maskIdentifier(identifier: string): string {
  const shown = Math.min(4, Math.max(0, identifier.length - 4));
  return '*'.repeat(identifier.length - shown) + identifier.slice(identifier.length - shown);
}
