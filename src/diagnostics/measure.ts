// Reads spans twice, a window apart, so findings can judge counters by their rate. With a
// window of 0 the spans are read once and rates are left unmeasured (null).

import { setTimeout as delay } from 'node:timers/promises';
import type { HardwareBackend, SpanStatus } from '../hardware/types';
import { counterRates, type CounterRates } from './counter-rates';

export interface Measurement {
  spans: SpanStatus[];
  rates: Map<number, CounterRates> | null;
  windowSeconds: number;
}

export interface MeasureOptions {
  /** Only this span (throws UNKNOWN_SPAN if absent); all spans when undefined. */
  span?: number;
  windowSeconds: number;
  signal?: AbortSignal;
  now?: () => number;
}

async function read(backend: HardwareBackend, span: number | undefined): Promise<SpanStatus[]> {
  return span === undefined ? backend.spans() : [await backend.span(span)];
}

export async function measureSpans(backend: HardwareBackend, options: MeasureOptions): Promise<Measurement> {
  const now = options.now ?? Date.now;
  const firstAt = now();
  const first = await read(backend, options.span);
  if (options.windowSeconds <= 0) return { spans: first, rates: null, windowSeconds: 0 };
  await delay(options.windowSeconds * 1000, undefined, options.signal ? { signal: options.signal } : {});
  const secondAt = now();
  const second = await read(backend, options.span);
  const before = new Map(first.map((status) => [status.span, status]));
  const rates = new Map<number, CounterRates>();
  for (const status of second) {
    const earlier = before.get(status.span);
    // A span that appeared during the window has no earlier reading to compare with.
    if (earlier) rates.set(status.span, counterRates({ at: firstAt, counters: earlier.counters }, { at: secondAt, counters: status.counters }));
  }
  return { spans: second, rates, windowSeconds: options.windowSeconds };
}
