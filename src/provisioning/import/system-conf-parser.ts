// Parser of /etc/dahdi/system.conf (and the older /etc/zaptel.conf, which ztcfg read with the
// same keywords) as dahdi_cfg reads it: `#` starts a comment anywhere, one `keyword=value` per
// line, keywords case-insensitive. What dahdi_cfg refuses is refused here with file:line; what
// it accepts but the site model does not hold becomes a note. dahdi_genconf's comments
// ("# Span 1: TE4/0/1 ...", "# termtype: te") are kept as hints: they name cards and sides.

import type { SourceRef } from './conf-lexer';
import { splitLines } from './conf-lexer';
import { parseChannelList } from './channel-list';
import { importInvalid, note, type ImportNote } from './import-notes';

export const MAX_SPANS = 128;

export type SpanFraming = 'd4' | 'esf' | 'ccs' | 'cas';
export type SpanCoding = 'ami' | 'b8zs' | 'hdb3';

export interface SystemSpan {
  span: number;
  timing: number;
  lbo: number;
  framing: SpanFraming;
  coding: SpanCoding;
  crc4: boolean;
  yellow: boolean;
  /** 'nt' / 'te' keyword on the span line (BRI), null when absent. */
  side: 'nt' | 'te' | null;
  term: boolean;
  /** From a following "# termtype: te|nt" comment written by dahdi_genconf. */
  termtype: 'te' | 'nt' | null;
  /** From the preceding "# Span N: NAME ..." comment, e.g. "TE4/0/1". */
  hardwareName: string | null;
  at: SourceRef;
}

/** Channel kinds after dahdi_cfg's aliases (indclear = bchan, user = cas). */
export const DIGITAL_KINDS = ['cas', 'dacs', 'dacsrbs', 'bchan', 'clear', 'rawhdlc', 'nethdlc', 'fcshdlc', 'dchan', 'hardhdlc', 'mtp2'] as const;
export const ANALOG_KINDS = ['e&m', 'e&me1', 'fxsls', 'fxsgs', 'fxsks', 'fxols', 'fxogs', 'fxoks', 'unused'] as const;
export type ChannelKind = (typeof DIGITAL_KINDS)[number] | (typeof ANALOG_KINDS)[number];

const KIND_ALIASES: Record<string, ChannelKind> = { indclear: 'bchan', user: 'cas' };

export interface SystemChannel {
  channel: number;
  kind: ChannelKind;
  /** The span line in force for a digital kind (dahdi_cfg's current_span); null for analog kinds. */
  span: number | null;
  /** CAS idle bits, e.g. "1101". */
  idleBits: string | null;
  /** Number from the latest "# Span N:" comment above the line (groups analog ports into cards). */
  commentSpan: number | null;
  /** The latest span= line above, even for analog kinds (robbed-bit FXS/FXO on a T1 follows its span line). */
  afterSpan: number | null;
  at: SourceRef;
}

export interface SpanComment {
  span: number;
  hardwareName: string;
  description: string;
  at: SourceRef;
}

export interface SystemConf {
  file: string;
  spans: SystemSpan[];
  /** Sorted by channel number. */
  channels: SystemChannel[];
  echoCancellers: Map<number, { name: string; at: SourceRef }>;
  loadZones: Array<{ zone: string; at: SourceRef }>;
  defaultZone: { zone: string; at: SourceRef } | null;
  spanComments: SpanComment[];
  notes: ImportNote[];
}

interface ParseState {
  conf: SystemConf;
  byChannel: Map<number, SystemChannel>;
  currentSpan: number;
  lastSpan: number | null;
  commentSpan: number | null;
  pendingHardwareName: string | null;
  knownZones: ReadonlySet<string>;
}

const RADIO_KEYWORDS = new Set(['ctcss', 'dcsrx', 'rxdcs', 'tx', 'debouncetime', 'bursttime', 'exttone', 'invertcor', 'corthresh', 'rxgain', 'txgain', 'deemp', 'preemp', 'channel', 'channels']);
const LAW_KEYWORDS = new Set(['alaw', 'mulaw', 'deflaw']);

/**
 * @param knownZones tone zones this DAHDI knows (zonedata.c); an unknown defaultzone is refused.
 */
export function parseSystemConf(text: string, file: string, knownZones: readonly string[]): SystemConf {
  const state: ParseState = {
    conf: { file, spans: [], channels: [], echoCancellers: new Map(), loadZones: [], defaultZone: null, spanComments: [], notes: [] },
    byChannel: new Map(),
    currentSpan: 0,
    lastSpan: null,
    commentSpan: null,
    pendingHardwareName: null,
    knownZones: new Set(knownZones),
  };
  splitLines(text.startsWith('\uFEFF') ? text.slice(1) : text).forEach((raw, index) => {
    const at = { file, line: index + 1 };
    const hash = raw.indexOf('#');
    if (hash >= 0) readComment(state, raw.slice(hash + 1), at);
    const body = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (body !== '') readStatement(state, body, at);
  });
  state.conf.channels = [...state.byChannel.values()].sort((a, b) => a.channel - b.channel);
  return state.conf;
}

function readComment(state: ParseState, comment: string, at: SourceRef): void {
  const span = /^\s*Span\s+(\d+):\s+(\S+)\s*(.*)$/.exec(comment);
  if (span) {
    const number = Number(span[1]);
    state.commentSpan = number;
    state.pendingHardwareName = span[2] ?? null;
    state.conf.spanComments.push({ span: number, hardwareName: span[2] ?? '', description: (span[3] ?? '').trim(), at });
    return;
  }
  const termtype = /^\s*termtype:\s*(te|nt)\s*$/i.exec(comment);
  const last = state.conf.spans[state.conf.spans.length - 1];
  if (termtype && last) last.termtype = (termtype[1] ?? '').toLowerCase() as 'te' | 'nt';
}

function readStatement(state: ParseState, body: string, at: SourceRef): void {
  const eq = body.indexOf('=');
  const key = eq < 0 ? '' : body.slice(0, eq).trim().toLowerCase();
  const value = eq < 0 ? '' : body.slice(eq + 1).trim();
  if (key === '' || value === '') throw importInvalid(at, `syntax error, dahdi_cfg wants <keyword>=<value>: '${body}'`);
  if (key === 'span') return readSpan(state, value, at);
  if (key === 'dynamic') return readDynamic(state, value, at);
  if (key === 'echocanceller') return readEchoCanceller(state, value, at);
  if (key === 'loadzone') return readLoadZone(state, value, at);
  if (key === 'defaultzone') return readDefaultZone(state, value, at);
  const kind = KIND_ALIASES[key] ?? ([...DIGITAL_KINDS, ...ANALOG_KINDS] as string[]).find((k) => k === key);
  if (kind !== undefined) return readChannels(state, kind as ChannelKind, value, at);
  if (LAW_KEYWORDS.has(key)) {
    state.conf.notes.push(note(at, `${key}=${value}: companding overrides are not carried over (the site uses the span's default law)`));
    return;
  }
  if (key === '56k') {
    state.conf.notes.push(note(at, `56k=${value}: 56k HDLC rate not carried over`));
    return;
  }
  if (RADIO_KEYWORDS.has(key)) {
    state.conf.notes.push(note(at, `${key}=${value}: radio interface parameters are not carried over`));
    return;
  }
  throw importInvalid(at, `unknown keyword '${key}' (dahdi_cfg refuses it)`);
}

function parseIntStrict(text: string): number | null {
  return /^-?\d{1,9}$/.test(text) ? Number(text) : null;
}

function readSpan(state: ParseState, value: string, at: SourceRef): void {
  const args = value.split(',').map((a) => a.trim());
  if (args.length < 5 || args.length > 9) {
    throw importInvalid(at, `span= takes <span>,<timing>,<lbo>,<framing>,<coding>[,crc4][,yellow], got '${value}'`);
  }
  const [spanText, timingText, lboText, framingText, codingText] = args as [string, string, string, string, string];
  const span = parseIntStrict(spanText);
  if (span === null || span < 1 || span > MAX_SPANS) throw importInvalid(at, `span number '${spanText}' is not 1-${MAX_SPANS}`);
  const timing = parseIntStrict(timingText);
  if (timing === null || timing < 0 || timing > 255) throw importInvalid(at, `timing '${timingText}' is not a number from 0 to 255`);
  const lbo = parseIntStrict(lboText);
  if (lbo === null || lbo < 0 || lbo > 7) throw importInvalid(at, `line build-out '${lboText}' is not 0-7`);
  const framing = framingText.toLowerCase();
  if (!['d4', 'esf', 'ccs', 'cas'].includes(framing)) throw importInvalid(at, `framing '${framingText}' is not d4, esf, cas or ccs`);
  const coding = codingText.toLowerCase();
  if (!['ami', 'b8zs', 'hdb3'].includes(coding)) throw importInvalid(at, `coding '${codingText}' is not ami, b8zs or hdb3`);
  const line: SystemSpan = {
    span, timing, lbo, framing: framing as SpanFraming, coding: coding as SpanCoding,
    crc4: false, yellow: false, side: null, term: false, termtype: null, hardwareName: state.pendingHardwareName, at,
  };
  for (const extra of args.slice(5).map((a) => a.toLowerCase())) {
    if (extra === 'crc4') line.crc4 = true;
    else if (extra === 'yellow') line.yellow = true;
    else if (extra === 'nt' || extra === 'te') line.side = extra;
    else if (extra === 'term') line.term = true;
    else throw importInvalid(at, `'${extra}' after the coding is not crc4, yellow, nt, te or term`);
  }
  const earlier = state.conf.spans.find((s) => s.span === span);
  if (earlier) throw importInvalid(at, `span ${span} is declared twice (first at line ${earlier.at.line})`);
  state.pendingHardwareName = null;
  state.currentSpan = span;
  state.lastSpan = span;
  state.conf.spans.push(line);
}

function readDynamic(state: ParseState, value: string, at: SourceRef): void {
  const args = value.split(',').map((a) => a.trim());
  const chans = parseIntStrict(args[2] ?? '');
  const timing = parseIntStrict(args[3] ?? '');
  if (args.length !== 4 || chans === null || chans < 1 || timing === null || timing < 0) {
    throw importInvalid(at, `dynamic= takes <driver>,<address>,<channels>,<timing>, got '${value}'`);
  }
  state.conf.notes.push(note(at, `dynamic span ${args[0]} ${args[1]} (${chans} channels) not carried over: the site model has no dynamic spans`));
}

function channelsOrFail(list: string, at: SourceRef): number[] {
  const parsed = parseChannelList(list);
  if (!parsed.ok) throw importInvalid(at, parsed.reason);
  return parsed.channels;
}

function readChannels(state: ParseState, kind: ChannelKind, value: string, at: SourceRef): void {
  const colon = value.indexOf(':');
  const list = colon < 0 ? value : value.slice(0, colon);
  const suffix = colon < 0 ? null : value.slice(colon + 1).trim();
  let idleBits: string | null = null;
  if (kind === 'cas') {
    if (suffix === null || !/^[01]{4}/.test(suffix)) throw importInvalid(at, `cas= needs the idle bits as ':abcd' (e.g. 1-15:1101), got '${value}'`);
    idleBits = suffix.slice(0, 4);
  }
  if (kind === 'dacs' || kind === 'dacsrbs') {
    if (suffix === null || parseIntStrict(suffix) === null) throw importInvalid(at, `${kind}= needs the destination as ':channel', got '${value}'`);
    state.conf.notes.push(note(at, `${kind}=${value}: cross-connects are not carried over`));
  }
  const digital = (DIGITAL_KINDS as readonly string[]).includes(kind);
  if (digital && state.currentSpan === 0) {
    throw importInvalid(at, `${kind}=${list}: no span= line above it declares the span these channels belong to`);
  }
  for (const channel of channelsOrFail(list, at)) {
    const earlier = state.byChannel.get(channel);
    if (earlier) throw importInvalid(at, `channel ${channel} already configured as '${earlier.kind}' at line ${earlier.at.line}`);
    state.byChannel.set(channel, { channel, kind, span: digital ? state.currentSpan : null, idleBits, commentSpan: state.commentSpan, afterSpan: state.lastSpan, at });
  }
  // dahdi_cfg forgets the current span after an analog line, so later digital lines need a span=.
  if (!digital) state.currentSpan = 0;
}

function readEchoCanceller(state: ParseState, value: string, at: SourceRef): void {
  const comma = value.indexOf(',');
  const name = (comma < 0 ? value : value.slice(0, comma)).trim();
  if (comma < 0 || name === '') throw importInvalid(at, `echocanceller= takes <name>,<channels>, got '${value}'`);
  for (const channel of channelsOrFail(value.slice(comma + 1), at)) state.conf.echoCancellers.set(channel, { name: name.toLowerCase(), at });
}

function readLoadZone(state: ParseState, value: string, at: SourceRef): void {
  const zone = value.toLowerCase();
  if (!state.knownZones.has(zone)) state.conf.notes.push(note(at, `loadzone=${value}: not a tone zone DAHDI knows; not carried over`));
  else state.conf.loadZones.push({ zone, at });
}

function readDefaultZone(state: ParseState, value: string, at: SourceRef): void {
  const zone = value.toLowerCase();
  if (!state.knownZones.has(zone)) throw importInvalid(at, `defaultzone=${value}: no such tone zone (dahdi_cfg refuses it)`);
  state.conf.defaultZone = { zone, at };
}
