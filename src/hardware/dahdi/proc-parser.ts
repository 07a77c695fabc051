// Parser of /proc/dahdi/N, the text dahdi-base.c (dahdi_seq_show) writes for one span: a header
// line, tab-indented counters printed only when non-zero, then one line per channel. Pure
// functions over text; reading the file is the backend's business. The timing-slip count exists
// nowhere else (struct dahdi_spaninfo has no slip field), which is why this parser matters.

import type { AlarmName } from '../dahdi-constants';
import type { CounterName } from '../types';

export interface ProcSpanHeader {
  span: number;
  name: string;
  description: string;
  /** "(MASTER)": this span is DAHDI's current timing master. */
  master: boolean;
  /** Line config as printed, e.g. "HDB3/CCS/CRC4"; '' for spans without one (analog). */
  lineConfig: string;
  alarms: AlarmName[];
  /** "ClockSource": the span's syncsrc is itself. */
  clockSource: boolean;
}

export interface ProcChannelLine {
  channel: number;
  name: string;
  /** Signalling as sigstr() prints it ("FXOKS", "E&M", "Clear", ...); null when unconfigured. */
  signalling: string | null;
  reserved: boolean;
  inUse: boolean;
  alarms: AlarmName[];
  echoCanceller: { name: string; active: boolean } | null;
}

/** The counters /proc shows; the kernel omits a line when its value is 0. */
export type ProcCounters = Partial<Record<Extract<CounterName, 'bpv' | 'crc4' | 'ebit' | 'fas' | 'irqmisses' | 'slips'>, number>>;

export interface ProcSpan {
  header: ProcSpanHeader;
  counters: ProcCounters;
  channels: ProcChannelLine[];
}

// fill_alarm_string() words; LOS/LFA/LMFA never appear in /proc.
const ALARM_WORDS: Readonly<Record<string, AlarmName>> = {
  BLUE: 'BLUE',
  YELLOW: 'YELLOW',
  RED: 'RED',
  LOOP: 'LOOPBACK',
  RECOVERING: 'RECOVER',
  NOTOPEN: 'NOTOPEN',
};

const COUNTER_LABELS: Readonly<Record<string, keyof ProcCounters>> = {
  'BPV count': 'bpv',
  'CRC4 error count': 'crc4',
  'E-bit error count': 'ebit',
  'FAS error count': 'fas',
  'IRQ misses': 'irqmisses',
  'Timing slips': 'slips',
};

// sigstr() outputs, longest first so "E&M-E1" wins over "E&M" and "DACS+RBS" over "DACS".
const SIGNALLING_WORDS = [
  'Hardware-assisted HDLC',
  'SF (ToneOnly)',
  'Unconfigured',
  'DACS+RBS',
  'HDLCRAW',
  'HDLCFCS',
  'HDLCNET',
  'E&M-E1',
  'FXSLS',
  'FXSKS',
  'FXSGS',
  'FXOLS',
  'FXOKS',
  'FXOGS',
  'Clear',
  'Slave',
  'MTP2',
  'DACS',
  'E&M',
  'CAS',
];

const HEADER_RE = /^Span (\d+): (\S*) "(.*)"(.*)$/;
const COUNTER_RE = /^\t([^:]+): (\d+)\s*$/;
const CHANNEL_RE = /^\t\s*(\d+) (\S+) ?(.*)$/;
const EC_RE = /\(EC: (.+?) - (ACTIVE|INACTIVE)\)/;

export class ProcParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProcParseError';
  }
}

function alarmsIn(words: readonly string[]): AlarmName[] {
  return words.map((w) => ALARM_WORDS[w]).filter((a): a is AlarmName => a !== undefined);
}

export function parseSpanHeader(line: string): ProcSpanHeader {
  const m = HEADER_RE.exec(line);
  if (!m) throw new ProcParseError(`not a /proc/dahdi span header: ${JSON.stringify(line)}`);
  const words = (m[4] ?? '').trim().split(/\s+/).filter((w) => w !== '');
  const master = words.includes('(MASTER)');
  // The line config is the one word built from B8ZS/AMI/HDB3, ESF/D4/CCS and /CRC4.
  const lineConfig = words.find((w) => /^(B8ZS|AMI|HDB3|ESF|D4|CCS|CRC4)?(\/(ESF|D4|CCS|CRC4)?)*$/.test(w) && w !== '') ?? '';
  return {
    span: Number(m[1]),
    name: m[2] ?? '',
    description: m[3] ?? '',
    master,
    lineConfig: lineConfig.replace(/\/$/, ''),
    alarms: alarmsIn(words),
    clockSource: words.includes('ClockSource'),
  };
}

export function parseChannelLine(line: string): ProcChannelLine | null {
  const m = CHANNEL_RE.exec(line);
  if (!m) return null;
  let rest = m[3] ?? '';
  const ec = EC_RE.exec(rest);
  if (ec) rest = rest.replace(EC_RE, ' ');
  const inUse = rest.includes('(In use)');
  rest = rest.replace('(In use)', ' ').replace('(no pcm)', ' ').trim();
  const signalling = SIGNALLING_WORDS.find((s) => rest === s || rest.startsWith(`${s} `)) ?? null;
  if (signalling) rest = rest.slice(signalling.length);
  const words = rest.split(/\s+/).filter((w) => w !== '');
  return {
    channel: Number(m[1]),
    name: m[2] ?? '',
    signalling,
    reserved: words.includes('Reserved'),
    inUse,
    alarms: alarmsIn(words),
    echoCanceller: ec ? { name: ec[1] ?? '', active: ec[2] === 'ACTIVE' } : null,
  };
}

export function parseProcSpan(text: string): ProcSpan {
  const lines = text.split('\n');
  const headerIndex = lines.findIndex((l) => l.startsWith('Span '));
  if (headerIndex < 0) throw new ProcParseError('no "Span N:" header in /proc/dahdi text');
  const header = parseSpanHeader(lines[headerIndex] ?? '');
  const counters: ProcCounters = {};
  const channels: ProcChannelLine[] = [];
  for (const line of lines.slice(headerIndex + 1)) {
    const c = COUNTER_RE.exec(line);
    const key = c ? COUNTER_LABELS[c[1] ?? ''] : undefined;
    if (c && key) {
      counters[key] = Number(c[2]);
      continue;
    }
    const ch = parseChannelLine(line);
    if (ch) channels.push(ch);
  }
  return { header, counters, channels };
}

/** "Timing slips" of a span; 0 when the line is absent, since the kernel prints only non-zero. */
export function parseTimingSlips(text: string): number {
  const m = /^\tTiming slips: (\d+)\s*$/m.exec(text);
  return m ? Number(m[1]) : 0;
}
