// `tdmgate diag watch`: a live view of every span, refreshed each --interval seconds. On a
// terminal the screen is redrawn in place; into a pipe or file each refresh appends plain lines
// (or one JSON object per line with --json). q or Ctrl-C quits; the exit code is the health of
// the last refresh.

import { setTimeout as delay } from 'node:timers/promises';
import { counterRates, type CounterRates } from '../../diagnostics/counter-rates';
import { diagnoseSpans } from '../../diagnostics/explain';
import { healthCode, type HealthCode } from '../../diagnostics/health';
import type { AlarmName } from '../../hardware/dahdi-constants';
import type { OpenedBackend } from '../../hardware/open-backend';
import { COUNTER_NAMES, type CounterName, type HardwareEvent, type SpanStatus } from '../../hardware/types';
import { COMMON_OPTIONS, commonArgs, countOption, maxPositionals, parseCommand, secondsOption } from '../args';
import type { CliContext, Command, Input } from '../command';
import { alarmText, columns, NOT_REPORTED, palette, rateCell, type Palette } from '../render';
import { backendJson, backendLine, withBackend } from './backend';

export interface AlarmChange {
  at: number;
  span: number;
  raised: AlarmName[];
  cleared: AlarmName[];
}

export interface Frame {
  at: number;
  spans: SpanStatus[];
  /** null on the first refresh: rates need two readings. */
  rates: Map<number, CounterRates> | null;
  /** Changes since the previous refresh (piped output) or the most recent ones (terminal). */
  changes: AlarmChange[];
}

const RECENT_CHANGES = 8;
const CLEAR_SCREEN = '\x1b[H\x1b[2J';

function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

/** Counters at least one span reports; the others would be a column of n/a. */
export function shownCounters(spans: readonly SpanStatus[]): CounterName[] {
  return COUNTER_NAMES.filter((name) => spans.some((span) => span.counters[name] !== null));
}

function rateOf(frame: Frame, span: SpanStatus, name: CounterName): string {
  if (span.counters[name] === null) return NOT_REPORTED;
  const rate = frame.rates?.get(span.span)?.[name];
  return rate ? rateCell(rate.perSecond) : '-';
}

function changeLine(change: AlarmChange, p: Palette): string {
  const parts = [`${clock(change.at)} span ${change.span}`];
  if (change.raised.length > 0) parts.push(`raised ${alarmText(change.raised, p)}`);
  if (change.cleared.length > 0) parts.push(`cleared ${p.green(change.cleared.join(' '))}`);
  return parts.join(' ');
}

export function renderScreen(opened: OpenedBackend, frame: Frame, p: Palette): string {
  const counters = shownCounters(frame.spans);
  const header = ['SPAN', 'TYPE', 'ALARMS', ...counters.map((name) => `${name}/s`)];
  const rows = frame.spans.map((span) => [String(span.span), span.spanType, alarmText(span.alarmNames, p), ...counters.map((name) => rateOf(frame, span, name))]);
  const lines = [`${p.bold('tdmgate diag watch')}  ${clock(frame.at)}  ${backendLine(opened)}  (q or Ctrl-C quits)`, ''];
  lines.push(...columns([header.map(p.bold), ...rows]));
  const hidden = COUNTER_NAMES.filter((name) => !counters.includes(name));
  if (hidden.length > 0) lines.push('', p.dim(`not reported by this driver: ${hidden.join(', ')}`));
  lines.push('', 'Recent alarm changes:');
  lines.push(...(frame.changes.length > 0 ? frame.changes.map((c) => `  ${changeLine(c, p)}`) : ['  none']));
  return `${CLEAR_SCREEN}${lines.join('\n')}\n`;
}

export function renderAppend(frame: Frame, p: Palette): string {
  const lines = frame.changes.map((change) => changeLine(change, p));
  for (const span of frame.spans) {
    const rates = COUNTER_NAMES.map((name) => `${name} ${rateOf(frame, span, name)}`).join(' ');
    lines.push(`${clock(frame.at)} span ${span.span} ${span.spanType} ${alarmText(span.alarmNames, p)} ${rates}`);
  }
  return `${lines.join('\n')}\n`;
}

export function frameJson(frame: Frame): string {
  const spans = frame.spans.map((span) => ({
    span: span.span,
    alarms: span.alarmNames,
    counters: span.counters,
    rates: frame.rates?.get(span.span) ?? null,
  }));
  return `${JSON.stringify({ at: new Date(frame.at).toISOString(), spans, changes: frame.changes })}\n`;
}

function ratesBetween(before: readonly SpanStatus[], beforeAt: number, after: readonly SpanStatus[], afterAt: number): Map<number, CounterRates> {
  const earlier = new Map(before.map((span) => [span.span, span]));
  const rates = new Map<number, CounterRates>();
  for (const span of after) {
    const prev = earlier.get(span.span);
    if (prev) rates.set(span.span, counterRates({ at: beforeAt, counters: prev.counters }, { at: afterAt, counters: span.counters }));
  }
  return rates;
}

/** q or Ctrl-C quits; raw mode only on a terminal, so piped stdin is never read. */
function listenForQuit(stdin: Input, quit: () => void): () => void {
  if (stdin.isTTY !== true || !stdin.setRawMode) return () => undefined;
  const onData = (chunk: Buffer | string) => {
    const text = chunk.toString();
    if (text.includes('q') || text.includes('Q') || text.includes('\u0003')) quit();
  };
  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  return () => {
    stdin.off('data', onData);
    stdin.setRawMode?.(false);
    stdin.pause();
  };
}

async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

async function watch(ctx: CliContext, opened: OpenedBackend, json: boolean, intervalSeconds: number, count: number | undefined): Promise<HealthCode> {
  const tty = ctx.stdout.isTTY === true && !json;
  const p = palette(ctx.stdout, ctx.env);
  const pending: AlarmChange[] = [];
  const recent: AlarmChange[] = [];
  const subscription = opened.backend.subscribe((batch: readonly HardwareEvent[]) => {
    for (const event of batch) {
      if (event.kind === 'alarm') pending.push({ at: event.at, span: event.span, raised: event.raised, cleared: event.cleared });
    }
  });
  const stopListening = listenForQuit(ctx.stdin, () => ctx.abort());
  let previous: { at: number; spans: SpanStatus[] } | null = null;
  let code: HealthCode = healthCode([], 0);
  try {
    for (let refresh = 1; !ctx.signal.aborted; refresh += 1) {
      const at = Date.now();
      const spans = await opened.backend.spans();
      const rates = previous ? ratesBetween(previous.spans, previous.at, spans, at) : null;
      const changes = pending.splice(0);
      recent.push(...changes);
      recent.splice(0, Math.max(0, recent.length - RECENT_CHANGES));
      const frame: Frame = { at, spans, rates, changes: tty ? recent : changes };
      code = healthCode(diagnoseSpans(spans, rates), spans.length);
      ctx.stdout.write(json ? frameJson(frame) : tty ? renderScreen(opened, frame, p) : renderAppend(frame, p));
      previous = { at, spans };
      if (count !== undefined && refresh >= count) break;
      if (!(await sleepUnlessAborted(intervalSeconds * 1000, ctx.signal))) break;
    }
  } finally {
    stopListening();
    await subscription.close();
  }
  return code;
}

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('diag watch', argv, watchCommand.options);
  maxPositionals('diag watch', positionals, 0);
  const args = commonArgs(values);
  const intervalSeconds = secondsOption('interval', values.interval, 1, 0.1);
  const count = countOption('count', values.count);
  return withBackend(args, async (opened) => {
    if (!args.json && ctx.stdout.isTTY !== true) ctx.stdout.write(`${backendLine(opened)}\n`);
    if (args.json) ctx.stdout.write(`${JSON.stringify({ backend: backendJson(opened) })}\n`);
    return watch(ctx, opened, args.json, intervalSeconds, count);
  });
}

export const watchCommand: Command = {
  name: 'diag watch',
  summary: 'live view of alarms and counter rates; q or Ctrl-C quits',
  usage: 'tdmgate diag watch [--interval SECONDS] [--count N] [--json] [--backend sim|dahdi] [--scenario FILE]',
  options: { ...COMMON_OPTIONS, interval: { type: 'string' }, count: { type: 'string' } },
  run,
};
