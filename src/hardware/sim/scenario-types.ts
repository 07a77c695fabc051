// The scenario's types and vocabularies: virtual cards, spans, ports, faults and activity, as
// the sim runs them after validation (defaults filled in, span numbers resolved).

import type { DigitalLine } from './driver-models';

export type Signalling = 'pri_cpe' | 'pri_net' | 'mfcr2' | 'cas' | 'bri_te' | 'bri_nt';
export type Framing = 'ccs' | 'cas' | 'esf' | 'd4';
export type Coding = 'hdb3' | 'ami' | 'b8zs';

export const LINE_FAULTS = ['LOS', 'LOF', 'AIS', 'RAI', 'dchannel-down'] as const;
export const COUNTER_FAULTS = ['slips', 'crc-burst', 'ebit-burst'] as const;
export const FAULT_KINDS = [...LINE_FAULTS, ...COUNTER_FAULTS, 'flap', 'clear'] as const;
export type LineFault = (typeof LINE_FAULTS)[number];
export type CounterFault = (typeof COUNTER_FAULTS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface DigitalSpanSpec {
  type: DigitalLine;
  framing: Framing;
  coding: Coding;
  crc4: boolean;
  signalling: Signalling;
  /** Line build-out, 0-7 as in system.conf. */
  lbo: number;
  /** Sync priority: 0 = never take clock from this span, 1 = first choice, ... */
  timing: number;
  /** Global span number this span is cabled to back to back (a lab crossover cable), or null. */
  wiredTo: number | null;
}

export interface AnalogPortSpec {
  type: 'fxs' | 'fxo';
}

export interface CardSpec {
  vendor: string;
  model: string;
  /** PCI address, e.g. 0000:03:00.0. */
  location: string;
  driver: string;
  deviceId: number;
  spans: DigitalSpanSpec[];
  ports: AnalogPortSpec[];
}

export interface ScriptedFault {
  /** Milliseconds after the backend starts. */
  at: number;
  span: number;
  fault: FaultKind;
  /** Alarm faults: how long the fault lasts (null = until a `clear`); flap: the whole flapping. */
  duration: number | null;
  /** Counter faults: errors added; flap: number of LOS bounces. */
  count: number | null;
}

export interface RandomFaults {
  ratePerMinute: number;
  kinds: FaultKind[];
  /** Spans eligible, null = every digital span. */
  spans: number[] | null;
  /** How long a random alarm fault lasts. */
  durationMs: number;
}

export interface Activity {
  /** Hook changes per analog port per minute (and A-bit changes on T1 E&M channels). */
  hookRatePerMinute: number;
  /** ABCD changes per CAS channel per minute. */
  abcdRatePerMinute: number;
}

export interface Scenario {
  seed: number;
  /** DAHDI's recovery interval: RECOVER is shown this long after the last alarm clears. */
  recoverMs: number;
  cards: CardSpec[];
  faults: { scripted: ScriptedFault[]; random: RandomFaults | null };
  activity: Activity;
}
