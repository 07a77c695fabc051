// Lays imported spans out as the site model numbers them. The model numbers spans in file order
// and gives each span consecutive channels (31 on E1, 24 on T1, an analog card one per port), as
// the kernel does when spans are assigned in that order; so cards are written in channel order,
// and every span whose number or channels would move is named in a note. system.conf does not say
// which card a span is on: assigned-spans.conf does (its device key pins the card, its local span
// is the port), else dahdi_genconf's "# Span N: TE4/0/1" comments group spans into cards and the
// card gets a placeholder pin the user must replace. span-types.conf tells J1 from T1.

import { CHANNELS_PER_SPAN } from '../../hardware/dahdi-constants';
import { PLACEHOLDER_PREFIX, type AnalogSpan, type CardConfig, type DigitalSpan, type HardwarePin, type UnusedSpan } from '../site/site-types';
import type { SourceRef } from './conf-lexer';
import { note, type ImportNote } from './import-notes';
import { spanTypeFor, type SpanAssignment, type SpanTypeRule } from './span-assignments-parser';
import type { SystemSpan } from './system-conf-parser';

/** What assigned-spans.conf and span-types.conf say, when the box has them. */
export interface HardwarePins {
  assignments: readonly SpanAssignment[];
  types: readonly SpanTypeRule[];
}

export interface DigitalUnit {
  kind: 'digital';
  span: DigitalSpan;
  source: SystemSpan;
}

export interface AnalogUnit {
  kind: 'analog';
  name: string;
  label: string;
  /** span: the number a "# Span N:" comment gave, 0 when none did. */
  analog: AnalogSpan;
  at: SourceRef;
}

export type Unit = DigitalUnit | AnalogUnit;

/** Analog cards have at most this many ports in the site model, digital cards this many spans. */
const MAX_ANALOG_PORTS = 32;
const MAX_CARD_PORTS = 32;

function baseOf(u: Unit): number {
  return u.kind === 'digital' ? u.span.baseChannel : u.analog.baseChannel;
}

/** "TE4/0/1" -> "TE4/0"; a single-span card is named without a port ("WCT1/0") and keeps it. */
function cardKey(source: SystemSpan): string {
  const name = source.hardwareName;
  if (!name) return '';
  return name.split('/').length >= 3 ? name.slice(0, name.lastIndexOf('/')) : name;
}

function placeholderPin(notes: ImportNote[], at: SourceRef, label: string): HardwarePin {
  notes.push(note(at, `card '${label}': system.conf does not say which hardware it is; pinned to a placeholder location - ` +
    'replace it with the hardware id or location from dahdi_hardware or /etc/dahdi/assigned-spans.conf'));
  return { kind: 'location', location: `${PLACEHOLDER_PREFIX}${label.replace(/[^A-Za-z0-9/:.-]/g, '-')}` };
}

/** The pin an assigned-spans.conf key gives; a sysfs devpath is no pin the site can hold. */
function pinOf(notes: ImportNote[], a: SpanAssignment, label: string): HardwarePin {
  if (a.key.startsWith('@')) return { kind: 'location', location: a.key.slice(1) };
  if (!a.key.startsWith('/')) return { kind: 'hardwareId', hardwareId: a.key };
  notes.push(note(a.at, `card '${label}' is pinned by its sysfs path ${a.key}, which the site cannot hold (it changes with the slot's bus path); ` +
    'pinned to a placeholder - give its hardware id or location (dahdi_span_assignments -k location dumpconfig)'));
  return { kind: 'location', location: `${PLACEHOLDER_PREFIX}${label.replace(/[^A-Za-z0-9/:.-]/g, '-')}` };
}

/** A card before numbering: its units keep where they came from, for the notes. */
interface DraftCard {
  key: string | null;
  name: string;
  pin: HardwarePin;
  portCount: number | null;
  spans: DigitalUnit[];
  /** assigned-spans.conf lines of this card's key that system.conf does not configure: unused ports. */
  unused: SpanAssignment[];
  /** Ports after the card's last span that no file names but a channel gap shows (see inferUnused). */
  trailingUnused: number;
  analog: AnalogUnit | null;
}

/** A card's echo settings, from the units (spans, analog ports) it is made of. */
export type CardEchoOf = (units: readonly Unit[]) => Pick<CardConfig, 'echoCanceller' | 'echoCancelWhenBridged'>;

export function layoutCards(units: readonly Unit[], notes: ImportNote[], pins: HardwarePins | null, echoOf: CardEchoOf): CardConfig[] {
  const ordered = [...units].sort((a, b) => baseOf(a) - baseOf(b));
  const assigned = assignmentsOf(ordered, pins);
  const cards: DraftCard[] = [];
  let digitalCards = 0;
  ordered.forEach((unit, i) => {
    const a = assigned.get(unit);
    if (unit.kind === 'analog') {
      const pin = a ? pinOf(notes, a, unit.label) : placeholderPin(notes, unit.at, unit.label);
      cards.push({ key: null, name: unit.name, pin, portCount: portCount(unit, ordered[i + 1]), spans: [], unused: [], trailingUnused: 0, analog: unit });
      return;
    }
    // The device key groups spans into cards when the box has one; else dahdi_genconf's names.
    const key = a ? `pin:${a.key}` : cardKey(unit.source);
    const last = cards[cards.length - 1];
    if (last && last.key === key) {
      last.spans.push(unit);
      return;
    }
    digitalCards++;
    const comment = cardKey(unit.source);
    const label = comment === '' ? `digital-${digitalCards}` : comment;
    const pin = a ? pinOf(notes, a, label) : placeholderPin(notes, unit.source.at, label);
    cards.push({ key, name: comment === '' ? `digital ${digitalCards}` : comment, pin, portCount: null, spans: [unit], unused: [], trailingUnused: 0, analog: null });
  });
  const used = new Set(assigned.values());
  for (const a of pins?.assignments ?? []) {
    if (used.has(a)) continue;
    // A port of a configured card that system.conf leaves alone is an unused port (tdmgate writes
    // them so): it keeps its span and channels. Elsewhere there is no card to put it on.
    const card = cards.find((c) => c.key === `pin:${a.key}`);
    if (card) card.unused.push(a);
    else notes.push(note(a.at, `${a.key} ${a.localSpan}:${a.span}:${a.baseChannel}: system.conf configures no span ${a.span}; not carried over`));
  }
  cards.forEach((card, i) => inferUnused(card, cards[i + 1], notes));
  return renumber(cards, notes, assigned, pins?.types ?? [], echoOf);
}

/** A card's first span number and channel, when known (an analog card without a comment has no number). */
function startOf(card: DraftCard): { span: number | null; channel: number } | null {
  const first = card.spans[0];
  if (first) return { span: first.source.span, channel: first.span.baseChannel };
  if (card.analog) return { span: card.analog.analog.span === 0 ? null : card.analog.analog.span, channel: card.analog.analog.baseChannel };
  return null;
}

/**
 * Spans system.conf skips between a digital card and the next: when the channels in between are
 * a whole number of the card's spans (and the span numbers skip as many), they are the card's
 * unused ports - DAHDI numbers a card's spans whether configured or not, as on a TE420 with its
 * fourth E1 out of service. Kept as unused ports so the cards after keep their channels; a note
 * says it was inferred. Left alone when assigned-spans.conf already names the card's unused ports.
 */
function inferUnused(card: DraftCard, next: DraftCard | undefined, notes: ImportNote[]): void {
  const last = card.spans[card.spans.length - 1];
  const after = next ? startOf(next) : null;
  if (!last || !after || card.unused.length > 0) return;
  const per = CHANNELS_PER_SPAN[last.span.line];
  const end = last.span.baseChannel + per;
  const gap = after.channel - end;
  const count = gap / per;
  if (gap <= 0 || !Number.isInteger(count) || card.spans.length + count > MAX_CARD_PORTS) return;
  if (after.span !== null && after.span - last.source.span - 1 !== count) return;
  card.trailingUnused = count;
  const spans = count === 1 ? `span ${last.source.span + 1}` : `spans ${last.source.span + 1}-${last.source.span + count}`;
  notes.push(note(last.source.at, `${spans} (channels ${end}-${after.channel - 1}) ${count === 1 ? 'is' : 'are'} in no file but sit between card '${card.name}' ` +
    `and the next: kept as ${count === 1 ? 'an unused port' : 'unused ports'} of '${card.name}' (DAHDI numbers a card's spans whether configured or not); ` +
    'if they are another card\'s, add that card to the site'));
}

/** Each unit's assigned-spans.conf line: by span number, an analog card also by its first channel. */
function assignmentsOf(units: readonly Unit[], pins: HardwarePins | null): Map<Unit, SpanAssignment> {
  const out = new Map<Unit, SpanAssignment>();
  for (const unit of units) {
    const found = pins?.assignments.find((a) => (unit.kind === 'digital'
      ? a.span === unit.source.span
      : (unit.analog.span !== 0 && a.span === unit.analog.span) || a.baseChannel === unit.analog.baseChannel));
    if (found) out.set(unit, found);
  }
  return out;
}

/** Keeps an analog card's channel count when unused ports follow its last configured one. */
function portCount(unit: AnalogUnit, next: Unit | undefined): number | null {
  const highest = Math.max(...unit.analog.ports.map((p) => p.port));
  if (next === undefined) return null;
  const room = baseOf(next) - unit.analog.baseChannel;
  return room > highest && room <= MAX_ANALOG_PORTS ? room : null;
}

const MOVED = 'the site numbers spans in card order with consecutive channels';

/**
 * system.conf cannot tell J1 from T1 (same framing and coding): span-types.conf can. A type that
 * contradicts system.conf's framing (E1 against esf) is reported and system.conf kept.
 */
function lineFromTypes(notes: ImportNote[], span: DigitalSpan, source: SystemSpan, types: readonly SpanTypeRule[], key: string | null, port: number): DigitalSpan['line'] {
  const rule = spanTypeFor(types, key, port);
  if (!rule || span.line === 'BRI' || rule.type === span.line) return span.line;
  if (rule.type === 'J1' && span.line === 'T1') return 'J1';
  notes.push(note(rule.at, `span ${source.span}: span-types.conf says ${rule.type} but system.conf frames it as ${span.line} (${source.framing}/${source.coding}); the site keeps ${span.line}`));
  return span.line;
}

/**
 * Gives spans the numbers and channels the model will give them, with a note for each move: each
 * digital card's ports in port order, unused ports included and ports no file names filled in as
 * unused (the site model lays a card out that way).
 */
function renumber(
  cards: readonly DraftCard[], notes: ImportNote[], assigned: ReadonlyMap<Unit, SpanAssignment>, types: readonly SpanTypeRule[], echoOf: CardEchoOf,
): CardConfig[] {
  let nextSpan = 1;
  let nextChannel = 1;
  const take = (line: DigitalSpan['line']): { span: number; baseChannel: number } => {
    const at = { span: nextSpan++, baseChannel: nextChannel };
    nextChannel += CHANNELS_PER_SPAN[line];
    return at;
  };
  return cards.map((card): CardConfig => {
    const configured = card.spans.map((unit, i) => {
      const a = assigned.get(unit);
      const port = a?.localSpan ?? i + 1;
      return { unit, port, line: lineFromTypes(notes, unit.span, unit.source, types, a?.key ?? null, port) };
    });
    const cardLine = configured[0]?.line ?? 'E1';
    const listed = new Map(card.unused.map((a) => [a.localSpan, a]));
    const last = Math.max(0, ...configured.map((c) => c.port), ...listed.keys()) + card.trailingUnused;
    const spans: DigitalSpan[] = [];
    const unused: UnusedSpan[] = [];
    for (let port = 1; port <= last; port++) {
      // Two spans on one port (a broken assigned-spans.conf) both stay, for the site's check to name.
      const here = configured.filter((x) => x.port === port);
      for (const c of here) {
        const { span, source } = c.unit;
        const laid = { ...span, line: c.line, port, ...take(c.line) };
        if (source.span !== laid.span || span.baseChannel !== laid.baseChannel) {
          notes.push(note(source.at, `span ${source.span} (channels from ${span.baseChannel}) becomes span ${laid.span} (channels from ${laid.baseChannel}): ${MOVED}`));
        }
        spans.push(laid);
      }
      if (here.length > 0) continue;
      const a = listed.get(port);
      const line = spanTypeFor(types, a?.key ?? null, port)?.type ?? cardLine;
      const laid = { port, line, ...take(line) };
      if (a && (a.span !== laid.span || a.baseChannel !== laid.baseChannel)) {
        notes.push(note(a.at, `unused port ${port} (span ${a.span}, channels from ${a.baseChannel}) becomes span ${laid.span} (channels from ${laid.baseChannel}): ${MOVED}`));
      }
      unused.push(laid);
    }
    const unit = card.analog;
    const echo = echoOf([...card.spans, ...(card.analog ? [card.analog] : [])]);
    if (unit === null) return { name: card.name, pin: card.pin, portCount: card.portCount, spans, unused, analog: null, ...echo };
    const analog = { ...unit.analog, span: nextSpan++, baseChannel: nextChannel };
    nextChannel += card.portCount ?? Math.max(0, ...unit.analog.ports.map((p) => p.port));
    const stated = unit.analog.span;
    if ((stated !== 0 && stated !== analog.span) || unit.analog.baseChannel !== analog.baseChannel) {
      notes.push(note(unit.at, `analog card '${card.name}' (span ${stated === 0 ? '?' : stated}, channels from ${unit.analog.baseChannel}) ` +
        `becomes span ${analog.span} (channels from ${analog.baseChannel}): ${MOVED}`));
    }
    return { name: card.name, pin: card.pin, portCount: card.portCount, spans, unused, analog, ...echo };
  });
}
