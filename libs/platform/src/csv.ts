import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null;

/**
 * A table as CSV for people who open it in a spreadsheet: RFC 4180 quoting and CRLF, a UTF-8 BOM
 * (without it Excel reads the file in the system's code page and garbles Cyrillic), and text cells
 * that a spreadsheet would run as a formula (starting with = + - @, a tab or CR) prefixed with '.
 * Numbers are written as they are (a negative number is not a formula). Null is an empty cell.
 */
export function csvTable(rows: readonly (readonly CsvCell[])[]): string {
  return stringify(
    rows.map((row) => [...row]),
    // Its own test for quoting looks for the whole CRLF only: a lone CR or LF must be quoted too.
    { bom: true, record_delimiter: 'windows', escape_formulas: true, quoted_match: /[\r\n]/ },
  );
}
