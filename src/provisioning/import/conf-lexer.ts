// Lexer of Asterisk's configuration syntax (chan_dahdi.conf, zapata.conf, the FreePBX and
// Elastix include files), one file at a time, as main/config.c reads it: `;` comments with `\;`
// escapes, nested `;-- ... --;` block comments, `[name](options)` headers, `#include`-style
// directives and `key = value` / `key => value` / `key += value` lines. Every line keeps its
// file and line number; resolving includes and templates is the business of conf-loader.ts.

export interface SourceRef {
  file: string;
  line: number;
}

export type ConfLine =
  | { kind: 'section'; name: string; options: string[]; at: SourceRef }
  | { kind: 'setting'; key: string; value: string; op: '=' | '=>' | '+='; at: SourceRef }
  | { kind: 'directive'; name: string; argument: string | null; at: SourceRef }
  | { kind: 'malformed'; text: string; reason: string; fatal: boolean; at: SourceRef };

export interface LexedFile {
  lines: ConfLine[];
  /** Where a `;--` block comment was opened and never closed (Asterisk warns, then ignores the rest). */
  unterminatedComment: SourceRef | null;
}

/** config.c stops counting nesting at this depth; deeper openers are ignored. */
const MAX_NESTED_COMMENTS = 128;

interface CommentState {
  depth: number;
  openedAt: number[];
}

/**
 * Removes comments from one physical line. Returns the text left to parse, or null when the
 * whole line lies inside a block comment. Mirrors config.c: `\;` is a literal semicolon, `;--`
 * opens a block, `--;` closes one, and a plain `;` outside a block ends the line.
 */
export function stripComments(raw: string, lineNo: number, state: CommentState): string | null {
  let out = state.depth === 0 ? '' : null;
  let i = 0;
  // Where the scan resumed after the last comment token: a `--;` only closes when both dashes
  // follow it, so `;--;` opens a block and does not close it again.
  let resumed = 0;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch === '\\' && raw[i + 1] === ';') {
      if (out !== null) out += ';';
      i += 2;
      continue;
    }
    if (ch === ';') {
      if (raw.startsWith(';--', i) && raw[i + 3] !== '-') {
        if (state.depth < MAX_NESTED_COMMENTS) {
          state.depth++;
          state.openedAt.push(lineNo);
        }
        i += 3;
        resumed = i;
        continue;
      }
      if (i >= resumed + 2 && raw[i - 1] === '-' && raw[i - 2] === '-' && state.depth > 0) {
        state.depth--;
        state.openedAt.pop();
        if (state.depth === 0 && out === null) out = '';
        i += 1;
        resumed = i;
        continue;
      }
      if (state.depth === 0) return out;
      i += 1;
      resumed = i;
      continue;
    }
    if (state.depth === 0 && out !== null) out += ch;
    i += 1;
  }
  return out;
}

/** One comment-free, trimmed line into a ConfLine; null for a blank line. */
export function lexLine(text: string, at: SourceRef): ConfLine | null {
  const cur = text.trim();
  if (cur === '') return null;
  if (cur.startsWith('[')) return lexSection(cur, at);
  if (cur.startsWith('#')) return lexDirective(cur, at);
  return lexSetting(cur, at);
}

function lexSection(cur: string, at: SourceRef): ConfLine {
  const close = cur.indexOf(']');
  if (close < 0) return { kind: 'malformed', text: cur, reason: "no closing ']' in the section header", fatal: true, at };
  const name = cur.slice(1, close);
  const rest = cur.slice(close + 1);
  if (!rest.startsWith('(')) return { kind: 'section', name, options: [], at };
  const paren = rest.indexOf(')');
  if (paren < 0) return { kind: 'malformed', text: cur, reason: "no closing ')' after the section options", fatal: true, at };
  const options = rest
    .slice(1, paren)
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  return { kind: 'section', name, options, at };
}

function lexDirective(cur: string, at: SourceRef): ConfLine {
  const m = /^#(\S*)\s*(.*)$/.exec(cur);
  const name = (m?.[1] ?? '').toLowerCase();
  let arg = (m?.[2] ?? '').trim();
  // config.c strips one pair of "..." or <...> around the argument, and only a matching pair.
  const first = arg[0];
  const closing = first === '"' ? '"' : first === '<' ? '>' : null;
  if (closing !== null && arg.length >= 2 && arg.endsWith(closing)) arg = arg.slice(1, -1);
  return { kind: 'directive', name, argument: arg === '' ? null : arg, at };
}

function lexSetting(cur: string, at: SourceRef): ConfLine {
  // A leading backslash escapes the first character of the name (e.g. a name starting with '[').
  const escaped = cur.startsWith('\\');
  const body = escaped ? cur.slice(1) : cur;
  if (escaped && (body === '' || body.charCodeAt(0) < 33)) {
    return { kind: 'malformed', text: cur, reason: 'invalid escape at the start of the line', fatal: true, at };
  }
  const eq = body.indexOf('=', escaped ? 1 : 0);
  if (eq < 0) return { kind: 'malformed', text: cur, reason: "no '=' in the line", fatal: false, at };
  let keyPart = body.slice(0, eq);
  let value = body.slice(eq + 1);
  let op: '=' | '=>' | '+=' = '=';
  if (eq > 0 && keyPart.endsWith('+')) {
    op = '+=';
    keyPart = keyPart.slice(0, -1);
  } else if (value.startsWith('>')) {
    op = '=>';
    value = value.slice(1);
  }
  const key = keyPart.trim();
  if (key === '') return { kind: 'malformed', text: cur, reason: 'no setting name before the =', fatal: false, at };
  // config.c appends what follows `+=` as written (`a = x` then `a += y` gives "x y").
  return { kind: 'setting', key, value: op === '+=' ? value.trimEnd() : value.trim(), op, at };
}

/** Splits text on LF, CRLF or lone CR, as files edited on Windows or old Macs arrive. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function lexAsteriskConf(text: string, file: string): LexedFile {
  const state: CommentState = { depth: 0, openedAt: [] };
  const lines: ConfLine[] = [];
  const physical = splitLines(text.startsWith('\uFEFF') ? text.slice(1) : text);
  physical.forEach((raw, index) => {
    const at = { file, line: index + 1 };
    const kept = stripComments(raw, at.line, state);
    if (kept === null) return;
    const lexed = lexLine(kept, at);
    if (lexed) lines.push(lexed);
  });
  const openLine = state.openedAt[0];
  return { lines, unterminatedComment: openLine === undefined ? null : { file, line: openLine } };
}
