// Counter rates: turns two snapshots of a span's error counters into deltas and rates per
// second. Technicians judge a line by how fast a counter grows, never by its total.

import { COUNTER_NAMES, type CounterName, type Counters } from '../hardware/types';

export interface CounterSnapshot {
  /** Milliseconds since the epoch when the counters were read. */
  at: number;
  counters: Counters;
}

export interface CounterRate {
  delta: number;
  perSecond: number;
  /** The counter went backwards (driver reload, reset-counters): the delta counts from zero. */
  reset: boolean;
}

/** null = the driver does not report this counter, so there is no rate to speak of. */
export type CounterRates = Record<CounterName, CounterRate | null>;

export function counterRate(before: number | null, after: number | null, seconds: number): CounterRate | null {
  if (before === null || after === null) return null;
  // Counters only grow; a smaller value means they were zeroed in between, so everything
  // counted since then is new.
  const reset = after < before;
  const delta = reset ? after : after - before;
  return { delta, perSecond: seconds > 0 ? delta / seconds : 0, reset };
}

export function counterRates(before: CounterSnapshot, after: CounterSnapshot): CounterRates {
  const seconds = Math.max(0, (after.at - before.at) / 1000);
  const rates = {} as CounterRates;
  for (const name of COUNTER_NAMES) {
    rates[name] = counterRate(before.counters[name], after.counters[name], seconds);
  }
  return rates;
}

/** Counters that grew between the two snapshots, in COUNTER_NAMES order. */
export function risingCounters(rates: CounterRates): CounterName[] {
  return COUNTER_NAMES.filter((name) => (rates[name]?.delta ?? 0) > 0);
}

/** Counters the driver leaves unwritten (reported as null), in COUNTER_NAMES order. */
export function unreportedCounters(counters: Counters): CounterName[] {
  return COUNTER_NAMES.filter((name) => counters[name] === null);
}
