// Checks of a site against the hardware a backend detected: more spans than exist, cards not
// found where the site pins them, line settings the span cannot run (linecompat) and signalling
// a channel cannot do (sigcap: e.g. an FXS module described as an FXO line).

import { suggestion, type Checker } from '../../validation/checker';
import { acceptedSigtypes, LINECONFIG_BITS as L, SIGTYPES, lineConfigNames, sigtypeName } from '../../hardware/dahdi-constants';
import type { ChannelStatus, SpanStatus } from '../../hardware/types';
import { analogSignalling } from './read-analog';
import type { CardDraft, SiteDraft } from './read-site';
import { PLACEHOLDER_PREFIX, type HardwareFacts } from './site-types';
import { analogChannels, dchannelTimeslot } from './channels';

type SpanDraft = CardDraft['spans'][number];

/** The location text as dahdi_span_assignments compares it (attr_clean). */
export function cleanLocation(location: string): string {
  return location.replace(/!/g, '/').replace(/[^a-zA-Z0-9/:.-]/g, '_');
}

export function checkHardware(c: Checker, site: SiteDraft, hw: HardwareFacts): void {
  const detected = [...hw.spans].sort((a, b) => a.span - b.span);
  const wanted = site.cards.reduce((n, card) => n + card.spans.length + card.unused.length + (card.analog ? 1 : 0), 0);
  if (wanted > detected.length) {
    c.fail('cards', `the site describes ${wanted} spans but the hardware has ${detected.length} (${detected.map(spanLabel).join(', ') || 'none'})`);
  }
  site.cards.forEach((card, i) => {
    warnPlaceholder(c, card, detected);
    const own = cardSpans(c, card, detected);
    // Without a location to go by, the site's span N is the detected span N.
    const at = (port: number, span: number): SpanStatus | undefined => (own === null ? detected[span - 1] : own[port - 1]);
    if (own !== null && own.length > 0 && !card.analog) checkPortCount(c, card, own.length, i < site.cards.length - 1);
    for (const s of card.spans) {
      const hwSpan = at(s.port, s.span);
      if (!hwSpan) {
        if (own !== null) c.fail(`${s.path}.port`, `the card at ${pinText(card)} has ${own.length} span(s), there is no port ${s.port}`);
        continue;
      }
      checkDigital(c, s, hwSpan, channelsOf(hw, hwSpan.span));
    }
    for (const u of card.unused) {
      if (own !== null && own.length > 0 && !own[u.port - 1]) {
        c.fail(card.portCount !== null ? `${card.path}.portCount` : u.path, `the card at ${pinText(card)} has ${own.length} span(s), there is no port ${u.port} to keep unused`);
      }
    }
    if (card.analog) {
      const hwSpan = at(1, card.analog.span);
      if (hwSpan) checkAnalog(c, card, hwSpan, channelsOf(hw, hwSpan.span));
    }
  });
}

/**
 * A card with more spans than the site lays out: DAHDI registers every one of them, so the site's
 * numbers for the cards after it would be wrong by that many spans' channels.
 */
function checkPortCount(c: Checker, card: CardDraft, detected: number, cardsAfter: boolean): void {
  const laid = card.spans.length + card.unused.length;
  if (detected <= laid) return;
  const path = card.portCount !== null ? `${card.path}.portCount` : card.path;
  const fix = `set portCount: ${detected} (the ports the site does not list stay unused, their channels skipped)`;
  if (cardsAfter) {
    c.fail(path, `the card at ${pinText(card)} has ${detected} spans but the site lays out ${laid}: DAHDI numbers all ${detected}, ` +
      `so the channel numbers of the cards after it would be wrong; ${fix}`);
  } else {
    c.warn(path, `the card at ${pinText(card)} has ${detected} spans but the site lays out ${laid}; ${fix}`);
  }
}

/**
 * A placeholder pin never says which card is which: where the spans report no location (dynamic
 * spans) the card would otherwise be matched by position without a word, so say so by name.
 */
function warnPlaceholder(c: Checker, card: CardDraft, detected: readonly SpanStatus[]): void {
  if (card.pin.kind !== 'location' || !card.pin.location.startsWith(PLACEHOLDER_PREFIX)) return;
  const how = detected.every((s) => s.location.trim() === '')
    ? 'the detected spans report no location, so it was checked against them by position only'
    : 'no detected span can be at it';
  c.warn(`${card.path}.location`, `"${card.pin.location}" is a placeholder from provision import, not this card's location: ${how}. ` +
    'Replace it with the card\'s hardware id or location (dahdi_hardware, /sys/bus/dahdi_devices/devices/*/) ' +
    'or import again with the box\'s assigned-spans.conf');
}

/** Detected spans of a location-pinned card in port order; null when pinned by hardware id. */
function cardSpans(c: Checker, card: CardDraft, detected: readonly SpanStatus[]): SpanStatus[] | null {
  if (card.pin.kind !== 'location') return null;
  // Some spans report no location at all (DAHDI's dynamic spans): nothing to match the pin
  // against, so they are taken in order, as spans of cards pinned by hardware id are.
  if (detected.every((s) => s.location.trim() === '')) return null;
  const pattern = globToRegExp(card.pin.location);
  const own = detected.filter((s) => pattern.test(cleanLocation(s.location)));
  if (own.length === 0) {
    const locations = [...new Set(detected.map((s) => cleanLocation(s.location)))];
    c.fail(`${card.path}.location`, `no detected span is at "${card.pin.location}"${suggestion(card.pin.location, locations)}; ` +
      `detected locations: ${locations.join(', ') || 'none'}`);
  }
  return own;
}

function checkDigital(c: Checker, s: SpanDraft, hw: SpanStatus, channels: readonly ChannelStatus[]): void {
  if (hw.spanType === 'ANALOG' || (hw.linecompat === 0 && hw.spanType !== 'UNKNOWN')) {
    c.fail(s.path, `${spanLabel(hw)} is an analog span (${hw.spanTypeText}), not a ${s.line} port`);
    return;
  }
  const needed = lineBits(s);
  const missing = lineConfigNames(needed & ~hw.linecompat);
  if (hw.linecompat !== 0 && missing.length > 0) {
    c.fail(s.path, `${spanLabel(hw)} cannot run ${s.line} ${s.framing}/${s.coding}${s.crc4 ? '/crc4' : ''}: it lacks ${missing.join(', ')} ` +
      `(it accepts ${lineConfigNames(hw.linecompat).join(', ')})`);
  }
  const bearer = channels.find((ch) => s.channels.some((set) => set.timeslots.includes(ch.position)));
  const bearerSig = bearerSigtype(s);
  if (bearer && (acceptedSigtypes(bearer.sigcap) & bearerSig) !== bearerSig) {
    c.fail(`${s.path}.signalling`, `${spanLabel(hw)} channel ${bearer.channel} cannot do ${sigtypeName(bearerSig)} (needed for ${s.signalling.type})`);
  }
  const d = dchannelTimeslot(s.line, s.signalling.type);
  const dchan = channels.find((ch) => ch.position === d);
  const dSig = s.dchannel === 'hardhdlc' ? SIGTYPES.HARDHDLC : SIGTYPES.HDLCFCS;
  if (dchan && (acceptedSigtypes(dchan.sigcap) & dSig) !== dSig) {
    c.fail(`${s.path}.dchannel`, `${spanLabel(hw)} channel ${dchan.channel} cannot do ${s.dchannel}; ${s.dchannel === 'hardhdlc' ? 'use dchannel: dchan (software HDLC)' : 'use dchannel: hardhdlc'}`);
  }
}

function checkAnalog(c: Checker, card: CardDraft, hw: SpanStatus, channels: readonly ChannelStatus[]): void {
  const path = card.path;
  if (hw.linecompat !== 0 || hw.spanType === 'E1' || hw.spanType === 'T1' || hw.spanType === 'J1' || hw.spanType === 'BRI') {
    c.fail(path, `${spanLabel(hw)} is a ${hw.spanTypeText} span, not an analog card`);
    return;
  }
  if (analogChannels(card) !== hw.totalChannels) {
    c.fail(`${path}.portCount`, `${spanLabel(hw)} has ${hw.totalChannels} ports but the site lays out ${analogChannels(card)}: ` +
      `set portCount: ${hw.totalChannels} so the channel numbers after this card stay right`);
  }
  for (const port of card.analog?.ports ?? []) {
    const ch = channels.find((x) => x.position === port.port);
    const sig = SIGTYPES[analogSignalling(port.type, port.start).toUpperCase() as keyof typeof SIGTYPES];
    if (ch && (acceptedSigtypes(ch.sigcap) & sig) !== sig) {
      const other = port.type === 'fxo' ? 'fxs' : 'fxo';
      const swapped = SIGTYPES[analogSignalling(other, port.start).toUpperCase() as keyof typeof SIGTYPES];
      const hint = (ch.sigcap & swapped) === swapped ? ` - the module on port ${port.port} is an ${other.toUpperCase()} module` : '';
      c.fail(path, `port ${port.port} (${port.type}, ${port.start} start) needs ${analogSignalling(port.type, port.start)}, which channel ${ch.channel} cannot do${hint}`);
    }
  }
}

/** Line-config bits the span's settings need from the hardware. */
function lineBits(s: SpanDraft): number {
  const framing = { ccs: L.CCS, cas: 0, esf: L.ESF, d4: L.D4 }[s.framing];
  const coding = { hdb3: L.HDB3, ami: L.AMI, b8zs: L.B8ZS }[s.coding];
  return framing | coding | (s.crc4 ? L.CRC4 : 0);
}

function bearerSigtype(s: SpanDraft): number {
  switch (s.signalling.type) {
    case 'mfcr2':
      return SIGTYPES.CAS;
    case 'cas':
      return s.signalling.protocol === 'em_e1' ? SIGTYPES.EM_E1 : SIGTYPES.EM;
    default:
      return SIGTYPES.CLEAR;
  }
}

function channelsOf(hw: HardwareFacts, span: number): ChannelStatus[] {
  return (hw.channels ?? []).filter((ch) => ch.span === span);
}

function spanLabel(s: SpanStatus): string {
  return `span ${s.span} (${s.name})`;
}

function pinText(card: CardDraft): string {
  return card.pin.kind === 'location' ? card.pin.location : card.pin.hardwareId;
}

/** assigned-spans.conf keys are shell globs; compare the same way. */
function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
