// Scenario validation: turns parsed YAML into a Scenario with defaults filled in, or one
// HardwareError('SCENARIO_INVALID') listing every problem by path (cards[0].spans[1].type),
// with the source line when known, the bad value, the allowed values and a did-you-mean for
// misspellings. The generic checking lives in src/validation/checker.ts.

import { CHANNELS_PER_SPAN, DAHDI_MAX_CHANNELS, DAHDI_MAX_SPANS } from '../dahdi-constants';
import { Checker, formatIssue, type PathLocator } from '../../validation/checker';
import { HardwareError } from '../errors';
import { DEFAULT_RECOVER_MS, DEFAULT_SEED, defaultCards } from './default-scenario';
import { DRIVER_NAMES, driverModel, type DigitalLine, type DriverModel } from './driver-models';
import {
  COUNTER_FAULTS,
  FAULT_KINDS,
  type Activity,
  type AnalogPortSpec,
  type CardSpec,
  type Coding,
  type DigitalSpanSpec,
  type FaultKind,
  type Framing,
  type RandomFaults,
  type Scenario,
  type ScriptedFault,
  type Signalling,
} from './scenario-types';

const TOP_KEYS = ['seed', 'recoverMs', 'cards', 'faults', 'activity'] as const;
const CARD_KEYS = ['vendor', 'model', 'location', 'driver', 'deviceId', 'spans', 'ports'] as const;
const SPAN_KEYS = ['type', 'framing', 'coding', 'crc4', 'signalling', 'lbo', 'timing', 'wiredTo'] as const;
const FAULT_KEYS = ['at', 'span', 'fault', 'duration', 'count'] as const;
const RANDOM_KEYS = ['ratePerMinute', 'kinds', 'spans', 'durationMs'] as const;
const ACTIVITY_KEYS = ['hookRatePerMinute', 'abcdRatePerMinute'] as const;

const SIGNALLING_BY_LINE: Record<DigitalLine, readonly Signalling[]> = {
  E1: ['pri_cpe', 'pri_net', 'mfcr2', 'cas'],
  T1: ['pri_cpe', 'pri_net', 'cas'],
  J1: ['pri_cpe', 'pri_net', 'cas'],
  BRI: ['bri_te', 'bri_nt'],
};
const FRAMING_BY_LINE: Record<DigitalLine, readonly Framing[]> = { E1: ['ccs', 'cas'], T1: ['esf', 'd4'], J1: ['esf', 'd4'], BRI: ['ccs'] };
const CODING_BY_LINE: Record<DigitalLine, readonly Coding[]> = { E1: ['hdb3', 'ami'], T1: ['b8zs', 'ami'], J1: ['b8zs', 'ami'], BRI: ['ami'] };
const RANDOM_DEFAULT_KINDS: readonly FaultKind[] = ['LOS', 'LOF', 'AIS', 'RAI', 'slips', 'crc-burst', 'ebit-burst'];
const DEFAULT_RANDOM_DURATION_MS = 5000;

/** What later checks need to know about a span once the cards are read. */
interface SpanFacts {
  line: DigitalLine | 'analog';
  signalling: Signalling | null;
}

/** `locate` maps a path to its line in the source file, for messages. */
export function validateScenario(raw: unknown, source = 'scenario', locate?: PathLocator): Scenario {
  const c = new Checker(locate);
  const top = c.mapping(raw ?? {}, '', TOP_KEYS) ?? {};
  const cards = top.cards === undefined ? defaultCards() : readCards(c, top.cards);
  const spans = spanFacts(cards);
  checkLimits(c, cards);
  resolveWiring(c, cards, spans);
  const scenario: Scenario = {
    seed: c.int(top.seed, 'seed', 0, 0xffffffff, DEFAULT_SEED),
    recoverMs: c.int(top.recoverMs, 'recoverMs', 0, 600_000, DEFAULT_RECOVER_MS),
    cards,
    faults: readFaults(c, top.faults, spans),
    activity: readActivity(c, top.activity),
  };
  if (c.errors.length > 0) {
    const lines = c.errors.map((issue) => formatIssue(issue, source));
    throw new HardwareError('SCENARIO_INVALID', `${source} is invalid:\n  - ${lines.join('\n  - ')}`, {
      hint: 'see docs/sim-scenarios.md for the scenario format',
    });
  }
  return scenario;
}

function readCards(c: Checker, value: unknown): CardSpec[] {
  const list = c.list(value, 'cards');
  if (list === null) return [];
  if (list.length === 0) c.fail('cards', 'needs at least one card (or leave cards out for the default hardware)');
  return list.map((item, i) => readCard(c, item, `cards[${i}]`, i));
}

function readCard(c: Checker, value: unknown, path: string, index: number): CardSpec {
  const m = c.mapping(value, path, CARD_KEYS) ?? {};
  const driver = c.oneOf(m.driver, `${path}.driver`, DRIVER_NAMES, undefined) ?? 'sim';
  // An unknown driver is already reported; check the rest against the permissive sim model.
  const model = driverModel(driver) ?? (driverModel('sim') as DriverModel);
  const analog = model.lines.includes('analog') && m.spans === undefined;
  const card: CardSpec = {
    vendor: c.text(m.vendor, `${path}.vendor`, model.manufacturer),
    model: c.text(m.model, `${path}.model`, driver),
    location: c.text(m.location, `${path}.location`, `0000:${(index + 3).toString(16).padStart(2, '0')}:00.0`),
    driver,
    deviceId: c.int(m.deviceId, `${path}.deviceId`, 0, 0xffff, 0),
    spans: [],
    ports: [],
  };
  if (m.spans !== undefined && m.ports !== undefined) {
    c.fail(path, 'has both spans and ports: a card is either digital (spans) or analog (ports)');
  } else if (analog) {
    card.ports = readPorts(c, m.ports, `${path}.ports`, model);
  } else if (m.ports !== undefined) {
    c.fail(`${path}.ports`, `driver ${driver} drives digital spans, not analog ports: use spans`);
  } else {
    card.spans = readSpans(c, m.spans, `${path}.spans`, model);
  }
  return card;
}

function readPorts(c: Checker, value: unknown, path: string, model: DriverModel): AnalogPortSpec[] {
  const list = c.list(value, path);
  if (list === null) return [];
  if (list.length === 0 || list.length > model.maxPorts) {
    c.fail(path, `driver ${model.driver} takes 1 to ${model.maxPorts} ports, got ${list.length}`);
  }
  return list.map((item, i) => {
    const m = c.mapping(item, `${path}[${i}]`, ['type']) ?? {};
    return { type: c.oneOf(m.type, `${path}[${i}].type`, ['fxs', 'fxo'] as const, undefined) ?? 'fxs' };
  });
}

function readSpans(c: Checker, value: unknown, path: string, model: DriverModel): DigitalSpanSpec[] {
  const list = c.list(value, path);
  if (list === null) return [];
  if (list.length === 0 || list.length > model.maxSpans) {
    c.fail(path, `driver ${model.driver} drives 1 to ${model.maxSpans} spans, got ${list.length}`);
  }
  const lines = model.lines.filter((l): l is DigitalLine => l !== 'analog');
  return list.map((item, i) => readSpan(c, item, `${path}[${i}]`, lines, i + 1));
}

function readSpan(c: Checker, value: unknown, path: string, lines: readonly DigitalLine[], port: number): DigitalSpanSpec {
  const m = c.mapping(value, path, SPAN_KEYS) ?? {};
  const type = c.oneOf(m.type, `${path}.type`, lines, undefined) ?? lines[0] ?? 'E1';
  const signalling = c.oneOf(m.signalling, `${path}.signalling`, SIGNALLING_BY_LINE[type], SIGNALLING_BY_LINE[type][0]) ?? 'pri_cpe';
  const framing = c.oneOf(m.framing, `${path}.framing`, FRAMING_BY_LINE[type], defaultFraming(type, signalling)) ?? 'ccs';
  if (type === 'E1' && (framing === 'ccs') !== signalling.startsWith('pri')) {
    c.fail(`${path}.framing`, `"${framing}" cannot carry ${signalling} on E1 (PRI needs ccs, MFC/R2 and CAS need cas)`);
  }
  const crc4 = c.bool(m.crc4, `${path}.crc4`, type === 'E1');
  if (crc4 && type !== 'E1') c.fail(`${path}.crc4`, `CRC-4 is E1-only, this span is ${type}`);
  const facingNetwork = signalling !== 'pri_net' && signalling !== 'bri_nt';
  return {
    type,
    framing,
    coding: c.oneOf(m.coding, `${path}.coding`, CODING_BY_LINE[type], CODING_BY_LINE[type][0]) ?? 'ami',
    crc4,
    signalling,
    lbo: c.int(m.lbo, `${path}.lbo`, 0, 7, 0),
    // A span facing the carrier recovers its clock from it; a NET side never does.
    timing: c.int(m.timing, `${path}.timing`, 0, DAHDI_MAX_SPANS, facingNetwork ? port : 0),
    wiredTo: m.wiredTo === undefined ? null : c.int(m.wiredTo, `${path}.wiredTo`, 1, DAHDI_MAX_SPANS, 1),
  };
}

function defaultFraming(type: DigitalLine, signalling: Signalling): Framing {
  if (type === 'T1' || type === 'J1') return 'esf';
  return signalling === 'mfcr2' || signalling === 'cas' ? 'cas' : 'ccs';
}

/** Spans in DAHDI order: one per digital port, one per analog card. Index 0 = span 1. */
function spanFacts(cards: readonly CardSpec[]): SpanFacts[] {
  return cards.flatMap((card): SpanFacts[] =>
    card.ports.length > 0
      ? [{ line: 'analog', signalling: null }]
      : card.spans.map((s) => ({ line: s.type, signalling: s.signalling })),
  );
}

function checkLimits(c: Checker, cards: readonly CardSpec[]): void {
  const spans = spanFacts(cards).length;
  const channels = cards.reduce(
    (sum, card) => sum + card.ports.length + card.spans.reduce((n, s) => n + CHANNELS_PER_SPAN[s.type], 0),
    0,
  );
  if (spans > DAHDI_MAX_SPANS) c.fail('cards', `${spans} spans exceed DAHDI's limit of ${DAHDI_MAX_SPANS}`);
  if (channels > DAHDI_MAX_CHANNELS) c.fail('cards', `${channels} channels exceed DAHDI's limit of ${DAHDI_MAX_CHANNELS}`);
}

/** A back-to-back cable joins two spans of the same line type; one side may name it for both. */
function resolveWiring(c: Checker, cards: CardSpec[], facts: readonly SpanFacts[]): void {
  const specs = cards.flatMap((card) => (card.ports.length > 0 ? [null] : card.spans));
  specs.forEach((spec, i) => {
    if (!spec || spec.wiredTo === null) return;
    const span = i + 1;
    const peer = specs[spec.wiredTo - 1];
    const path = `${spanPath(cards, span)}.wiredTo`;
    if (!peer || spec.wiredTo === span || facts[spec.wiredTo - 1]?.line !== spec.type) {
      c.fail(path, `${spec.wiredTo} is not another ${spec.type} span (spans: 1-${facts.length})`);
    } else if (peer.wiredTo !== null && peer.wiredTo !== span) {
      c.fail(path, `span ${spec.wiredTo} is already wired to span ${peer.wiredTo}`);
    } else {
      peer.wiredTo = span;
    }
  });
}

function spanPath(cards: readonly CardSpec[], span: number): string {
  let n = 0;
  for (const [ci, card] of cards.entries()) {
    for (let si = 0; si < card.spans.length; si++) if (++n === span) return `cards[${ci}].spans[${si}]`;
    if (card.ports.length > 0 && ++n === span) return `cards[${ci}]`;
  }
  return 'cards';
}

function readFaults(c: Checker, value: unknown, spans: readonly SpanFacts[]): Scenario['faults'] {
  if (value === undefined) return { scripted: [], random: null };
  const m = c.mapping(value, 'faults', ['scripted', 'random']) ?? {};
  const list = m.scripted === undefined ? [] : (c.list(m.scripted, 'faults.scripted') ?? []);
  return {
    scripted: list.map((item, i) => readScripted(c, item, `faults.scripted[${i}]`, spans)),
    random: m.random === undefined ? null : readRandom(c, m.random, 'faults.random', spans),
  };
}

function readScripted(c: Checker, value: unknown, path: string, spans: readonly SpanFacts[]): ScriptedFault {
  const m = c.mapping(value, path, FAULT_KEYS) ?? {};
  const fault = c.oneOf(m.fault, `${path}.fault`, FAULT_KINDS, undefined) ?? 'clear';
  const span = c.int(m.span, `${path}.span`, 1, Math.max(1, spans.length), 1);
  checkFaultFits(c, `${path}.span`, fault, span, spans);
  const counts = (COUNTER_FAULTS as readonly string[]).includes(fault) || fault === 'flap';
  const lasts = fault !== 'clear' && !(COUNTER_FAULTS as readonly string[]).includes(fault);
  if (m.duration !== undefined && !lasts) c.fail(`${path}.duration`, `has no meaning for ${fault}`);
  if (m.count !== undefined && !counts) c.fail(`${path}.count`, `has no meaning for ${fault} (counts are for ${[...COUNTER_FAULTS, 'flap'].join(', ')})`);
  return {
    at: c.int(m.at, `${path}.at`, 0, Number.MAX_SAFE_INTEGER, undefined),
    span,
    fault,
    duration: m.duration === undefined ? null : c.int(m.duration, `${path}.duration`, 1, Number.MAX_SAFE_INTEGER, 1),
    count: m.count === undefined ? null : c.int(m.count, `${path}.count`, 1, 1_000_000, 1),
  };
}

function checkFaultFits(c: Checker, path: string, fault: FaultKind, span: number, spans: readonly SpanFacts[]): void {
  const facts = spans[span - 1];
  if (!facts) return;
  if (facts.line === 'analog') {
    c.fail(path, `span ${span} is an analog span; line faults need a digital span (${digitalSpans(spans).join(', ') || 'none'})`);
  } else if (fault === 'dchannel-down' && (facts.signalling === 'mfcr2' || facts.signalling === 'cas')) {
    c.fail(path, `span ${span} carries ${facts.signalling}, which has no D-channel`);
  }
}

function digitalSpans(spans: readonly SpanFacts[]): number[] {
  return spans.flatMap((s, i) => (s.line === 'analog' ? [] : [i + 1]));
}

function readRandom(c: Checker, value: unknown, path: string, spans: readonly SpanFacts[]): RandomFaults {
  const m = c.mapping(value, path, RANDOM_KEYS) ?? {};
  const kindsList = m.kinds === undefined ? null : c.list(m.kinds, `${path}.kinds`);
  const allowed = FAULT_KINDS.filter((k) => k !== 'clear');
  const kinds = kindsList === null
    ? [...RANDOM_DEFAULT_KINDS]
    : kindsList.map((k, i) => c.oneOf(k, `${path}.kinds[${i}]`, allowed, undefined) ?? 'slips');
  const spanList = m.spans === undefined ? null : (c.list(m.spans, `${path}.spans`) ?? []);
  const digital = digitalSpans(spans);
  return {
    ratePerMinute: c.number(m.ratePerMinute, `${path}.ratePerMinute`, 0, 600_000, undefined),
    kinds,
    spans: spanList === null ? null : spanList.map((s, i) => c.oneOf(s, `${path}.spans[${i}]`, digital, undefined) ?? 1),
    durationMs: c.int(m.durationMs, `${path}.durationMs`, 1, Number.MAX_SAFE_INTEGER, DEFAULT_RANDOM_DURATION_MS),
  };
}

function readActivity(c: Checker, value: unknown): Activity {
  const m = value === undefined ? {} : (c.mapping(value, 'activity', ACTIVITY_KEYS) ?? {});
  return {
    hookRatePerMinute: c.number(m.hookRatePerMinute, 'activity.hookRatePerMinute', 0, 600_000, 0),
    abcdRatePerMinute: c.number(m.abcdRatePerMinute, 'activity.abcdRatePerMinute', 0, 600_000, 0),
  };
}
