// The fixed layout of the simulated hardware, computed once from a scenario: DAHDI span and
// channel numbering (global, consecutive, TS16 included on E1), names, line config bits,
// signalling types and idle ABCD bits. Pure: no state, no time.

import { CHANNELS_PER_SPAN, LINECONFIG_BITS, SIGTYPES } from '../dahdi-constants';
import type { SpanType } from '../types';
import { driverModel, formatSpanName, spanLocation, type DigitalLine, type DriverModel } from './driver-models';
import type { CardSpec, DigitalSpanSpec, Scenario, Signalling } from './scenario-types';

/** How a channel behaves: what its rx bits and hook mean, which events its owner gets. */
export type ChannelRole = 'bearer' | 'dchannel' | 'cas' | 'em' | 'fxo-port' | 'fxs-port' | 'unused';

export interface ChannelLayout {
  channel: number;
  span: number;
  position: number;
  name: string;
  role: ChannelRole;
  sigtype: number;
  sigcap: number;
  /** ABCD bits of an idle line, or null when the channel carries no CAS/robbed bits. */
  idleBits: number | null;
}

export interface SpanLayout {
  span: number;
  cardIndex: number;
  driver: string;
  line: DigitalLine | 'analog';
  signalling: Signalling | null;
  /** Sync priority (0 = never a clock source) and the back-to-back peer span, if any. */
  timing: number;
  wiredTo: number | null;
  name: string;
  description: string;
  spanType: SpanType;
  spanTypeText: string;
  lineConfig: number;
  linecompat: number;
  lbo: number;
  lboName: string;
  location: string;
  manufacturer: string;
  deviceType: string;
  baseChannel: number;
  configuredChannels: number;
  channels: ChannelLayout[];
}

export interface Topology {
  spans: SpanLayout[];
  /** Index = global channel number; index 0 unused. */
  channels: (ChannelLayout | undefined)[];
  channelCount: number;
}

/** dahdi-base's names for the eight LBO settings. */
const LBO_NAMES = [
  '0 db (CSU)/0-133 feet (DSX-1)', '133-266 feet (DSX-1)', '266-399 feet (DSX-1)', '399-533 feet (DSX-1)',
  '533-655 feet (DSX-1)', '-7.5db (CSU)', '-15db (CSU)', '-22.5db (CSU)',
];

const L = LINECONFIG_BITS;
const LINECOMPAT: Record<DigitalLine | 'analog', number> = {
  E1: L.AMI | L.HDB3 | L.CCS | L.CRC4,
  T1: L.AMI | L.B8ZS | L.D4 | L.ESF,
  J1: L.AMI | L.B8ZS | L.D4 | L.ESF,
  BRI: L.AMI | L.CCS,
  analog: 0,
};

const S = SIGTYPES;
const DIGITAL_SIGCAP = S.EM | S.CLEAR | S.EM_E1 | S.FXSLS | S.FXSGS | S.FXSKS | S.FXOLS | S.FXOGS | S.FXOKS |
  S.CAS | S.DACS_RBS | S.HARDHDLC | S.MTP2;
const FXO_PORT_SIGCAP = S.FXSKS | S.FXSLS | S.SF | S.CLEAR;
const FXS_PORT_SIGCAP = S.FXOKS | S.FXOLS | S.FXOGS | S.SF | S.EM | S.CLEAR;

/** ABCD of an idle trunk: MFC/R2 line signalling idles at 1001, E1 CAS at 0001, T1 E&M at 0000. */
const IDLE_BITS: Partial<Record<Signalling, number>> = { mfcr2: 0b1001, cas: 0b0001 };

export function lineConfigFor(spec: DigitalSpanSpec): number {
  let bits = 0;
  if (spec.framing === 'ccs') bits |= L.CCS;
  if (spec.framing === 'esf') bits |= L.ESF;
  if (spec.framing === 'd4') bits |= L.D4;
  if (spec.coding === 'hdb3') bits |= L.HDB3;
  if (spec.coding === 'b8zs') bits |= L.B8ZS;
  if (spec.coding === 'ami') bits |= L.AMI;
  if (spec.crc4) bits |= L.CRC4;
  if (spec.signalling === 'bri_nt') bits |= L.NTTE;
  return bits;
}

export function buildTopology(scenario: Scenario): Topology {
  const spans: SpanLayout[] = [];
  const perDriver = new Map<string, number>();
  let nextChannel = 1;
  scenario.cards.forEach((card, cardIndex) => {
    const model = driverModel(card.driver);
    if (!model) throw new RangeError(`no driver model for ${card.driver}`);
    // Drivers number their cards from 0 in probe order, each driver on its own.
    const cardNumber = perDriver.get(card.driver) ?? 0;
    perDriver.set(card.driver, cardNumber + 1);
    const ctx = { card, cardIndex, cardNumber, model };
    const made = card.ports.length > 0
      ? [analogSpan(ctx, spans.length + 1, nextChannel)]
      : card.spans.map((spec, i) => digitalSpan(ctx, spec, i + 1, spans.length + 1 + i, nextChannel + spanChannelsBefore(card, i)));
    for (const s of made) {
      spans.push(s);
      nextChannel += s.channels.length;
    }
  });
  const channels: (ChannelLayout | undefined)[] = [undefined];
  for (const s of spans) channels.push(...s.channels);
  return { spans, channels, channelCount: nextChannel - 1 };
}

interface CardContext {
  card: CardSpec;
  cardIndex: number;
  cardNumber: number;
  model: DriverModel;
}

function spanChannelsBefore(card: CardSpec, index: number): number {
  return card.spans.slice(0, index).reduce((n, s) => n + CHANNELS_PER_SPAN[s.type], 0);
}

function common(ctx: CardContext, port: number, line: DigitalLine | 'analog') {
  const facts = { spansOnCard: Math.max(1, ctx.card.spans.length), card: ctx.cardNumber, port, model: ctx.card.model, line };
  return {
    cardIndex: ctx.cardIndex,
    driver: ctx.card.driver,
    line,
    name: formatSpanName(ctx.model.nameFormat, facts),
    description: formatSpanName(ctx.model.descFormat, facts),
    location: spanLocation(ctx.card.location),
    manufacturer: ctx.card.vendor,
    deviceType: ctx.card.model,
    linecompat: LINECOMPAT[line],
  };
}

function digitalSpan(ctx: CardContext, spec: DigitalSpanSpec, port: number, span: number, base: number): SpanLayout {
  const c = common(ctx, port, spec.type);
  const total = CHANNELS_PER_SPAN[spec.type];
  const channels = Array.from({ length: total }, (_, i) => digitalChannel(c.name, spec, span, base + i, i + 1));
  return {
    ...c,
    span,
    signalling: spec.signalling,
    timing: spec.timing,
    wiredTo: spec.wiredTo,
    spanType: ctx.model.reportedType?.spanType ?? spec.type,
    spanTypeText: ctx.model.reportedType?.text ?? spec.type,
    lineConfig: lineConfigFor(spec),
    lbo: spec.lbo,
    lboName: LBO_NAMES[spec.lbo] ?? '',
    baseChannel: base,
    configuredChannels: channels.filter((ch) => ch.role !== 'unused').length,
    channels,
  };
}

/** The D-channel timeslot: TS16 on E1, channel 24 on T1/J1, the third channel on BRI. */
export function dchannelPosition(line: DigitalLine): number {
  return line === 'E1' ? 16 : line === 'BRI' ? 3 : 24;
}

function digitalChannel(spanName: string, spec: DigitalSpanSpec, span: number, channel: number, position: number): ChannelLayout {
  const base = { channel, span, position, name: `${spanName}/${position}`, sigcap: DIGITAL_SIGCAP };
  const isPri = spec.signalling.startsWith('pri') || spec.signalling.startsWith('bri');
  if (isPri) {
    const d = position === dchannelPosition(spec.type);
    return { ...base, role: d ? 'dchannel' : 'bearer', sigtype: d ? S.HARDHDLC : S.CLEAR, idleBits: null };
  }
  if (spec.type !== 'E1') return { ...base, role: 'em', sigtype: S.EM, idleBits: 0 };
  // E1 CAS carries the ABCD bits of every channel in TS16, which is therefore no channel itself.
  if (position === 16) return { ...base, role: 'unused', sigtype: S.NONE, idleBits: null };
  return { ...base, role: 'cas', sigtype: S.CAS, idleBits: IDLE_BITS[spec.signalling] ?? 0b0001 };
}

function analogSpan(ctx: CardContext, span: number, base: number): SpanLayout {
  const c = common(ctx, 1, 'analog');
  const channels = ctx.card.ports.map((port, i): ChannelLayout => ({
    channel: base + i,
    span,
    position: i + 1,
    // Analog drivers name channels from 0 (WCTDM/0/0).
    name: `${c.name}/${i}`,
    // DAHDI names signalling from the far side: an FXO port speaks FXS signalling and vice versa.
    role: port.type === 'fxo' ? 'fxo-port' : 'fxs-port',
    sigtype: port.type === 'fxo' ? S.FXSKS : S.FXOKS,
    sigcap: port.type === 'fxo' ? FXO_PORT_SIGCAP : FXS_PORT_SIGCAP,
    idleBits: null,
  }));
  const kinds = new Set(ctx.card.ports.map((p) => p.type));
  // SPANSTAT's spantype is char[6]: "ANALOG_MIXED" arrives cut to "ANALO", like "DYNAMIC" to "DYNAM".
  const text = kinds.size > 1 ? 'ANALO' : kinds.has('fxo') ? 'FXO' : 'FXS';
  return {
    ...c,
    span,
    signalling: null,
    timing: 0,
    wiredTo: null,
    spanType: 'ANALOG',
    spanTypeText: text,
    lineConfig: 0,
    lbo: 0,
    lboName: LBO_NAMES[0] ?? '',
    baseChannel: base,
    configuredChannels: channels.length,
    channels,
  };
}
