// The live state of one simulated span - active line faults, maintenance, recovery timer and
// raw counters - and the pure rules that turn it into DAHDI alarm bits the way real framers
// and dahdi-base do.

import { ALARM_BITS as A, type MaintenanceOp } from '../dahdi-constants';
import { COUNTER_NAMES, type CounterName } from '../types';
import type { LineFault } from './scenario-types';

export interface LineInputs {
  los: boolean;
  lof: boolean;
  ais: boolean;
  rai: boolean;
}

/** What the far end does to us through a back-to-back cable. */
export interface PeerInputs {
  /** The peer span is gone: nothing arrives on our receive pair. */
  gone: boolean;
  /** The peer is in RED/BLUE and so transmits RAI (remote alarm indication) to us. */
  sendsRai: boolean;
}

const NO_PEER: PeerInputs = { gone: false, sendsRai: false };

/**
 * Line alarms as a framer reports them. LOS and loss of frame alignment set RED with their
 * detail bit; AIS (all ones, a signal) is BLUE; RAI shows as YELLOW only when we have frame
 * alignment, since the RAI bit is read from the frame. A local loop receives our own signal.
 */
export function lineAlarms(line: LineInputs, peer: PeerInputs, localLoop: boolean): number {
  if (localLoop) return 0;
  let bits = 0;
  if (line.los || peer.gone) bits |= A.RED | A.LOS;
  else if (line.ais) bits |= A.BLUE;
  else if (line.lof) bits |= A.RED | A.LFA;
  if ((bits & (A.RED | A.BLUE)) === 0 && (line.rai || peer.sendsRai)) bits |= A.YELLOW;
  return bits;
}

/** dahdi-base ORs LOOPBACK in whenever a maintenance mode is set; RECOVER while recovering. */
export function spanAlarms(line: number, recovering: boolean, maint: MaintenanceOp): number {
  return line | (recovering ? A.RECOVER : 0) | (maint === 'none' ? 0 : A.LOOPBACK);
}

/** Maintenance ops that leave a loop in place (loopdown and reset-counters do not). */
export function isLoopOp(op: MaintenanceOp): boolean {
  return op === 'local-loop' || op === 'network-line-loop' || op === 'network-payload-loop' || op === 'loopup';
}

export class SpanState {
  present = true;
  readonly line: LineInputs = { los: false, lof: false, ais: false, rai: false };
  dchannelDown = false;
  maint: MaintenanceOp = 'none';
  /** Epoch ms when RECOVER ends; 0 when not recovering. */
  recoverUntil = 0;
  /** Line alarms at the last evaluation: their clearing starts the recovery interval. */
  lastLine = 0;
  /** Raw counter values, indexed like COUNTER_NAMES; what the driver reports is decided later. */
  readonly counters = new Float64Array(COUNTER_NAMES.length);

  setFault(fault: LineFault, on: boolean): void {
    if (fault === 'dchannel-down') this.dchannelDown = on;
    else this.line[FAULT_FIELD[fault]] = on;
  }

  clearFaults(): void {
    this.line.los = this.line.lof = this.line.ais = this.line.rai = false;
    this.dchannelDown = false;
  }

  /** Far-end view of this span for its wired peer. */
  asPeer(): PeerInputs {
    if (!this.present) return { gone: true, sendsRai: false };
    return { gone: false, sendsRai: (lineAlarms(this.line, NO_PEER, false) & (A.RED | A.BLUE)) !== 0 };
  }

  /**
   * Re-evaluates the alarms at `now` and returns them. Line alarms clearing start the recovery
   * interval (RECOVER); a new line alarm cancels it.
   */
  evaluate(now: number, peer: PeerInputs | null, recoverMs: number): number {
    const line = lineAlarms(this.line, peer ?? NO_PEER, this.maint === 'local-loop');
    if (line !== 0) this.recoverUntil = 0;
    else if (this.lastLine !== 0 && recoverMs > 0) this.recoverUntil = now + recoverMs;
    if (this.recoverUntil !== 0 && now >= this.recoverUntil) this.recoverUntil = 0;
    this.lastLine = line;
    return spanAlarms(line, this.recoverUntil !== 0, this.maint);
  }

  addCounter(name: CounterName, n: number): void {
    const i = COUNTER_NAMES.indexOf(name);
    this.counters[i] = (this.counters[i] ?? 0) + n;
  }

  rawCounters(): Record<CounterName, number> {
    const out = {} as Record<CounterName, number>;
    COUNTER_NAMES.forEach((name, i) => (out[name] = this.counters[i] ?? 0));
    return out;
  }
}

const FAULT_FIELD: Record<Exclude<LineFault, 'dchannel-down'>, keyof LineInputs> = {
  LOS: 'los',
  LOF: 'lof',
  AIS: 'ais',
  RAI: 'rai',
};
