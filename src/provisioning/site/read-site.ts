// Reading the site file's structure into a SiteConfig: top-level settings, trunk groups, cards
// pinned to hardware, their spans or ports, routes, the time zone and the routing section. Spans
// are numbered card by card, every port of a digital card in port order (unused ones included, as
// DAHDI registers them), and their channels laid out consecutively, as assigned-spans.conf pins them.

import { suggestion, type Checker, type Mapping } from '../../validation/checker';
import { analogChannels, channelsPerSpan, facesNetwork } from './channels';
import { CHAN_DAHDI_FIELD, readChanDahdi } from './line-options';
import { readPorts } from './read-analog';
import { readRouting } from './read-routing';
import { isUnusedEntry, readSpan, readUnused, type GroupResolver, type SpanDraft, type UnusedDraft } from './read-spans';
import { readTimeZone } from './read-time';
import {
  DIRECTIONS, ECHO_CANCELLERS, HUNT_ORDERS, LINE_TYPES, PRESENTATIONS, TONE_ZONES,
  type AnalogPort, type CardConfig, type DigitalSpan, type HardwarePin, type LineType, type Route, type SiteConfig, type TrunkGroup,
  type UnusedSpan,
} from './site-types';

export const TOP_KEYS = [
  'site', 'toneZone', 'echoCanceller', 'echoCancelWhenBridged', 'clock', 'defaultContext', 'timezone', 'cards', 'groups', 'routes', 'routing', CHAN_DAHDI_FIELD,
] as const;
export const CARD_KEYS = ['name', 'hardwareId', 'location', 'portCount', 'echoCanceller', 'echoCancelWhenBridged', 'spans', 'ports'] as const;
export const GROUP_KEYS = ['number', 'name', 'context', 'direction', 'presentation', 'hunt'] as const;
export const ROUTE_KEYS = ['name', 'pattern', 'groups'] as const;
/** dahdi_span_assignments turns every other character of hardware_id/location into '_'. */
const PIN_TEXT = /^[A-Za-z0-9/:._*?[\]-]+$/;
const CONTEXT_TEXT = /^[A-Za-z0-9_.+-]+$/;

/** A card as read, spans still carrying the user's timing (null = default). */
export interface CardDraft extends Omit<CardConfig, 'spans' | 'unused'> {
  /** Where the card and its spans sit in the file, for cross-check messages. */
  path: string;
  spans: (SpanDraft & { span: number; baseChannel: number; path: string })[];
  unused: (UnusedSpan & { path: string })[];
}

export interface SiteDraft extends Omit<SiteConfig, 'cards'> {
  cards: CardDraft[];
}

export function readSite(c: Checker, raw: unknown): SiteDraft {
  const top = c.mapping(raw ?? {}, '', TOP_KEYS) ?? {};
  const groups = readGroups(c, top.groups);
  const resolve = groupResolver(c, groups);
  const routing = readRouting(c, top.routing, resolve, (n) => groups.find((g) => g.number === n)?.direction);
  const timed = routing?.inbound.some((r) => r.time.length > 0 || r.holidays !== null) ?? false;
  if (timed && top.timezone === undefined) {
    c.warn('timezone', 'is not set: the routing\'s time windows and holidays are read in UTC; name the site\'s zone (e.g. Asia/Shanghai)');
  }
  const echo: CardEcho = {
    echoCanceller: c.oneOf(top.echoCanceller, 'echoCanceller', ECHO_CANCELLERS, 'mg2') ?? 'mg2',
    echoCancelWhenBridged: c.bool(top.echoCancelWhenBridged, 'echoCancelWhenBridged', false),
  };
  const chanDahdi: Record<string, string> = {};
  readChanDahdi(c, top[CHAN_DAHDI_FIELD], CHAN_DAHDI_FIELD, 'global', chanDahdi);
  return {
    name: c.text(top.site, 'site', undefined),
    toneZone: c.oneOf(top.toneZone, 'toneZone', TONE_ZONES, undefined) ?? 'us',
    ...echo,
    clock: c.oneOf(top.clock, 'clock', ['network', 'internal'] as const, 'network') ?? 'network',
    defaultContext: readContext(c, top.defaultContext, 'defaultContext', 'from-pstn'),
    cards: readCards(c, top.cards, resolve, echo),
    groups,
    routes: readRoutes(c, top.routes, resolve),
    timezone: readTimeZone(c, top.timezone, 'timezone'),
    routing,
    chanDahdi,
  };
}

/** A card's echo settings; the site's top-level ones are every card's default. */
type CardEcho = Pick<CardConfig, 'echoCanceller' | 'echoCancelWhenBridged'>;

/**
 * Numbers spans and channels as DAHDI does when cards register in file order: every port of a
 * digital card, in service or not, takes a span and its channels, in port order.
 */
function readCards(c: Checker, value: unknown, group: GroupResolver, echo: CardEcho): CardDraft[] {
  const list = c.list(value, 'cards') ?? [];
  if (list.length === 0 && Array.isArray(value)) c.fail('cards', 'needs at least one card');
  let nextSpan = 1;
  let nextChannel = 1;
  const cards: CardDraft[] = [];
  list.forEach((item, i) => {
    const path = `cards[${i}]`;
    const m = c.mapping(item, path, CARD_KEYS);
    if (m === null) return;
    const card = readCard(c, m, path, i, group, echo);
    for (const port of [...card.spans, ...card.unused].sort((a, b) => a.port - b.port)) {
      port.span = nextSpan++;
      port.baseChannel = nextChannel;
      nextChannel += channelsPerSpan(port.line);
    }
    if (card.analog) {
      card.analog.span = nextSpan++;
      card.analog.baseChannel = nextChannel;
      nextChannel += analogChannels(card);
    }
    cards.push(card);
  });
  return cards;
}

function readCard(c: Checker, m: Mapping, path: string, index: number, group: GroupResolver, echo: CardEcho): CardDraft {
  const card: CardDraft = {
    path,
    name: c.text(m.name, `${path}.name`, `card ${index + 1}`),
    pin: readPin(c, m, path),
    portCount: m.portCount === undefined ? null : c.int(m.portCount, `${path}.portCount`, 1, 32, 1),
    spans: [],
    unused: [],
    analog: null,
    echoCanceller: c.oneOf(m.echoCanceller, `${path}.echoCanceller`, ECHO_CANCELLERS, echo.echoCanceller) ?? echo.echoCanceller,
    echoCancelWhenBridged: c.bool(m.echoCancelWhenBridged, `${path}.echoCancelWhenBridged`, echo.echoCancelWhenBridged),
  };
  if (m.spans !== undefined && m.ports !== undefined) {
    c.fail(path, 'has both spans and ports: a card is either digital (spans) or analog (ports)');
  } else if (m.ports !== undefined) {
    card.analog = { span: 0, baseChannel: 0, ports: readPorts(c, m.ports, `${path}.ports`, group) };
    checkPortCount(c, path, card.portCount, card.analog.ports);
  } else {
    Object.assign(card, readSpans(c, m.spans, path, card.portCount, group));
  }
  return card;
}

function readSpans(c: Checker, value: unknown, cardPath: string, portCount: number | null, group: GroupResolver): Pick<CardDraft, 'spans' | 'unused'> {
  const path = `${cardPath}.spans`;
  const list = c.list(value, path) ?? [];
  if (list.length === 0 && Array.isArray(value)) c.fail(path, 'needs at least one span');
  const spans: CardDraft['spans'] = [];
  const listedUnused: UnusedDraft[] = [];
  list.forEach((item, i) => {
    const p = `${path}[${i}]`;
    if (isUnusedEntry(item)) {
      const u = readUnused(c, item, p, i);
      if (u !== null) listedUnused.push(u);
      return;
    }
    const s = readSpan(c, item, p, i, group);
    if (s !== null) spans.push({ ...s, span: 0, baseChannel: 0, path: p });
  });
  const ports = new Map<number, string>();
  for (const s of [...spans, ...listedUnused]) {
    const first = ports.get(s.port);
    if (first !== undefined) c.fail(`${s.path}.port`, `port ${s.port} is already ${first}; each physical port is one span`);
    ports.set(s.port, s.path);
    if (portCount !== null && s.port > portCount) {
      // The card's spans are laid out from portCount: a port beyond it would take numbers DAHDI gives the next card.
      c.fail(`${s.path}.port`, `port ${s.port} is beyond the card's portCount ${portCount}`);
    }
  }
  return { spans, unused: layOutUnused(c, cardPath, portCount, spans, listedUnused) };
}

/**
 * The card's ports out of service: those listed as unused, and every port up to portCount (or
 * the highest port listed) the site leaves out. They take the card's line type unless they say
 * otherwise; on a card mixing line types, a port left out must be listed with its line.
 */
function layOutUnused(c: Checker, cardPath: string, portCount: number | null, spans: CardDraft['spans'], listed: readonly UnusedDraft[]): CardDraft['unused'] {
  const lines = [...new Set([...spans.map((s) => s.line), ...listed.flatMap((u) => (u.line === null ? [] : [u.line]))])];
  const cardLine = lines.length === 1 ? (lines[0] as LineType) : null;
  const lineOf = (port: number, path: string): LineType => {
    if (cardLine !== null) return cardLine;
    c.fail(path, lines.length === 0
      ? `port ${port} is unused: give its line (${LINE_TYPES.join(', ')}) - DAHDI registers it with that many channels all the same`
      : `port ${port} is unused and the card mixes ${lines.join(' and ')}: list it as { port: ${port}, line: ${lines[0] ?? 'E1'}, signalling: unused } with its line`);
    return 'E1';
  };
  const unused = listed.map((u) => ({ port: u.port, line: u.line ?? lineOf(u.port, `${u.path}.line`), span: 0, baseChannel: 0, path: u.path }));
  const taken = new Set([...spans.map((s) => s.port), ...listed.map((u) => u.port)]);
  const last = portCount ?? Math.max(0, ...taken);
  for (let port = 1; port <= last; port++) {
    if (!taken.has(port)) unused.push({ port, line: lineOf(port, `${cardPath}.spans`), span: 0, baseChannel: 0, path: `${cardPath}.spans` });
  }
  return unused.sort((a, b) => a.port - b.port);
}

function checkPortCount(c: Checker, path: string, portCount: number | null, ports: readonly AnalogPort[]): void {
  const beyond = ports.filter((p) => portCount !== null && p.port > portCount);
  if (beyond.length > 0) {
    // An analog card is one span whose channel count we lay out from portCount: overlap follows.
    c.fail(`${path}.portCount`, `ports ${beyond.map((p) => p.port).join(', ')} are beyond portCount ${portCount}`);
  }
}

function readPin(c: Checker, m: Mapping, path: string): HardwarePin {
  if (m.hardwareId !== undefined && m.location !== undefined) {
    c.fail(path, 'give hardwareId or location, not both: assigned-spans.conf matches a card by one key');
  }
  if (m.hardwareId === undefined && m.location === undefined) {
    c.fail(path, 'is not pinned to hardware: give hardwareId (from /sys/bus/dahdi_devices/devices/*/hardware_id) or ' +
      'location, so its span numbers do not move with the order the kernel probes cards');
    return { kind: 'location', location: '*' };
  }
  const key = m.hardwareId !== undefined ? 'hardwareId' : 'location';
  const text = c.text(m[key], `${path}.${key}`, undefined);
  if (text !== '' && !PIN_TEXT.test(text)) {
    c.fail(`${path}.${key}`, `"${text}" has characters dahdi_span_assignments replaces with "_" (it keeps letters, digits and / : . -); ` +
      `write it as ${text.replace(/[^A-Za-z0-9/:.*?[\]-]/g, '_')}`);
  }
  return key === 'hardwareId' ? { kind: 'hardwareId', hardwareId: text } : { kind: 'location', location: text };
}

function readGroups(c: Checker, value: unknown): TrunkGroup[] {
  if (value === undefined) return [];
  const list = c.list(value, 'groups') ?? [];
  const groups: TrunkGroup[] = [];
  list.forEach((item, i) => {
    const p = `groups[${i}]`;
    const m = c.mapping(item, p, GROUP_KEYS);
    if (m === null) return;
    const g: TrunkGroup = {
      number: c.int(m.number, `${p}.number`, 0, 63, undefined),
      name: c.text(m.name, `${p}.name`, undefined),
      context: readContext(c, m.context, `${p}.context`, undefined),
      direction: c.oneOf(m.direction, `${p}.direction`, DIRECTIONS, 'both') ?? 'both',
      presentation: c.oneOf(m.presentation, `${p}.presentation`, PRESENTATIONS, 'allowed') ?? 'allowed',
      hunt: c.oneOf(m.hunt, `${p}.hunt`, HUNT_ORDERS, 'ascending') ?? 'ascending',
    };
    const twin = groups.find((o) => o.number === g.number || o.name === g.name);
    if (twin) c.fail(p, `group ${twin.number === g.number ? `number ${g.number}` : `name "${g.name}"`} is already used by groups[${groups.indexOf(twin)}]`);
    groups.push(g);
  });
  return groups;
}

function readContext(c: Checker, value: unknown, path: string, fallback: string | undefined): string {
  const text = c.text(value, path, fallback);
  if (text !== '' && !CONTEXT_TEXT.test(text)) c.fail(path, `"${text}" is not a usable Asterisk context name (letters, digits, _ . + -)`);
  return text;
}

/** Spans, ports and routes name a group by number or by name; both must exist in groups. */
function groupResolver(c: Checker, groups: readonly TrunkGroup[]): GroupResolver {
  return (value, path) => {
    const found = groups.find((g) => g.number === value || g.name === value);
    if (found) return found.number;
    const defined = groups.length === 0 ? 'no groups are defined' : `defined: ${groups.map((g) => `${g.number} (${g.name})`).join(', ')}`;
    const hint = typeof value === 'string' ? suggestion(value, groups.map((g) => g.name)) : '';
    c.fail(path, `group ${JSON.stringify(value) ?? String(value)} does not exist${hint}; ${defined}`);
    return null;
  };
}

function readRoutes(c: Checker, value: unknown, group: GroupResolver): Route[] {
  if (value === undefined) return [];
  const list = c.list(value, 'routes') ?? [];
  return list.flatMap((item, i) => {
    const p = `routes[${i}]`;
    const m = c.mapping(item, p, ROUTE_KEYS);
    if (m === null) return [];
    const refs = c.list(m.groups, `${p}.groups`) ?? [];
    if (refs.length === 0 && Array.isArray(m.groups)) c.fail(`${p}.groups`, 'needs at least one trunk group');
    return [{
      name: c.text(m.name, `${p}.name`, undefined),
      pattern: m.pattern === undefined ? null : c.text(m.pattern, `${p}.pattern`, undefined),
      groups: refs.flatMap((r, j) => {
        const n = group(r, `${p}.groups[${j}]`);
        return n === null ? [] : [n];
      }),
    }];
  });
}

/** Fills in timing: carrier-facing spans get 1, 2, ... in file order (skipping numbers the user took). */
export function fillTiming(draft: SiteDraft): SiteDraft {
  const taken = new Set(draft.cards.flatMap((card) => card.spans.map((s) => s.timing ?? 0)).filter((t) => t > 0));
  let next = 1;
  const timingOf = (s: SpanDraft): number => {
    if (s.timing !== null) return s.timing;
    if (!facesNetwork(s.signalling.type) || draft.clock === 'internal') return 0;
    while (taken.has(next)) next++;
    taken.add(next);
    return next;
  };
  return { ...draft, cards: draft.cards.map((card) => ({ ...card, spans: card.spans.map((s) => ({ ...s, timing: timingOf(s) })) })) };
}

/** The finished model: drafts without their file paths. */
export function toSiteConfig(draft: SiteDraft): SiteConfig {
  const cards = draft.cards.map(({ path: _cardPath, ...card }): CardConfig => ({
    ...card,
    spans: card.spans.map(({ path: _spanPath, ...s }): DigitalSpan => ({ ...s, timing: s.timing ?? 0 })),
    unused: card.unused.map(({ path: _unusedPath, ...u }): UnusedSpan => u),
  }));
  return { ...draft, cards };
}
