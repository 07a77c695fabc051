// Combines what system.conf and chan_dahdi.conf say into the site model. system.conf decides
// which spans and channels exist and how lines are framed; chan_dahdi.conf decides signalling,
// groups and contexts. Whatever the model cannot hold, or holds only once where the files say
// it several ways (two contexts in one group, two echo cancellers), becomes a note naming the
// line it came from. Pure: the caller reads the files.

import { CHANNELS_PER_SPAN } from '../../hardware/dahdi-constants';
import {
  MFCR2_CATEGORIES, MFCR2_VARIANTS, SWITCHTYPES, TONE_ZONES,
  type AnalogPort, type CasProtocol, type ChannelSet, type DigitalSpan,
  type LineType, type Presentation, type Mfcr2Category, type Mfcr2Variant, type SiteConfig, type SpanSignalling, type Switchtype,
  type ToneZone, type TrunkGroup,
} from '../site/site-types';
import type { SourceRef } from './conf-lexer';
import type { ChanDahdiChannel, ChanDahdiConf, Setting } from './chan-dahdi-parser';
import { layoutCards, type AnalogUnit, type DigitalUnit, type HardwarePins, type Unit } from './card-layout';
import { channelSettings, globalSettings, isCarriedKey, mostCommon, pickEcho, siteEcho, type EchoSeen } from './channel-settings';
import { formatChannelList } from './channel-list';
import { importInvalid, note, type ImportNote } from './import-notes';
import type { SystemChannel, SystemConf, SystemSpan } from './system-conf-parser';

export interface BuildOptions {
  name: string;
  /** assigned-spans.conf and span-types.conf as read, or null when the box has none. */
  pins: HardwarePins | null;
}

/** chan_dahdi's own defaults, used when a channel's settings leave a key out. */
const CHAN_DAHDI_DEFAULTS = { context: 'default', switchtype: 'national', mfcr2Variant: 'itu', maxAni: 10, maxDnis: 4 } as const;

const CAS_SIGNALLING: readonly CasProtocol[] = ['em', 'em_w', 'em_e1', 'featd', 'featdmf', 'featdmf_ta', 'featb', 'e911'];

/** A channel's context and caller-ID presentation, and the line that set the context. */
interface ContextSeen {
  context: string;
  presentation: Presentation;
  at: SourceRef;
}

interface Ctx {
  notes: ImportNote[];
  chanByNumber: ReadonlyMap<number, ChanDahdiChannel>;
  haveChanDahdi: boolean;
  /** group number -> contexts seen, with where, to pick one and report the others. */
  groupContexts: Map<number, ContextSeen[]>;
  groupSections: Map<number, Set<string>>;
  ungroupedContexts: ContextSeen[];
  /** Channel sets and ports in groups, with their channels' contexts, to order once groups are known. */
  members: Array<{ target: { groups: number[] }; contexts: ContextSeen[] }>;
  /** Each carried channel's echo canceller, by channel number. */
  echo: Map<number, EchoSeen>;
}

export function buildSite(system: SystemConf, chan: ChanDahdiConf | null, options: BuildOptions): { site: SiteConfig; notes: ImportNote[] } {
  const ctx: Ctx = {
    notes: [],
    chanByNumber: new Map((chan?.channels ?? []).map((c) => [c.channel, c])),
    haveChanDahdi: chan !== null,
    groupContexts: new Map(),
    groupSections: new Map(),
    ungroupedContexts: [],
    members: [],
    echo: new Map(),
  };
  const carried = new Set<number>();
  const robbedBit = robbedBitChannels(ctx, system);
  const digital: DigitalUnit[] = system.spans.flatMap((source) => {
    const channels = system.channels.filter((c) => c.span === source.span);
    if (channels.length === 0 && robbedBit.some((c) => c.afterSpan === source.span)) return [];
    const span = buildDigitalSpan(ctx, source, channels, system, carried);
    return span === null ? [] : [{ kind: 'digital' as const, span, source }];
  });
  const analog = buildAnalogUnits(ctx, { ...system, channels: system.channels.filter((c) => !robbedBit.includes(c)) }, digital.map((u) => u.span), carried);
  for (const c of robbedBit) carried.add(c.channel);
  reportLeftovers(ctx, system, chan, carried);
  const groups = buildGroups(ctx);
  orderMembers(ctx, groups);
  const cards = layoutCards([...digital, ...analog], ctx.notes, options.pins, (units) => cardEcho(ctx, units));
  const site: SiteConfig = {
    name: options.name,
    toneZone: pickToneZone(ctx, system),
    ...siteEcho([...ctx.echo.values()]),
    // Without digital spans there is no clock to take; network is the site file's default then.
    clock: digital.length > 0 && !digital.some((u) => u.span.timing > 0) ? 'internal' : 'network',
    defaultContext: pickDefaultContext(ctx),
    cards,
    groups,
    routes: [],
    // chan_dahdi.conf carries no routing rules; an imported site starts without them.
    timezone: 'UTC',
    routing: null,
    chanDahdi: globalSettings(chan?.channels ?? []),
  };
  return { site, notes: ctx.notes };
}

// ---- digital spans ------------------------------------------------------------------------

function lineTypeOf(span: SystemSpan, channels: readonly SystemChannel[]): LineType {
  if (span.framing === 'esf' || span.framing === 'd4' || span.coding === 'b8zs') return 'T1';
  const hasD = channels.some((c) => c.kind === 'hardhdlc' || c.kind === 'dchan');
  if (span.coding === 'ami' && channels.length > 0 && channels.length <= 3 && hasD) return 'BRI';
  return 'E1';
}

function dTimeslot(line: LineType): number {
  return line === 'E1' ? 16 : line === 'BRI' ? 3 : 24;
}

function buildDigitalSpan(ctx: Ctx, span: SystemSpan, channels: readonly SystemChannel[], system: SystemConf, carried: Set<number>): DigitalSpan | null {
  if (channels.length === 0) {
    ctx.notes.push(note(span.at, `span ${span.span} has no channels configured; not carried over`));
    return null;
  }
  const line = lineTypeOf(span, channels);
  const width = CHANNELS_PER_SPAN[line];
  const d = channels.find((c) => c.kind === 'hardhdlc' || c.kind === 'dchan');
  const base = d ? d.channel - dTimeslot(line) + 1 : Math.min(...channels.map((c) => c.channel));
  for (const c of channels) {
    if (c.channel < base || c.channel >= base + width) {
      throw importInvalid(c.at, `channel ${c.channel} cannot be on span ${span.span}: ${line === 'E1' ? 'an' : 'a'} ${line} span has ${width} channels (${base}-${base + width - 1} here)`);
    }
  }
  const bearers = channels.filter((c) => c.kind === 'bchan' || c.kind === 'cas' || c.kind === 'e&m' || c.kind === 'e&me1');
  for (const c of channels) {
    if (c !== d && !bearers.includes(c) && !(c.kind === 'dchan' || c.kind === 'hardhdlc')) {
      ctx.notes.push(note(c.at, `channel ${c.channel} (${c.kind}) on span ${span.span} not carried over: the site model has only bearer and D channels`));
    }
  }
  const signalling = spanSignalling(ctx, span, line, bearers, d ?? null);
  if (signalling === null) return null;
  const dInModel = signalling.type !== 'mfcr2' && signalling.type !== 'cas';
  if (d && !dInModel) {
    ctx.notes.push(note(d.at, `${d.kind}=${d.channel} not carried over: a ${signalling.type} span has no D-channel (TS16 carries its ABCD bits)`));
  }
  const sets = channelSets(ctx, bearers, base, span.span);
  for (const c of bearers) carried.add(c.channel);
  if (d) carried.add(d.channel);
  for (const c of bearers) recordEcho(ctx, system, c.channel);
  const settings = channelSettings(bearers.flatMap((c) => ctx.chanByNumber.get(c.channel) ?? []), signalling.type, { text: `span ${span.span}`, at: span.at }, ctx.notes);
  if (span.yellow) ctx.notes.push(note(span.at, `span ${span.span}: 'yellow' (send yellow alarm while closed) not carried over`));
  if (span.term || span.side !== null) ctx.notes.push(note(span.at, `span ${span.span}: BRI nt/te/term keywords not carried over; the signalling (bri_cpe/bri_net) says the side`));
  return {
    port: 0,
    span: span.span,
    baseChannel: base,
    line,
    framing: span.framing,
    coding: span.coding,
    crc4: span.crc4,
    lbo: span.lbo,
    timing: span.timing,
    signalling,
    dchannel: d?.kind === 'dchan' && dInModel ? 'dchan' : 'hardhdlc',
    channels: sets,
    settings,
  };
}


function settingOf(ctx: Ctx, channel: number, key: string): Setting | undefined {
  return ctx.chanByNumber.get(channel)?.settings.get(key);
}

function spanSignalling(ctx: Ctx, span: SystemSpan, line: LineType, bearers: readonly SystemChannel[], d: SystemChannel | null): SpanSignalling | null {
  const withChan = bearers.filter((c) => ctx.chanByNumber.has(c.channel));
  const names = withChan.map((c) => (settingOf(ctx, c.channel, 'signalling')?.value ?? '').toLowerCase());
  const chosen = mostCommon(names);
  if (new Set(names).size > 1) {
    ctx.notes.push(note(span.at, `span ${span.span}: channels use different signalling (${[...new Set(names)].join(', ')}); the site uses ${chosen} for the whole span`));
  }
  const sample = withChan.find((c) => settingOf(ctx, c.channel, 'signalling')?.value.toLowerCase() === chosen);
  if (chosen === undefined || sample === undefined) return guessSignalling(ctx, span, line, bearers, d);
  return signallingFromChanDahdi(ctx, span, chosen, sample.channel, bearers);
}

/** One value for the span, and a note when the span's channels disagree. */
function spanValue(ctx: Ctx, span: SystemSpan, bearers: readonly SystemChannel[], key: string): Setting | undefined {
  const found = bearers.map((c) => settingOf(ctx, c.channel, key)).filter((s): s is Setting => s !== undefined);
  const chosen = mostCommon(found.map((s) => s.value));
  if (new Set(found.map((s) => s.value)).size > 1) {
    ctx.notes.push(note(span.at, `span ${span.span}: ${key} differs between its channels; the site keeps ${chosen}`));
  }
  return found.find((s) => s.value === chosen);
}

function signallingFromChanDahdi(ctx: Ctx, span: SystemSpan, name: string, sampleChannel: number, bearers: readonly SystemChannel[]): SpanSignalling | null {
  const sigAt = settingOf(ctx, sampleChannel, 'signalling')?.at ?? span.at;
  if (name === 'pri_cpe' || name === 'pri_net' || name.startsWith('bri_')) {
    const switchtype = readSwitchtype(spanValue(ctx, span, bearers, 'switchtype'));
    if (name === 'pri_cpe' || name === 'pri_net') return { type: name, switchtype };
    return { type: name.startsWith('bri_cpe') ? 'bri_cpe' : 'bri_net', switchtype, ptmp: name.endsWith('_ptmp') };
  }
  if (name === 'mfcr2') return mfcr2Signalling(ctx, span, bearers);
  if ((CAS_SIGNALLING as readonly string[]).includes(name)) return { type: 'cas', protocol: name as CasProtocol };
  ctx.notes.push(note(sigAt, `span ${span.span}: signalling ${name} on a digital span is not in the site model; span not carried over`));
  return null;
}

function readSwitchtype(setting: Setting | undefined): Switchtype {
  if (setting === undefined) return CHAN_DAHDI_DEFAULTS.switchtype;
  const value = setting.value.toLowerCase();
  if (!(SWITCHTYPES as readonly string[]).includes(value)) {
    throw importInvalid(setting.at, `unknown switchtype '${setting.value}' (chan_dahdi refuses it); one of ${SWITCHTYPES.join(', ')}`);
  }
  return value as Switchtype;
}

function readCount(ctx: Ctx, setting: Setting | undefined, fallback: number): number {
  if (setting === undefined) return fallback;
  const n = Number(setting.value);
  if (Number.isInteger(n) && n >= 1 && n <= 80) return n;
  ctx.notes.push(note(setting.at, `'${setting.value}' is not a digit count 1-80 (OpenR2's limit); ${fallback} (chan_dahdi's default) used`));
  return fallback;
}

function mfcr2Signalling(ctx: Ctx, span: SystemSpan, bearers: readonly SystemChannel[]): SpanSignalling {
  const variantSetting = spanValue(ctx, span, bearers, 'mfcr2_variant');
  const variant = (variantSetting?.value ?? CHAN_DAHDI_DEFAULTS.mfcr2Variant).toLowerCase();
  if (!(MFCR2_VARIANTS as readonly string[]).includes(variant)) {
    throw importInvalid(variantSetting?.at ?? span.at, `unknown MFC/R2 variant '${variant}' (chan_dahdi refuses it); one of ${MFCR2_VARIANTS.join(', ')}`);
  }
  const categorySetting = spanValue(ctx, span, bearers, 'mfcr2_category');
  let category = (categorySetting?.value ?? 'national_subscriber').toLowerCase();
  if (!(MFCR2_CATEGORIES as readonly string[]).includes(category)) {
    ctx.notes.push(note(categorySetting?.at ?? span.at, `MFC/R2 category '${category}' unknown; national_subscriber used, as chan_dahdi does`));
    category = 'national_subscriber';
  }
  return {
    type: 'mfcr2',
    variant: variant as Mfcr2Variant,
    category: category as Mfcr2Category,
    maxAni: readCount(ctx, spanValue(ctx, span, bearers, 'mfcr2_max_ani'), CHAN_DAHDI_DEFAULTS.maxAni),
    maxDnis: readCount(ctx, spanValue(ctx, span, bearers, 'mfcr2_max_dnis'), CHAN_DAHDI_DEFAULTS.maxDnis),
  };
}

/** No chan_dahdi.conf entry for the span: what dahdi_genconf would have meant, said in a note. */
function guessSignalling(ctx: Ctx, span: SystemSpan, line: LineType, bearers: readonly SystemChannel[], d: SystemChannel | null): SpanSignalling | null {
  const kinds = new Set(bearers.map((c) => c.kind));
  let guess: SpanSignalling | null = null;
  if (kinds.has('bchan') && d !== null) {
    const net = span.termtype === 'nt';
    const switchtype: Switchtype = line === 'E1' || line === 'BRI' ? 'euroisdn' : 'national';
    guess = line === 'BRI' ? { type: net ? 'bri_net' : 'bri_cpe', switchtype, ptmp: false } : { type: net ? 'pri_net' : 'pri_cpe', switchtype };
  } else if (kinds.has('cas') && line === 'E1') {
    guess = { type: 'mfcr2', variant: 'itu', category: 'national_subscriber', maxAni: CHAN_DAHDI_DEFAULTS.maxAni, maxDnis: CHAN_DAHDI_DEFAULTS.maxDnis };
  } else if (kinds.has('e&me1')) {
    guess = { type: 'cas', protocol: 'em_e1' };
  } else if (kinds.has('e&m')) {
    guess = { type: 'cas', protocol: 'em' };
  }
  if (guess === null) {
    ctx.notes.push(note(span.at, `span ${span.span}: no chan_dahdi.conf entry and no way to tell its signalling; not carried over`));
    return null;
  }
  ctx.notes.push(note(span.at, `span ${span.span}: no chan_dahdi.conf entry; signalling guessed as ${describe(guess)} - check it`));
  return guess;
}

function describe(s: SpanSignalling): string {
  if (s.type === 'mfcr2') return `mfcr2 variant ${s.variant}`;
  if (s.type === 'cas') return `cas ${s.protocol}`;
  return `${s.type} ${s.switchtype}`;
}

// ---- groups and contexts --------------------------------------------------------------------

/** chan_dahdi's group=: numbers and ranges 0-63, in the order written, each once. */
function channelGroups(ctx: Ctx, channel: number): number[] {
  const setting = settingOf(ctx, channel, 'group');
  if (setting === undefined || setting.value.trim() === '') return [];
  const numbers: number[] = [];
  for (const piece of setting.value.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(piece);
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let n = from; n <= to && n <= 63; n++) if (!numbers.includes(n)) numbers.push(n);
  }
  return numbers;
}

/** Records the channel's context for each of its groups (or as ungrouped), and returns it. */
function recordContext(ctx: Ctx, chan: ChanDahdiChannel, groups: readonly number[]): ContextSeen {
  const setting = chan.settings.get('context');
  const entry = { context: setting?.value || CHAN_DAHDI_DEFAULTS.context, presentation: presentationOf(chan), at: setting?.at ?? chan.at };
  if (groups.length === 0) ctx.ungroupedContexts.push(entry);
  for (const group of groups) {
    ctx.groupContexts.set(group, [...(ctx.groupContexts.get(group) ?? []), entry]);
    ctx.groupSections.set(group, (ctx.groupSections.get(group) ?? new Set<string>()).add(chan.section));
  }
  return entry;
}

function channelSets(ctx: Ctx, bearers: readonly SystemChannel[], base: number, span: number): ChannelSet[] {
  const byGroups = new Map<string, { set: ChannelSet; contexts: ContextSeen[] }>();
  const missing = bearers.filter((c) => !ctx.chanByNumber.has(c.channel)).map((c) => c.channel);
  const firstMissing = bearers.find((c) => !ctx.chanByNumber.has(c.channel));
  if (ctx.haveChanDahdi && firstMissing) {
    ctx.notes.push(note(firstMissing.at, `span ${span}: channels ${formatChannelList(missing)} are not in chan_dahdi.conf; the site gives them to Asterisk without a group`));
  }
  for (const c of bearers) {
    const chan = ctx.chanByNumber.get(c.channel);
    const groups = chan ? channelGroups(ctx, c.channel) : [];
    const key = groups.join(',');
    const entry = byGroups.get(key) ?? { set: { timeslots: [], groups }, contexts: [] };
    if (chan) entry.contexts.push(recordContext(ctx, chan, groups));
    entry.set.timeslots.push(c.channel - base + 1);
    byGroups.set(key, entry);
  }
  if (byGroups.size > 1) {
    const first = bearers[0];
    if (first) ctx.notes.push(note(first.at, `span ${span}: channels are split over ${byGroups.size} group lists; kept as ${byGroups.size} channel sets`));
  }
  for (const { set, contexts } of byGroups.values()) if (set.groups.length > 0) ctx.members.push({ target: set, contexts });
  return [...byGroups.values()].map((e) => e.set);
}

function buildGroups(ctx: Ctx): TrunkGroup[] {
  return [...ctx.groupContexts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([number, contexts]) => {
      const context = mostCommon(contexts.map((c) => c.context)) ?? CHAN_DAHDI_DEFAULTS.context;
      const presentation = mostCommon(contexts.map((c) => c.presentation)) ?? 'allowed';
      const sections = [...(ctx.groupSections.get(number) ?? [])];
      const onlySection = sections.length === 1 && sections[0] !== 'channels' ? sections[0] : undefined;
      return { number, name: onlySection ?? `group-${number}`, context, direction: 'both', presentation, hunt: 'ascending' };
    });
}

/** chan_dahdi's caller-ID presentation of a channel: usecallingpres passes the call's own through. */
function presentationOf(chan: ChanDahdiChannel): Presentation {
  const yes = (key: string): boolean => /^(yes|true|y|t|1|on)$/i.test(chan.settings.get(key)?.value.trim() ?? '');
  if (yes('usecallingpres')) return 'passthrough';
  return yes('hidecallerid') ? 'restricted' : 'allowed';
}

/**
 * The site gives a channel its first group's context. Puts first the group whose context is the
 * one the channels had (group=0,12 with context=b becomes [12, 0] when group 0 answers in a);
 * a context no group of theirs keeps is reported.
 */
function orderMembers(ctx: Ctx, groups: readonly TrunkGroup[]): void {
  const contextOf = (n: number): string | undefined => groups.find((g) => g.number === n)?.context;
  for (const { target, contexts } of ctx.members) {
    const wanted = mostCommon(contexts.map((c) => c.context));
    const primary = target.groups.find((n) => contextOf(n) === wanted) ?? (target.groups[0] as number);
    target.groups.splice(target.groups.indexOf(primary), 1);
    target.groups.unshift(primary);
    const kept = contextOf(primary);
    for (const other of contexts.filter((c) => c.context !== kept)) {
      ctx.notes.push(note(other.at, `group ${primary}: context ${other.context} differs from the group's ${kept ?? ''}; the site keeps one context per group`));
    }
  }
}

function pickDefaultContext(ctx: Ctx): string {
  const context = mostCommon(ctx.ungroupedContexts.map((c) => c.context)) ?? CHAN_DAHDI_DEFAULTS.context;
  const reported = new Set<string>();
  for (const other of ctx.ungroupedContexts.filter((c) => c.context !== context)) {
    if (reported.has(other.context)) continue;
    reported.add(other.context);
    ctx.notes.push(note(other.at, `channels without a group use context ${other.context}, others ${context}; the site has one context for ungrouped channels (${context})`));
  }
  return context;
}

// ---- analog cards ---------------------------------------------------------------------------

/**
 * FXS/FXO keywords right under a span= line that has no bearer channels of its own: robbed-bit
 * signalling on a T1/E1 (a channel bank), which the site model does not have. A "# Span N:"
 * comment naming another span means an analog card instead, as dahdi_genconf writes it.
 */
function robbedBitChannels(ctx: Ctx, system: SystemConf): SystemChannel[] {
  const found = system.channels.filter((c) => {
    if (c.span !== null || ANALOG_PORT[c.kind] === undefined || c.afterSpan === null) return false;
    if (c.commentSpan !== null && c.commentSpan !== c.afterSpan) return false;
    return !system.channels.some((d) => d.span === c.afterSpan);
  });
  for (const span of new Set(found.map((c) => c.afterSpan))) {
    const channels = found.filter((c) => c.afterSpan === span);
    const first = channels[0] as SystemChannel;
    ctx.notes.push(note(first.at, `span ${span}: robbed-bit ${[...new Set(channels.map((c) => c.kind))].join('/')} channels ${formatChannelList(channels.map((c) => c.channel))} ` +
      'not carried over: the site model has no FXS/FXO signalling on a digital span; span not carried over'));
  }
  return found;
}

const ANALOG_PORT: Partial<Record<SystemChannel['kind'], Pick<AnalogPort, 'type' | 'start'>>> = {
  // DAHDI names signalling from the far end: fxs* runs an FXO port, fxo* an FXS port.
  fxsls: { type: 'fxo', start: 'loop' },
  fxsks: { type: 'fxo', start: 'kewl' },
  fxsgs: { type: 'fxo', start: 'ground' },
  fxols: { type: 'fxs', start: 'loop' },
  fxoks: { type: 'fxs', start: 'kewl' },
  fxogs: { type: 'fxs', start: 'ground' },
};

function analogRuns(system: SystemConf, digital: readonly DigitalSpan[]): SystemChannel[][] {
  const ports = system.channels.filter((c) => c.span === null && ANALOG_PORT[c.kind] !== undefined);
  const digitalChannel = (n: number): boolean => digital.some((s) => n >= s.baseChannel && n < s.baseChannel + CHANNELS_PER_SPAN[s.line]);
  const runs: SystemChannel[][] = [];
  let run: SystemChannel[] = [];
  for (const c of ports) {
    const prev = run[run.length - 1];
    const split = prev !== undefined && (prev.commentSpan !== c.commentSpan || range(prev.channel + 1, c.channel).some(digitalChannel));
    if (split) {
      runs.push(run);
      run = [];
    }
    run.push(c);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function buildAnalogUnits(ctx: Ctx, system: SystemConf, digital: readonly DigitalSpan[], carried: Set<number>): AnalogUnit[] {
  return analogRuns(system, digital).map((run, index) => {
    const first = run[0] as SystemChannel;
    const base = first.channel;
    const ports = run.map((c) => analogPort(ctx, system, c, base));
    for (const c of run) carried.add(c.channel);
    const hint = system.spanComments.find((h) => h.span === first.commentSpan);
    return {
      kind: 'analog' as const,
      name: hint ? hint.hardwareName : `analog ${index + 1}`,
      label: hint ? hint.hardwareName : `analog-${index + 1}`,
      analog: { span: first.commentSpan ?? 0, baseChannel: base, ports },
      at: first.at,
    };
  });
}

function analogPort(ctx: Ctx, system: SystemConf, c: SystemChannel, base: number): AnalogPort {
  const kind = ANALOG_PORT[c.kind] as Pick<AnalogPort, 'type' | 'start'>;
  const chan = ctx.chanByNumber.get(c.channel);
  const port: AnalogPort = {
    port: c.channel - base + 1, type: kind.type, start: kind.start, groups: chan ? channelGroups(ctx, c.channel) : [],
    settings: chan ? channelSettings([chan], kind.type, { text: `channel ${c.channel}`, at: chan.at }, ctx.notes) : {},
  };
  if (chan) {
    const seen = recordContext(ctx, chan, port.groups);
    if (port.groups.length > 0) ctx.members.push({ target: port, contexts: [seen] });
    const sig = (chan.settings.get('signalling')?.value ?? '').toLowerCase();
    const expected = `${c.kind.slice(0, 3)}_${c.kind.slice(3)}`;
    if (sig !== expected) {
      ctx.notes.push(note(chan.at, `channel ${c.channel}: chan_dahdi signalling ${sig} does not match system.conf ${c.kind} (chan_dahdi would fail to open it); the site follows system.conf (${expected})`));
    }
  } else if (ctx.haveChanDahdi) {
    ctx.notes.push(note(c.at, `channel ${c.channel} (${c.kind}) is not in chan_dahdi.conf; the site gives it to Asterisk without a group`));
  }
  recordEcho(ctx, system, c.channel);
  return port;
}

// ---- echo, tone zone, leftovers -------------------------------------------------------------

function recordEcho(ctx: Ctx, system: SystemConf, channel: number): void {
  const ec = system.echoCancellers.get(channel);
  const bridged = /^(yes|true|y|t|1|on)$/i.test(settingOf(ctx, channel, 'echocancelwhenbridged')?.value.trim() ?? '');
  ctx.echo.set(channel, ec ? { name: ec.name, at: ec.at, whenBridged: bridged } : { name: 'none', at: null, whenBridged: bridged });
}

/** A card's echo canceller: what most of its channels have in system.conf. */
function cardEcho(ctx: Ctx, units: readonly Unit[]): ReturnType<typeof pickEcho> {
  const channels = units.flatMap((u) => (u.kind === 'digital'
    ? u.span.channels.flatMap((set) => set.timeslots.map((ts) => u.span.baseChannel + ts - 1))
    : u.analog.ports.map((p) => u.analog.baseChannel + p.port - 1)));
  const first = units[0];
  const what = first === undefined ? 'a card' : first.kind === 'digital' ? `the card of span ${first.source.span}` : `analog card '${first.name}'`;
  return pickEcho(channels.flatMap((n) => ctx.echo.get(n) ?? []), what, ctx.notes);
}

function pickToneZone(ctx: Ctx, system: SystemConf): ToneZone {
  const zone = system.defaultZone?.zone ?? system.loadZones[0]?.zone ?? 'us';
  for (const extra of system.loadZones.filter((z) => z.zone !== zone)) {
    ctx.notes.push(note(extra.at, `loadzone=${extra.zone} not carried over: the site has one tone zone (${zone})`));
  }
  if (!system.defaultZone && system.loadZones.length === 0) {
    ctx.notes.push(note({ file: system.file, line: 1 }, 'no loadzone/defaultzone: us assumed, as dahdi_cfg does'));
  }
  return (TONE_ZONES as readonly string[]).includes(zone) ? (zone as ToneZone) : 'us';
}

function reportLeftovers(ctx: Ctx, system: SystemConf, chan: ChanDahdiConf | null, carried: ReadonlySet<number>): void {
  for (const c of system.channels) {
    if (carried.has(c.channel) || c.span !== null || ANALOG_PORT[c.kind] !== undefined) continue;
    if (c.kind !== 'unused') ctx.notes.push(note(c.at, `channel ${c.channel} (${c.kind}) not carried over: analog E&M ports are not in the site model`));
  }
  if (chan === null) return;
  const configured = new Set(system.channels.map((c) => c.channel));
  for (const c of chan.channels) {
    if (!configured.has(c.channel)) {
      ctx.notes.push(note(c.at, `channel ${c.channel} is in chan_dahdi.conf but not configured in system.conf (chan_dahdi cannot open it); not carried over`));
    } else if (!carried.has(c.channel)) {
      ctx.notes.push(note(c.at, `channel ${c.channel}: its chan_dahdi settings were not carried over with it`));
    }
  }
  for (const { key, setting } of chan.appliedSettings) {
    // A reset to chan_dahdi's default (dahdi_genconf writes `callerid=` after each port) carries nothing.
    if (!isCarriedKey(key) && setting.value !== '') ctx.notes.push(note(setting.at, `${key}=${setting.value} not carried over`));
    if (key === 'echocancel' && /^(no|false|off|0)$/i.test(setting.value)) {
      ctx.notes.push(note(setting.at, 'echocancel=no not carried over: the site cancels echo on every channel when system.conf names a canceller'));
    }
  }
}
