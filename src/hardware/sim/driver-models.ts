// What each simulated kernel driver looks like from user space: identity, span naming, the
// span types it drives, and which DAHDI_MAINT commands it answers (counter support is shared
// with the real backend in ../counter-support.ts).

import type { MaintenanceOp } from '../dahdi-constants';
import type { CardInfo, SpanType } from '../types';

export type DigitalLine = 'E1' | 'T1' | 'J1' | 'BRI';

export interface DriverModel {
  readonly driver: string;
  readonly manufacturer: string;
  readonly vendorId: number;
  readonly portKind: CardInfo['portKind'];
  /** Line types the driver accepts; 'analog' for FXS/FXO module cards. */
  readonly lines: readonly (DigitalLine | 'analog')[];
  readonly maxSpans: number;
  readonly maxPorts: number;
  /** DAHDI span name and description templates: {n} spans on the card, {card}, {port}, {model}. */
  readonly nameFormat: string;
  readonly descFormat: string;
  /** Commands the driver's maint callback accepts for a span type; [] = no callback (ENOSYS). */
  maintenance(line: DigitalLine | 'analog'): readonly MaintenanceOp[];
  /** Dynamic spans report their own span type whatever the line they carry. */
  readonly reportedType?: { spanType: SpanType; text: string };
  readonly echoCanceller: string | null;
  readonly notes: readonly string[];
}

const ALL_LOOPS: readonly MaintenanceOp[] = [
  'none', 'local-loop', 'network-line-loop', 'network-payload-loop', 'loopup', 'loopdown', 'reset-counters',
];
/** Loop-up/down are in-band T1 codes; Digium framers answer ENOSYS for them in E1 mode. */
const framerMaintenance = (line: DigitalLine | 'analog'): readonly MaintenanceOp[] =>
  line === 'T1' || line === 'J1' ? ALL_LOOPS : ALL_LOOPS.filter((op) => op !== 'loopup' && op !== 'loopdown');
const noMaintenance = (): readonly MaintenanceOp[] => [];

const DIGIUM = { manufacturer: 'Digium', vendorId: 0xd161, echoCanceller: 'VPMOCT032' } as const;

const MODELS: readonly DriverModel[] = [
  {
    ...DIGIUM, driver: 'wct4xxp', portKind: 'E1/T1', lines: ['E1', 'T1', 'J1'], maxSpans: 8, maxPorts: 0,
    nameFormat: 'TE{n}/{card}/{port}', descFormat: 'T{n}XXP (PCI) Card {card} Span {port}',
    maintenance: framerMaintenance, notes: [],
  },
  {
    ...DIGIUM, driver: 'wcte13xp', portKind: 'E1/T1', lines: ['E1', 'T1', 'J1'], maxSpans: 1, maxPorts: 0,
    nameFormat: 'WCT13x/{card}', descFormat: '{model} Card {card}', maintenance: framerMaintenance, notes: [],
  },
  {
    ...DIGIUM, driver: 'wcte43x', portKind: 'E1/T1', lines: ['E1', 'T1', 'J1'], maxSpans: 4, maxPorts: 0,
    nameFormat: 'WCTE43x/{card}/{port}', descFormat: '{model} Card {card} Span {port}',
    maintenance: framerMaintenance, notes: [],
  },
  {
    driver: 'opvxd115', manufacturer: 'OpenVox', vendorId: 0x1b74, echoCanceller: 'OCT6100', portKind: 'E1/T1',
    lines: ['E1', 'T1', 'J1'], maxSpans: 1, maxPorts: 0,
    nameFormat: 'D115/{card}/{port}', descFormat: 'D115 (PCI) Card {card} Span {port}',
    maintenance: framerMaintenance,
    notes: ["needs OpenVox's DAHDI fork: upstream wct4xxp does not bind vendor 1b74"],
  },
  {
    driver: 'wanpipe', manufacturer: 'Sangoma Technologies', vendorId: 0x1923, echoCanceller: 'HWEC',
    portKind: 'E1/T1', lines: ['E1', 'T1', 'J1'], maxSpans: 16, maxPorts: 0,
    nameFormat: 'WP{line}/{card}/{port}', descFormat: 'wanpipe{port} card {card}',
    maintenance: noMaintenance, notes: ['line counters are in `wanpipemon -c Ta`, not in DAHDI'],
  },
  {
    ...DIGIUM, driver: 'wcb4xxp', echoCanceller: null, portKind: 'BRI', lines: ['BRI'], maxSpans: 8, maxPorts: 0,
    nameFormat: 'B4/{card}/{port}', descFormat: 'B4XXP (PCI) Card {card} Span {port}',
    maintenance: noMaintenance, notes: [],
  },
  {
    ...DIGIUM, driver: 'wctdm24xxp', echoCanceller: 'VPMADT032', portKind: 'analog', lines: ['analog'],
    maxSpans: 1, maxPorts: 24, nameFormat: 'WCTDM/{card}', descFormat: 'Wildcard {model} Board {card}',
    maintenance: noMaintenance, notes: [],
  },
  {
    driver: 'dahdi_dynamic_loc', manufacturer: 'Dynamic', vendorId: 0, echoCanceller: null, portKind: 'unknown',
    lines: ['E1', 'T1'], maxSpans: 8, maxPorts: 0, nameFormat: 'DYN/loc/1:{port0}',
    descFormat: "Dynamic 'loc' span at '1:{port0}'", maintenance: noMaintenance,
    reportedType: { spanType: 'DYNAMIC', text: 'DYNAM' }, notes: [],
  },
  {
    driver: 'sim', manufacturer: 'tdmgate', vendorId: 0, echoCanceller: null, portKind: 'E1/T1',
    lines: ['E1', 'T1', 'J1', 'BRI', 'analog'], maxSpans: 32, maxPorts: 32,
    nameFormat: 'SIM/{card}/{port}', descFormat: 'Simulated {model} Card {card} Span {port}',
    maintenance: () => ALL_LOOPS, notes: [],
  },
];

export const DRIVER_NAMES: readonly string[] = MODELS.map((m) => m.driver);

export function driverModel(driver: string): DriverModel | undefined {
  return MODELS.find((m) => m.driver === driver);
}

export interface NameFacts {
  spansOnCard: number;
  card: number;
  /** 1-based port (span) on the card. */
  port: number;
  model: string;
  line: DigitalLine | 'analog';
}

export function formatSpanName(template: string, f: NameFacts): string {
  return template
    .replaceAll('{n}', String(f.spansOnCard))
    .replaceAll('{card}', String(f.card))
    .replaceAll('{port0}', String(f.port - 1))
    .replaceAll('{port}', String(f.port))
    .replaceAll('{model}', f.model)
    .replaceAll('{line}', f.line);
}

/** DAHDI drivers describe a PCI card's place as "PCI Bus 03 Slot 01" (slot counted from 1). */
export function spanLocation(location: string): string {
  const m = /^[0-9a-f]{4}:([0-9a-f]{2}):([0-9a-f]{2})\.[0-7]$/i.exec(location);
  if (!m || m[1] === undefined || m[2] === undefined) return location;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `PCI Bus ${pad(parseInt(m[1], 16))} Slot ${pad(parseInt(m[2], 16) + 1)}`;
}
