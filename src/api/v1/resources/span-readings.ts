// What GET /spans adds to the hardware's own reading: each counter's rate - errors per second
// over the last minute or so, from a baseline reading kept per span and renewed once it is a
// minute old (a technician judges a line by how fast a counter grows), counted as the diag does.

import { counterRate, type CounterSnapshot } from '../../../diagnostics/counter-rates';
import { COUNTER_NAMES, type CounterName, type SpanStatus } from '../../../hardware/types';

/** A baseline is renewed once older than this; rates cover at most about this long. */
const BASELINE_MS = 60_000;
/** Below this, two readings are too close together to give a rate. */
const MIN_WINDOW_MS = 1_000;

export interface CounterRates {
  /** Seconds the rates are measured over. */
  seconds: number;
  /** Per second; null for a counter the driver does not report. */
  perSecond: Record<CounterName, number | null>;
}

export class SpanReadings {
  private readonly baselines = new Map<number, CounterSnapshot>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Rates since the span's baseline, or null while there is none old enough; renews the baseline. */
  ratesOf(status: SpanStatus): CounterRates | null {
    const now = this.now();
    const base = this.baselines.get(status.span);
    if (base === undefined || now - base.at >= BASELINE_MS) this.baselines.set(status.span, { at: now, counters: { ...status.counters } });
    if (base === undefined || now - base.at < MIN_WINDOW_MS) return null;
    const seconds = (now - base.at) / 1000;
    const perSecond = {} as Record<CounterName, number | null>;
    for (const name of COUNTER_NAMES) perSecond[name] = counterRate(base.counters[name], status.counters[name], seconds)?.perSecond ?? null;
    return { seconds: Math.round(seconds), perSecond };
  }
}
