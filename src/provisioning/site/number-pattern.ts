// Number patterns of the routing section, defined once for the checker and the deciders:
//   _NXXNXXXXXX   Asterisk pattern, matches the whole number: X 0-9, Z 1-9, N 2-9, [1-5 7]
//                 a class of digits and ranges, '.' one or more more characters, '!' zero or
//                 more ('.' and '!' only at the end);
//   400           plain digits (and * #): a prefix, matches every number that starts with them;
//   +86 / _+86X.  a leading '+' matches the number in E.164 form (the site's numbering applied),
//                 so a list holds each caller once whatever form the carrier delivers.

export interface NumberPattern {
  /** Matched against the E.164 form ('+8613800138000') instead of the number as received. */
  e164: boolean;
  test: (number: string) => boolean;
}

const MAX_PATTERN = 40;
const PLAIN = /^[0-9*#]+$/;

/** What is wrong with a pattern, or null when it is usable. */
export function patternProblem(text: string): string | null {
  if (text.length === 0) return 'is empty';
  if (text.length > MAX_PATTERN) return `is ${text.length} characters long; at most ${MAX_PATTERN}`;
  const asterisk = text.startsWith('_');
  const body = stripPlus(asterisk ? text.slice(1) : text);
  if (body === '') return 'has no digits';
  if (!asterisk) {
    const bad = [...body].find((ch) => !/[0-9*#]/.test(ch));
    return bad === undefined ? null
      : `"${text}" has "${bad}", which a plain prefix cannot hold (digits, * and #; write an Asterisk pattern with a leading _ for X, Z, N, [..], . or !)`;
  }
  return tokenize(body, text.length - body.length).problem;
}

/** The matcher of a pattern already accepted by patternProblem. */
export function compilePattern(text: string): NumberPattern {
  const asterisk = text.startsWith('_');
  const withPlus = asterisk ? text.slice(1) : text;
  const e164 = withPlus.startsWith('+');
  const body = stripPlus(withPlus);
  const prefix = e164 ? '+' : '';
  if (!asterisk && PLAIN.test(body)) {
    const start = prefix + body;
    return { e164, test: (n) => n.startsWith(start) };
  }
  const re = new RegExp(`^${e164 ? '\\+' : ''}${tokenize(body, 0).regex}$`);
  return { e164, test: (n) => re.test(n) };
}

function stripPlus(text: string): string {
  return text.startsWith('+') ? text.slice(1) : text;
}

const LETTERS: Record<string, string> = { X: '[0-9]', Z: '[1-9]', N: '[2-9]' };
const ALLOWED = 'digits, * #, X, Z, N, [digits and ranges], and . or ! at the end';

/** Asterisk pattern body -> a regex source, or the first problem (named with its position). */
function tokenize(body: string, offset: number): { regex: string; problem: string | null } {
  let regex = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    const last = i === body.length - 1;
    if (/[0-9]/.test(ch)) regex += ch;
    else if (ch === '*' || ch === '#') regex += `\\${ch}`;
    else if (LETTERS[ch.toUpperCase()] !== undefined) regex += LETTERS[ch.toUpperCase()];
    else if (ch === '.' || ch === '!') {
      if (!last) return { regex, problem: `"${ch}" at position ${offset + i + 1} must be the last character (it matches the rest of the number)` };
      regex += ch === '.' ? '.+' : '.*';
    } else if (ch === '[') {
      const end = body.indexOf(']', i);
      if (end < 0) return { regex, problem: `"[" at position ${offset + i + 1} is never closed` };
      const cls = body.slice(i + 1, end);
      if (!/^([0-9](-[0-9])?)+$/.test(cls)) return { regex, problem: `class "[${cls}]" may hold only digits and ranges like 1-5` };
      const ranges = cls.match(/[0-9]-[0-9]/g) ?? [];
      const backwards = ranges.find((r) => (r[0] as string) > (r[2] as string));
      if (backwards !== undefined) return { regex, problem: `range "${backwards}" runs backwards` };
      regex += `[${cls}]`;
      i = end;
    } else {
      return { regex, problem: `has "${ch}" at position ${offset + i + 1}, not allowed in a pattern; allowed: ${ALLOWED}` };
    }
  }
  return { regex, problem: null };
}
