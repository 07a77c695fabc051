// Lays imported spans out as the site model numbers them. The model numbers spans in file order
// and gives each span consecutive channels (31 on E1, 24 on T1, an analog card one per port), as
// the kernel does when spans are assigned in that order; so cards are written in channel order,
// and every span whose number or channels would move is named in a note. system.conf does not say
// which card a span is on: dahdi_genconf's "# Span N: TE4/0/1" comments group spans into cards
// when present, and every card gets a placeholder hardware pin the user must replace.

import { CHANNELS_PER_SPAN } from '../../hardware/dahdi-constants';
import type { AnalogSpan, CardConfig, DigitalSpan, HardwarePin } from '../site/site-types';
import type { SourceRef } from './conf-lexer';
import { note, type ImportNote } from './import-notes';
import type { SystemSpan } from './system-conf-parser';

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

type Unit = DigitalUnit | AnalogUnit;

/** Analog cards have at most this many ports in the site model. */
const MAX_ANALOG_PORTS = 32;

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
  return { kind: 'location', location: `unknown:${label.replace(/[^A-Za-z0-9/:.-]/g, '-')}` };
}

/** A card before numbering: its units keep where they came from, for the notes. */
interface DraftCard {
  key: string | null;
  name: string;
  pin: HardwarePin;
  portCount: number | null;
  spans: DigitalUnit[];
  analog: AnalogUnit | null;
}

export function layoutCards(units: readonly Unit[], notes: ImportNote[]): CardConfig[] {
  const ordered = [...units].sort((a, b) => baseOf(a) - baseOf(b));
  const cards: DraftCard[] = [];
  let digitalCards = 0;
  ordered.forEach((unit, i) => {
    if (unit.kind === 'analog') {
      cards.push({ key: null, name: unit.name, pin: placeholderPin(notes, unit.at, unit.label), portCount: portCount(unit, ordered[i + 1]), spans: [], analog: unit });
      return;
    }
    const key = cardKey(unit.source);
    const last = cards[cards.length - 1];
    if (last && last.key === key) {
      last.spans.push(unit);
      return;
    }
    digitalCards++;
    const label = key === '' ? `digital-${digitalCards}` : key;
    cards.push({ key, name: key === '' ? `digital ${digitalCards}` : key, pin: placeholderPin(notes, unit.source.at, label), portCount: null, spans: [unit], analog: null });
  });
  return renumber(cards, notes);
}

/** Keeps an analog card's channel count when unused ports follow its last configured one. */
function portCount(unit: AnalogUnit, next: Unit | undefined): number | null {
  const highest = Math.max(...unit.analog.ports.map((p) => p.port));
  if (next === undefined) return null;
  const room = baseOf(next) - unit.analog.baseChannel;
  return room > highest && room <= MAX_ANALOG_PORTS ? room : null;
}

const MOVED = 'the site numbers spans in card order with consecutive channels';

/** Gives spans the numbers and channels the model will give them, with a note for each move. */
function renumber(cards: readonly DraftCard[], notes: ImportNote[]): CardConfig[] {
  let nextSpan = 1;
  let nextChannel = 1;
  return cards.map((card): CardConfig => {
    const spans = card.spans.map(({ span, source }, i): DigitalSpan => {
      const laid = { ...span, port: i + 1, span: nextSpan++, baseChannel: nextChannel };
      nextChannel += CHANNELS_PER_SPAN[span.line];
      if (source.span !== laid.span || span.baseChannel !== laid.baseChannel) {
        notes.push(note(source.at, `span ${source.span} (channels from ${span.baseChannel}) becomes span ${laid.span} (channels from ${laid.baseChannel}): ${MOVED}`));
      }
      return laid;
    });
    const unit = card.analog;
    if (unit === null) return { name: card.name, pin: card.pin, portCount: card.portCount, spans, analog: null };
    const analog = { ...unit.analog, span: nextSpan++, baseChannel: nextChannel };
    nextChannel += card.portCount ?? Math.max(0, ...unit.analog.ports.map((p) => p.port));
    const stated = unit.analog.span;
    if ((stated !== 0 && stated !== analog.span) || unit.analog.baseChannel !== analog.baseChannel) {
      notes.push(note(unit.at, `analog card '${card.name}' (span ${stated === 0 ? '?' : stated}, channels from ${unit.analog.baseChannel}) ` +
        `becomes span ${analog.span} (channels from ${analog.baseChannel}): ${MOVED}`));
    }
    return { name: card.name, pin: card.pin, portCount: card.portCount, spans, analog };
  });
}
