// Where `tdmgate supervise` writes its log and in which form: JSON lines (pino, for machines and
// log shippers) or one readable line per event for a person at a terminal, printed through
// pino-pretty. The line a decision reads as is built here from the log record; everything else
// keeps its message with its facts as key=value, so the readable form loses nothing but nesting.

import pino, { type Logger } from 'pino';
import type { LogFormat } from '../supervisor/config';
import type { Output } from './command';

/** The part of pino-pretty used here (loaded only when asked for: other commands never pay for it). */
interface PinoPretty {
  prettyFactory(options: {
    colorize: boolean;
    hideObject: boolean;
    ignore: string;
    customPrettifiers: Record<string, () => string>;
    messageFormat: (log: Record<string, unknown>, messageKey: string, levelLabel: string, extras: { colors: Colors }) => string;
  }): (line: string) => string;
}
interface Colors {
  yellow(text: string): string;
  red(text: string): string;
  gray(text: string): string;
}

/** The format asked for, else pretty on a terminal and JSON lines into a pipe or a file. */
export function chooseLogFormat(asked: LogFormat | undefined, out: Output): LogFormat {
  return asked ?? (out.isTTY === true ? 'pretty' : 'json');
}

export function createLogger(format: LogFormat, out: Output): Logger {
  const options = { base: { app: 'tdmgate' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'json') return pino(options, { write: (line: string) => out.write(line) });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { prettyFactory } = require('pino-pretty') as PinoPretty;
  const prettify = prettyFactory({
    colorize: out.isTTY === true,
    // The whole line is built by readableLine: pino-pretty's own time, level and object dump off.
    hideObject: true,
    ignore: 'app',
    customPrettifiers: { time: () => '', level: () => '' },
    messageFormat: (log, _key, _label, { colors }) => readableLine(log, colors),
  });
  return pino(options, { write: (line: string) => out.write(prettify(line)) });
}

const PLAIN: Colors = { yellow: (t) => t, red: (t) => t, gray: (t) => t };
const LEVEL_LABELS: Readonly<Record<number, string>> = { 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every record carries or a readable line shows elsewhere. */
const ALWAYS_HIDDEN = new Set(['level', 'time', 'msg', 'app']);

/** `19:30:01 span 1 TS 5  DID 691234501 from 030123  -> sales (cc-sales,s)`; local time. */
export function readableLine(log: Record<string, unknown>, colors: Colors = PLAIN): string {
  const time = typeof log.time === 'string' || typeof log.time === 'number' ? clock(new Date(log.time)) : '--:--:--';
  const level = typeof log.level === 'number' ? LEVEL_LABELS[log.level] : undefined;
  const label = level === undefined ? '' : `${level === 'WARN' ? colors.yellow(level) : colors.red(level)} `;
  const where = typeof log.span === 'number' ? `span ${log.span}${typeof log.timeslot === 'number' ? ` TS ${log.timeslot}` : ''}  ` : '';
  const decision = DECISIONS[String(log.msg)];
  const body = decision ? decision(log) : `${String(log.msg ?? '')}${facts(log, new Set(['span', 'timeslot']))}`;
  return `${colors.gray(time)} ${label}${where}${body}`;
}

/** How each decision reads; the call id and channel name stay in JSON for whoever greps them. */
const DECISIONS: Readonly<Record<string, (log: Record<string, unknown>) => string>> = {
  'inbound call routed': (l) => `${numbers(l)}  -> ${text(l.route)} (${text(l.context)},${text(l.extension)})`,
  'inbound call rejected': (l) => `${numbers(l)}  rejected, cause ${text(l.cause)}${l.route ? ` (${text(l.route)})` : ''}: ${text(l.reason)}`,
  'call record written': (l) => `${l.direction === 'outbound' ? 'outbound ' : ''}call ended ${text(l.disposition)} ${text(l.billsec)}s, cause ${text(l.q850)}${l.route ? ` (${text(l.route)})` : ''}`,
  'outbound call answered: sent to its target': (l) => `outbound answered -> ${text(l.context)},${text(l.extension)}`,
  'outbound call decided': (l) => `outbound ${text(l.number)}  ${text(l.outcome)}${l.cause === null || l.cause === undefined ? '' : `, cause ${text(l.cause)}`} after ${text(l.attempts)} attempt${l.attempts === 1 ? '' : 's'} -> ${text(l.next)}`,
};

function numbers(l: Record<string, unknown>): string {
  const did = l.did === '' || l.did === undefined ? 'no DID' : `DID ${text(l.did)}`;
  const from = l.callerId === '' || l.callerId === undefined ? 'no caller ID' : `from ${text(l.callerId)}`;
  return `${did} ${from}`;
}

/** The record's other facts as `  key=value ...`, nested values as compact JSON. */
function facts(log: Record<string, unknown>, shown: ReadonlySet<string>): string {
  const parts = Object.entries(log)
    .filter(([key, value]) => !ALWAYS_HIDDEN.has(key) && !shown.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`);
  return parts.length === 0 ? '' : `  ${parts.join(' ')}`;
}

function text(value: unknown): string {
  return value === null || value === undefined ? '-' : String(value);
}

function clock(at: Date): string {
  if (Number.isNaN(at.getTime())) return '--:--:--';
  return [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
