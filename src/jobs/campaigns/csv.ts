// RFC 4180 records from the text of a CSV file, each with the line it starts on, so a refusal
// can say "line 812". Pure. Lenient where spreadsheets and CRMs differ from the RFC and no
// meaning is lost (a UTF-8 BOM, LF or CRLF, blank lines, a missing last newline); strict where
// a guess could call the wrong number (a stray quote, a quote never closed): such a record is
// refused by its line and the records around it are kept.

export interface CsvRecord {
  /** 1-based line of the file the record starts on. */
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

export interface CsvResult {
  records: CsvRecord[];
  problems: CsvProblem[];
}

const QUOTE = '"';
const COMMA = ',';

/** Every record of `text`; a record that breaks the quoting rules is a problem, not a record. */
export function parseCsv(text: string): CsvResult {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const start = line;
    const fields: string[] = [];
    let problem: string | null = null;
    // One record: fields until an unquoted line break or the end of the text.
    for (;;) {
      let value = '';
      if (src[i] === QUOTE) {
        const opened = line;
        i++;
        let closed = false;
        while (i < src.length) {
          const ch = src[i] as string;
          if (ch === QUOTE) {
            if (src[i + 1] === QUOTE) {
              value += QUOTE;
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (ch === '\n') line++;
          value += ch;
          i++;
        }
        if (!closed) {
          // Everything after the quote is one field now: refuse it rather than guess where it ended.
          problems.push({ line: opened, message: `a quoted field opened on line ${opened} is never closed; everything after it up to the end of the file was read as one field` });
          return { records, problems };
        }
        if (i < src.length && src[i] !== COMMA && src[i] !== '\n' && src[i] !== '\r') {
          problem ??= `field ${fields.length + 1} has text after its closing quote; write "" for a quote inside a quoted field`;
          while (i < src.length && src[i] !== COMMA && src[i] !== '\n' && src[i] !== '\r') i++;
        }
      } else {
        while (i < src.length && src[i] !== COMMA && src[i] !== '\n' && src[i] !== '\r') {
          if (src[i] === QUOTE) problem ??= `field ${fields.length + 1} has a quote inside an unquoted value; quote the whole field and write "" for the quote`;
          value += src[i];
          i++;
        }
      }
      fields.push(value);
      if (src[i] === COMMA) {
        i++;
        continue;
      }
      break;
    }
    // End of record: CRLF, LF or a lone CR (old Mac exports) all end a line.
    if (src[i] === '\r') i++;
    if (src[i] === '\n') i++;
    const blank = fields.length === 1 && fields[0] === '';
    if (problem !== null) problems.push({ line: start, message: problem });
    else if (!blank) records.push({ line: start, fields });
    line++;
  }
  return { records, problems };
}
