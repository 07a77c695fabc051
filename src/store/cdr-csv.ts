// CDRs as CSV text (RFC 4180: comma, CRLF line ends, fields with a comma, quote, CR or LF in
// double quotes and inner quotes doubled), pure so the quoting is tested without a database.
//
// Spreadsheet formula injection: Excel, LibreOffice and Google Sheets run a cell that starts
// with = + - @ (and some take a leading tab or CR) as a formula, so caller-controlled text (the
// caller name in clid, userfield) could run `=HYPERLINK(...)` on the desk that opens the export.
// Such a cell gets a leading apostrophe (OWASP's advice), except where the text is a plain
// number: a cell starting with + or - followed only by digits, spaces and the dialling marks
// * # ( ) . - is kept as it is. An E.164 '+8613800138000' or a negative number is data and must
// reach the reader unchanged; such text cannot name a function, so it cannot do harm.

import { CDR_COLUMNS } from './cdr-columns';
import type { CdrSearchRecord } from './cdr-query';

/** The header row's names, in column order. */
export const CSV_COLUMNS: readonly string[] = ['id', ...CDR_COLUMNS];

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-][0-9 *#().-]*$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Text made safe to open in a spreadsheet (see the header comment). */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One field: text guarded, then quoted when RFC 4180 requires it; numbers and null as they are. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = guardFormula(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(record: CdrSearchRecord): string {
  return `${CSV_COLUMNS.map((c) => csvField(record[c] ?? null)).join(',')}\r\n`;
}
