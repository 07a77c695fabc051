// What GET /spans adds to the hardware's own reading: each counter's rate (errors per second
// over the last minute or so, from a baseline reading kept per span and renewed once it is a
// minute old - a technician judges a line by how fast a counter grows) and the D-channel state
// as the hardware's events last told it ('unknown' until one was seen; null on spans without a
// D-channel: CAS, MFC/R2, analog). Follows the hardware's events from start() to stop().

import { COUNTER_NAMES, type CounterName, type Counters, type HardwareBackend, type SpanStatus, type Subscription } from '../../../hardware/types';
import type { SiteConfig } from '../../../provisioning/site/site-types';

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

export type DchannelState = 'up' | 'down' | 'unknown';

interface Reading {
  at: number;
  counters: Counters;
}

export class SpanReadings {
  private readonly baselines = new Map<number, Reading>();
  private readonly dchannel = new Map<number, DchannelState>();
  private subscription: Subscription | null = null;

  constructor(private readonly backend: Pick<HardwareBackend, 'subscribe'>, site: SiteConfig, private readonly now: () => number = Date.now) {
    for (const card of site.cards) {
      for (const s of card.spans) {
        const t = s.signalling.type;
        if (t === 'pri_cpe' || t === 'pri_net' || t === 'bri_cpe' || t === 'bri_net') this.dchannel.set(s.span, 'unknown');
      }
    }
  }

  start(): void {
    this.subscription ??= this.backend.subscribe((batch) => {
      for (const e of batch) if (e.kind === 'dchannel') this.dchannel.set(e.span, e.up ? 'up' : 'down');
    });
  }

  async stop(): Promise<void> {
    const s = this.subscription;
    this.subscription = null;
    await s?.close();
  }

  dchannelOf(span: number): DchannelState | null {
    return this.dchannel.get(span) ?? null;
  }

  /** Rates since the span's baseline, or null while there is none old enough; renews the baseline. */
  ratesOf(status: SpanStatus): CounterRates | null {
    const now = this.now();
    const base = this.baselines.get(status.span);
    if (base === undefined || now - base.at >= BASELINE_MS) this.baselines.set(status.span, { at: now, counters: { ...status.counters } });
    if (base === undefined || now - base.at < MIN_WINDOW_MS) return null;
    const seconds = (now - base.at) / 1000;
    const perSecond = {} as Record<CounterName, number | null>;
    for (const name of COUNTER_NAMES) {
      const before = base.counters[name];
      const after = status.counters[name];
      // A counter that went backwards was reset: all it counts now is new.
      perSecond[name] = before === null || after === null ? null : (after < before ? after : after - before) / seconds;
    }
    return { seconds: Math.round(seconds), perSecond };
  }
}
