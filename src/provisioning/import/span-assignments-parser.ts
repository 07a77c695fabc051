// Reads /etc/dahdi/assigned-spans.conf and /etc/dahdi/span-types.conf as dahdi_span_assignments
// and dahdi_span_types read them: `#` starts a comment anywhere, blank lines are skipped, the
// first word is the device key (hardware_id, @location or /sysfs-devpath, shell globs allowed).
// assigned-spans.conf takes one or more `<local span>:<span>:<first channel>` after the key;
// span-types.conf takes one `<local span or glob>:E1|T1|J1`, and the last matching line wins.
// Pure: the caller reads the files.

import type { SourceRef } from './conf-lexer';
import { importInvalid } from './import-notes';

export interface SpanAssignment {
  /** The device key as written: hardware_id, @location or /devpath, possibly a glob. */
  key: string;
  localSpan: number;
  span: number;
  baseChannel: number;
  at: SourceRef;
}

export const SPAN_TYPES = ['E1', 'T1', 'J1'] as const;
export type SpanType = (typeof SPAN_TYPES)[number];

export interface SpanTypeRule {
  key: string;
  /** Local span number or a glob over it (`*`, `[34]`). */
  localSpan: string;
  type: SpanType;
  at: SourceRef;
}

/** Lines without comments, split into words, with their line numbers. */
function contentLines(text: string, file: string): Array<{ words: string[]; at: SourceRef }> {
  return text.split(/\r\n|\r|\n/).flatMap((raw, i) => {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/).filter((w) => w !== '');
    return words.length === 0 ? [] : [{ words, at: { file, line: i + 1 } }];
  });
}

export function parseAssignedSpans(text: string, file: string): SpanAssignment[] {
  const out: SpanAssignment[] = [];
  for (const { words, at } of contentLines(text, file)) {
    const [key, ...specs] = words as [string, ...string[]];
    if (specs.length === 0) throw importInvalid(at, `'${key}' has no <local span>:<span>:<first channel> after it`);
    for (const spec of specs) {
      const m = /^(\d+):(\d+):(\d+)$/.exec(spec);
      if (!m) throw importInvalid(at, `'${spec}' is not <local span>:<span>:<first channel> (e.g. 1:1:1)`);
      const [localSpan, span, baseChannel] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (localSpan < 1 || span < 1 || span > 128 || baseChannel < 1 || baseChannel > 1023) {
        throw importInvalid(at, `'${spec}': local span and span start at 1 (spans up to 128), channels are 1-1023`);
      }
      const twin = out.find((a) => a.span === span);
      // The kernel refuses to assign a span number that is taken.
      if (twin) throw importInvalid(at, `span ${span} is assigned twice (first at line ${twin.at.line})`);
      out.push({ key, localSpan, span, baseChannel, at });
    }
  }
  return out;
}

export function parseSpanTypes(text: string, file: string): SpanTypeRule[] {
  return contentLines(text, file).map(({ words, at }) => {
    const [key, spec, ...rest] = words as [string, string | undefined, ...string[]];
    // dahdi_span_types cuts the rest of the line at ':' - a second spec would corrupt the first.
    if (spec === undefined || rest.length > 0) throw importInvalid(at, `'${words.join(' ')}' is not <device> <local span>:E1|T1|J1 (one span spec per line)`);
    const m = /^([^:]+):(.+)$/.exec(spec);
    const type = m?.[2]?.toUpperCase();
    if (!m || !(SPAN_TYPES as readonly string[]).includes(type ?? '')) throw importInvalid(at, `'${spec}' is not <local span>:E1|T1|J1`);
    return { key, localSpan: m[1] as string, type: type as SpanType, at };
  });
}

/** Shell glob (`*`, `?`, `[...]`, `[!...]`) against a whole string, as `case` matches it. */
export function globMatch(pattern: string, text: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[' && pattern.indexOf(']', i + 2) > i) {
      const end = pattern.indexOf(']', i + 2);
      const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
      re += `[${body}]`;
      i = end;
    } else re += ch.replace(/[.+^${}()|[\\\]]/g, '\\$&'); // an unclosed '[' is literal, as in sh
  }
  try {
    return new RegExp(`^${re}$`).test(text);
  } catch {
    // A class the shell takes and RegExp does not (e.g. a reversed range): compare literally.
    return pattern === text;
  }
}

/**
 * The type span-types.conf gives a device's local span: the last line whose key and span
 * match. `key` null (the device is not known) matches only lines for every device (`*`).
 */
export function spanTypeFor(rules: readonly SpanTypeRule[], key: string | null, localSpan: number): SpanTypeRule | undefined {
  return rules.filter((r) => (key === null ? r.key === '*' : r.key === key || globMatch(r.key, key)) && globMatch(r.localSpan, String(localSpan))).pop();
}
