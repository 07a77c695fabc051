// Human rendering shared by the diag commands: colours (off when NO_COLOR is set or the output
// is not a terminal), alarm words, counter cells that never print 0 for "not reported", findings.

import type { AlarmName } from '../hardware/dahdi-constants';
import type { Finding } from '../diagnostics/explain';
import { label, type Lang } from '../diagnostics/messages';
import type { Output } from './command';

export interface Palette {
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  green(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const sgr = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const plain = (text: string) => text;

/** No colour: for files, pipes and the support bundle. */
export const PLAIN: Palette = { red: plain, yellow: plain, blue: plain, green: plain, bold: plain, dim: plain };

/** https://no-color.org: any non-empty NO_COLOR disables colour. */
export function palette(out: Output, env: Readonly<Record<string, string | undefined>>): Palette {
  if (out.isTTY !== true || env.NO_COLOR) return PLAIN;
  return { red: sgr(31), yellow: sgr(33), blue: sgr(34), green: sgr(32), bold: sgr(1), dim: sgr(2) };
}

export const NOT_REPORTED = 'n/a';

export function counterCell(value: number | null): string {
  return value === null ? NOT_REPORTED : String(value);
}

export function rateCell(perSecond: number | null): string {
  return perSecond === null ? NOT_REPORTED : perSecond.toFixed(1);
}

function alarmColour(name: AlarmName, p: Palette): (text: string) => string {
  if (name === 'YELLOW') return p.yellow;
  if (name === 'BLUE') return p.blue;
  if (name === 'RED' || name === 'LOS' || name === 'LFA' || name === 'LMFA') return p.red;
  return p.yellow;
}

export function alarmText(names: readonly AlarmName[], p: Palette): string {
  if (names.length === 0) return p.green('OK');
  return names.map((name) => p.bold(alarmColour(name, p)(name))).join(' ');
}

/** Left-aligned columns; cells may carry colour codes, which take no room on screen. */
export function columns(rows: readonly (readonly string[])[], gap = 2): string[] {
  // eslint-disable-next-line no-control-regex -- ESC starts the colour codes we must not count
  const visible = (cell: string) => cell.replace(/\x1b\[[0-9;]*m/g, '').length;
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visible(cell) + gap)))
      .join('')
      .trimEnd(),
  );
}

export function severityTag(finding: Finding, lang: Lang, p: Palette): string {
  const word = `[${label(finding.severity, lang)}]`;
  if (finding.severity === 'alarm') return p.bold(p.red(word));
  if (finding.severity === 'warning') return p.bold(p.yellow(word));
  return p.dim(word);
}

/** Findings grouped under their span, as explain.txt and `diag explain` print them. */
export function renderFindings(findings: readonly Finding[], lang: Lang, p: Palette): string[] {
  const lines: string[] = [];
  const colon = lang === 'zh' ? '：' : ': ';
  let current: number | null = null;
  for (const finding of findings) {
    if (finding.span !== current) {
      if (current !== null) lines.push('');
      lines.push(p.bold(label('span', lang, { span: finding.span })));
      current = finding.span;
    }
    lines.push(`  ${severityTag(finding, lang, p)} ${p.bold(finding.title)}`);
    lines.push(`    ${label('meaning', lang)}${colon}${finding.meaning}`);
    if (finding.key === 'ok') continue;
    lines.push(`    ${label('cause', lang)}${colon}${finding.cause}`);
    lines.push(`    ${label('next', lang)}${colon}${finding.next}`);
  }
  return lines;
}

export function writeLines(out: Output, lines: readonly string[]): void {
  out.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
}
