// Reading one digital span of the site file: line settings, signalling and its options, channel
// sets. Checks here concern the span alone (E1-only / T1-only settings, framing that cannot
// carry the signalling, channels outside the bearer timeslots, a channel in two sets).

import { isMapping, join, type Checker, type Mapping } from '../../validation/checker';
import { CHAN_DAHDI_FIELD, MFCR2_OPTION_FIELDS, SPAN_OPTION_FIELDS, readChanDahdi, readOptions } from './line-options';
import { bearerTimeslots, channelsPerSpan, dchannelTimeslot, formatRanges, parseRanges } from './channels';
import {
  CAS_PROTOCOLS, CODINGS, FRAMINGS, LINE_TYPES, MFCR2_CATEGORIES, MFCR2_VARIANTS, SIGNALLING_TYPES, SWITCHTYPES,
  type ChannelSet, type Coding, type DigitalSpan, type Framing, type LineType, type Mfcr2Variant, type SignallingType, type SpanSignalling,
  type Switchtype,
} from './site-types';

export const SPAN_KEYS = [
  'port', 'line', 'framing', 'coding', 'crc4', 'lbo', 'timing', 'signalling', 'switchtype', 'ptmp', 'mfcr2', 'protocol',
  'dchannel', 'group', 'channels', ...SPAN_OPTION_FIELDS, CHAN_DAHDI_FIELD,
];
/** `signalling: unused`: a port kept out of service; only these keys mean something on it. */
export const UNUSED = 'unused';
const UNUSED_KEYS: readonly string[] = ['port', 'line', 'signalling'];
const MFCR2_KEYS = ['variant', 'category', 'maxAni', 'maxDnis', ...MFCR2_OPTION_FIELDS];
const CHANNEL_SET_KEYS = ['timeslots', 'group'] as const;
/** OpenR2 keeps at most 80 ANI and DNIS digits (OR2_MAX_ANI/OR2_MAX_DNIS). */
const MFCR2_MAX_DIGITS = 80;
/** chan_dahdi's own defaults for mfcr2_max_ani and mfcr2_max_dnis. */
const MFCR2_MAX_ANI = 10;
const MFCR2_MAX_DNIS = 4;
/**
 * Defaults that follow the variant where its carriers differ from chan_dahdi's: Chinese carriers
 * mostly run R2 without CRC-4, and a Chinese caller ID is 11 digits for a mobile and up to 12
 * for a fixed line with its 0 and area code, which chan_dahdi's 10 would cut (20 leaves room
 * for an international caller too).
 */
const MFCR2_VARIANT_DEFAULTS: Partial<Record<Mfcr2Variant, { crc4: boolean; maxAni: number }>> = {
  cn: { crc4: false, maxAni: 20 },
};
/** Country names people write for OpenR2's variant codes. */
const MFCR2_COUNTRY_NAMES: Readonly<Record<string, Mfcr2Variant>> = {
  china: 'cn', chinese: 'cn', prc: 'cn', chn: 'cn', argentina: 'ar', brazil: 'br', brasil: 'br', czech: 'cz', czechia: 'cz',
  colombia: 'co', ecuador: 'ec', indonesia: 'id', mexico: 'mx', philippines: 'ph', venezuela: 've',
};

const SIGNALLING_BY_LINE: Record<LineType, readonly SignallingType[]> = {
  E1: ['pri_cpe', 'pri_net', 'mfcr2', 'cas'],
  T1: ['pri_cpe', 'pri_net', 'cas'],
  J1: ['pri_cpe', 'pri_net', 'cas'],
  BRI: ['bri_cpe', 'bri_net'],
};
/** Which signalling each signalling-specific key belongs to, for "has no meaning" messages. */
const KEY_OWNERS: Record<string, readonly SignallingType[]> = {
  switchtype: ['pri_cpe', 'pri_net', 'bri_cpe', 'bri_net'],
  ptmp: ['bri_cpe', 'bri_net'],
  mfcr2: ['mfcr2'],
  protocol: ['cas'],
  dchannel: ['pri_cpe', 'pri_net', 'bri_cpe', 'bri_net'],
};
const T1_SWITCHTYPES: readonly Switchtype[] = ['national', 'ni1', 'dms100', '4ess', '5ess'];
const E1_CAS_PROTOCOLS = ['em_e1'] as const;

/** A span as read, before site-wide numbering; timing is null when the user left it to us. */
export type SpanDraft = Omit<DigitalSpan, 'span' | 'baseChannel' | 'timing'> & { timing: number | null };

/** An unused port as read: its line is null when the entry leaves it to the card's line type. */
export interface UnusedDraft {
  port: number;
  line: LineType | null;
  path: string;
}

/** Resolves a group reference (number or name) to a group number, reporting unknown ones. */
export type GroupResolver = (value: unknown, path: string) => number | null;

/**
 * A `group:` value: one group (number or name) or a list of them, as chan_dahdi's `group=1,3`
 * puts a channel in several. Order is kept: the first group gives the channels their context.
 */
export function readGroupList(c: Checker, value: unknown, path: string, group: GroupResolver): number[] {
  if (!Array.isArray(value)) {
    const n = group(value, path);
    return n === null ? [] : [n];
  }
  if (value.length === 0) c.fail(path, 'lists no group; leave group out for channels in no group');
  const out: number[] = [];
  value.forEach((item, i) => {
    const n = group(item, `${path}[${i}]`);
    if (n === null) return;
    if (out.includes(n)) c.fail(`${path}[${i}]`, `group ${n} is listed twice`);
    else out.push(n);
  });
  return out;
}

/** A span entry that says `signalling: unused` (any case). */
export function isUnusedEntry(value: unknown): boolean {
  return isMapping(value) && typeof value.signalling === 'string' && value.signalling.toLowerCase() === UNUSED;
}

/** A port kept out of service: a port number and a line type, nothing to configure. */
export function readUnused(c: Checker, value: unknown, path: string, index: number): UnusedDraft | null {
  const m = c.mapping(value, path, SPAN_KEYS);
  if (m === null) return null;
  for (const key of Object.keys(m)) {
    if (SPAN_KEYS.includes(key) && !UNUSED_KEYS.includes(key)) {
      c.fail(join(path, key), `has no meaning on an unused port (it stays unconfigured); an unused port takes ${UNUSED_KEYS.join(', ')}`);
    }
  }
  return {
    port: c.int(m.port, `${path}.port`, 1, 128, index + 1),
    line: m.line === undefined ? null : c.oneOf(m.line, `${path}.line`, LINE_TYPES, undefined) ?? null,
    path,
  };
}

export function readSpan(c: Checker, value: unknown, path: string, index: number, group: GroupResolver): SpanDraft | null {
  const m = c.mapping(value, path, SPAN_KEYS);
  if (m === null) return null;
  const line = c.oneOf(m.line, `${path}.line`, LINE_TYPES, undefined) ?? 'E1';
  // `unused` is offered too, so a misspelt "unsued" gets its did-you-mean (isUnusedEntry took the right spelling).
  const named = c.oneOf(m.signalling, `${path}.signalling`, [...SIGNALLING_TYPES, UNUSED] as const, undefined);
  const signallingType = named === UNUSED ? undefined : named;
  if (signallingType !== undefined && !SIGNALLING_BY_LINE[line].includes(signallingType)) {
    c.fail(`${path}.signalling`, `"${signallingType}" cannot run on ${line}; ${line} carries ${SIGNALLING_BY_LINE[line].join(', ')}`);
  }
  const sigType = signallingType ?? SIGNALLING_BY_LINE[line][0] ?? 'pri_cpe';
  checkKeyOwners(c, m, path, sigType);
  const framing = readFraming(c, m.framing, `${path}.framing`, line, sigType);
  const coding = readCoding(c, m.coding, `${path}.coding`, line);
  const signalling = readSignalling(c, m, path, line, sigType);
  const crc4 = c.bool(m.crc4, `${path}.crc4`, line === 'E1' && (signalling.type !== 'mfcr2' || (MFCR2_VARIANT_DEFAULTS[signalling.variant]?.crc4 ?? true)));
  if (crc4 && line !== 'E1') c.fail(`${path}.crc4`, `CRC-4 is E1-only (it lives in E1's TS0); a ${line} span checks frames with ${line === 'BRI' ? 'its own layer 1' : 'ESF CRC-6'}`);
  const lbo = c.int(m.lbo, `${path}.lbo`, 0, 7, 0);
  if (line === 'BRI' && lbo !== 0) c.warn(`${path}.lbo`, 'BRI ports ignore the line build-out; write 0');
  const spanGroups = m.group === undefined ? [] : readGroupList(c, m.group, `${path}.group`, group);
  const settings: Record<string, string> = {};
  readOptions(c, m, path, 'span', sigType, settings);
  if (sigType === 'mfcr2' && isMapping(m.mfcr2)) readOptions(c, m.mfcr2, `${path}.mfcr2`, 'mfcr2', 'mfcr2', settings);
  readChanDahdi(c, m[CHAN_DAHDI_FIELD], `${path}.${CHAN_DAHDI_FIELD}`, 'channel', settings);
  return {
    port: c.int(m.port, `${path}.port`, 1, 128, index + 1),
    line,
    framing,
    coding,
    crc4,
    lbo,
    timing: m.timing === undefined ? null : c.int(m.timing, `${path}.timing`, 0, 128, 0),
    signalling,
    dchannel: c.oneOf(m.dchannel, `${path}.dchannel`, ['hardhdlc', 'dchan'] as const, 'hardhdlc') ?? 'hardhdlc',
    channels: readChannelSets(c, m, path, line, sigType, spanGroups, group),
    settings,
  };
}

function checkKeyOwners(c: Checker, m: Mapping, path: string, sig: SignallingType): void {
  for (const [key, owners] of Object.entries(KEY_OWNERS)) {
    if (m[key] !== undefined && !owners.includes(sig)) {
      c.fail(join(path, key), `has no meaning for ${sig} spans (it belongs to ${owners.join(', ')})`);
    }
  }
}

function readFraming(c: Checker, value: unknown, path: string, line: LineType, sig: SignallingType): Framing {
  const fallback: Framing = line === 'T1' || line === 'J1' ? 'esf' : sig === 'mfcr2' || sig === 'cas' ? 'cas' : 'ccs';
  const framing = c.oneOf(value, path, FRAMINGS, fallback) ?? fallback;
  const t1Family = line === 'T1' || line === 'J1';
  if (t1Family && (framing === 'ccs' || framing === 'cas')) {
    c.fail(path, `"${framing}" is E1 framing; a ${line} span takes esf or d4`);
  } else if (!t1Family && (framing === 'esf' || framing === 'd4')) {
    c.fail(path, `"${framing}" is T1/J1 framing; ${line === 'E1' ? 'an E1 span takes ccs (PRI) or cas (MFC/R2, E&M)' : 'a BRI port takes ccs'}`);
  } else if (line === 'BRI' && framing !== 'ccs') {
    c.fail(path, `a BRI port takes ccs framing, not "${framing}"`);
  } else if (line === 'E1' && (framing === 'ccs') !== sig.startsWith('pri')) {
    c.fail(path, `"${framing}" cannot carry ${sig} on E1: PRI needs ccs (D-channel in TS16), MFC/R2 and E&M need cas (ABCD bits in TS16)`);
  }
  return framing;
}

function readCoding(c: Checker, value: unknown, path: string, line: LineType): Coding {
  const fallback: Coding = line === 'E1' ? 'hdb3' : line === 'BRI' ? 'ami' : 'b8zs';
  const coding = c.oneOf(value, path, CODINGS, fallback) ?? fallback;
  if (coding === 'hdb3' && line !== 'E1') c.fail(path, `HDB3 is E1-only; a ${line} span takes ${line === 'BRI' ? 'ami' : 'b8zs or ami'}`);
  if (coding === 'b8zs' && line !== 'T1' && line !== 'J1') c.fail(path, `B8ZS is T1/J1-only; ${line === 'E1' ? 'an E1 span takes hdb3 or ami' : 'a BRI port takes ami'}`);
  return coding;
}

function readSignalling(c: Checker, m: Mapping, path: string, line: LineType, sig: SignallingType): SpanSignalling {
  switch (sig) {
    case 'pri_cpe':
    case 'pri_net':
      return { type: sig, switchtype: readSwitchtype(c, m.switchtype, `${path}.switchtype`, line) };
    case 'bri_cpe':
    case 'bri_net':
      return { type: sig, switchtype: readSwitchtype(c, m.switchtype, `${path}.switchtype`, line), ptmp: c.bool(m.ptmp, `${path}.ptmp`, false) };
    case 'mfcr2':
      return readMfcr2(c, m.mfcr2, `${path}.mfcr2`);
    case 'cas': {
      const allowed = line === 'E1' ? E1_CAS_PROTOCOLS : CAS_PROTOCOLS.filter((p) => p !== 'em_e1');
      const protocol = c.oneOf(m.protocol, `${path}.protocol`, CAS_PROTOCOLS, line === 'E1' ? 'em_e1' : 'em') ?? 'em';
      if (!(allowed as readonly string[]).includes(protocol)) {
        c.fail(`${path}.protocol`, `"${protocol}" is not ${line} E&M signalling; ${line} takes ${allowed.join(', ')}`);
      }
      return { type: 'cas', protocol };
    }
  }
}

function readSwitchtype(c: Checker, value: unknown, path: string, line: LineType): Switchtype {
  const fallback: Switchtype = line === 'T1' || line === 'J1' ? 'national' : 'euroisdn';
  // NI-2 is what carriers call it; chan_dahdi calls it "national".
  const v = typeof value === 'string' && value.toLowerCase() === 'ni2' ? 'national' : value;
  const switchtype = c.oneOf(v, path, SWITCHTYPES, fallback) ?? fallback;
  if (line === 'E1' && T1_SWITCHTYPES.includes(switchtype)) {
    c.warn(path, `${switchtype} is a North American T1 switch; E1 carriers speak euroisdn (or qsig between PBXs)`);
  }
  if ((line === 'T1' || line === 'J1') && switchtype === 'euroisdn') {
    c.warn(path, 'euroisdn on a T1/J1 span is unusual; North American carriers speak national (NI-2), dms100, 4ess or 5ess');
  }
  return switchtype;
}

function readMfcr2(c: Checker, value: unknown, path: string): SpanSignalling {
  const m = c.mapping(value ?? {}, path, MFCR2_KEYS) ?? {};
  const variant = readVariant(c, m.variant, `${path}.variant`);
  const defaults = MFCR2_VARIANT_DEFAULTS[variant];
  return {
    type: 'mfcr2',
    variant,
    category: c.oneOf(m.category, `${path}.category`, MFCR2_CATEGORIES, 'national_subscriber') ?? 'national_subscriber',
    maxAni: c.int(m.maxAni, `${path}.maxAni`, 1, MFCR2_MAX_DIGITS, defaults?.maxAni ?? MFCR2_MAX_ANI),
    maxDnis: c.int(m.maxDnis, `${path}.maxDnis`, 1, MFCR2_MAX_DIGITS, MFCR2_MAX_DNIS),
  };
}

/** OpenR2 names variants by country code; people write the country ("china"): say which code they mean. */
function readVariant(c: Checker, value: unknown, path: string): Mfcr2Variant {
  const named = typeof value === 'string' ? MFCR2_COUNTRY_NAMES[value.trim().toLowerCase()] : undefined;
  if (named === undefined) return c.oneOf(value, path, MFCR2_VARIANTS, undefined) ?? 'itu';
  c.fail(path, `"${String(value)}" is not one of ${MFCR2_VARIANTS.join(', ')} (did you mean "${named}"? OpenR2 names variants by country code)`);
  return named;
}

/** Channel sets of a span; by default one set with every bearer timeslot in the span's groups. */
function readChannelSets(
  c: Checker, m: Mapping, path: string, line: LineType, sig: SignallingType, spanGroups: number[], group: GroupResolver,
): ChannelSet[] {
  const bearers = bearerTimeslots(line, sig);
  if (m.channels === undefined) return [{ timeslots: bearers, groups: spanGroups }];
  const list = c.list(m.channels, `${path}.channels`) ?? [];
  const owner = new Map<number, number>();
  const sets: ChannelSet[] = [];
  list.forEach((item, i) => {
    const p = `${path}.channels[${i}]`;
    const s = c.mapping(item, p, CHANNEL_SET_KEYS);
    if (s === null) return;
    const timeslots = readTimeslots(c, s.timeslots, `${p}.timeslots`, line, sig, bearers);
    for (const ts of timeslots) {
      const first = owner.get(ts);
      if (first !== undefined) c.fail(`${p}.timeslots`, `timeslot ${ts} is already in ${path}.channels[${first}]; a channel belongs to one set (list several groups in its group: [1, 3])`);
      else owner.set(ts, i);
    }
    sets.push({ timeslots, groups: s.group === undefined ? spanGroups : readGroupList(c, s.group, `${p}.group`, group) });
  });
  return sets;
}

function readTimeslots(c: Checker, value: unknown, path: string, line: LineType, sig: SignallingType, bearers: readonly number[]): number[] {
  if (value === undefined) {
    c.fail(path, `is required: positions in the span, e.g. ${formatRanges(bearers)}`);
    return [];
  }
  const parsed = parseRanges(value);
  if (!Array.isArray(parsed)) {
    c.fail(path, parsed.error);
    return [];
  }
  const d = dchannelTimeslot(line, sig);
  const bad = parsed.filter((ts) => !bearers.includes(ts));
  if (bad.length === 0) return parsed;
  const first = bad[0] as number;
  const why = first === d
    ? `timeslot ${first} carries the D-channel of ${line} ${sig}`
    : first === 16 && line === 'E1'
      ? 'TS16 carries the ABCD signalling bits on an E1 CAS span'
      : `${line} has positions 1-${channelsPerSpan(line)}`;
  c.fail(path, `${formatRanges(bad)} cannot carry calls: ${why}; bearer channels are ${formatRanges(bearers)}`);
  return parsed.filter((ts) => bearers.includes(ts));
}
