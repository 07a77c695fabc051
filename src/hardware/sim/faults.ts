// The fault scheduler: plays a scenario's scripted faults, draws random faults and line
// activity (hook and ABCD changes) from the seeded PRNG, and applies faults on request from
// the test controls. All timing goes through the Clock, so it runs in virtual time in tests.

import type { Clock, TimerHandle } from '../../clock';
import type { Prng } from './prng';
import { COUNTER_FAULTS, LINE_FAULTS, type CounterFault, type FaultKind, type LineFault, type Scenario } from './scenario-types';
import type { SimState } from './sim-state';
import type { ChannelLayout } from './topology';

export interface FaultOptions {
  /** Alarm faults: clear after this long (default: stay until cleared). Flap: total time. */
  durationMs?: number | null;
  /** Counter faults: errors to add (default 1). Flap: LOS bounces (default 5). */
  count?: number | null;
}

const FLAP_DEFAULT_COUNT = 5;
const FLAP_DEFAULT_BOUNCE_MS = 2000;
/** A stalled event loop must not make activity catch up forever in one go. */
const MAX_ACTIVITY_PER_STEP = 100_000;

export class FaultScheduler {
  private readonly timers = new Set<TimerHandle>();
  private readonly spanTimers = new Map<number, Set<TimerHandle>>();
  private stopped = false;

  constructor(
    private readonly state: SimState,
    private readonly clock: Clock,
  ) {}

  /** Starts the scenario: scripted faults relative to now, random faults and activity. */
  start(scenario: Scenario, faultRng: Prng, activityRng: Prng): void {
    for (const f of scenario.faults.scripted) {
      this.after(f.at, null, () => this.apply(f.span, f.fault, { durationMs: f.duration, count: f.count }));
    }
    const random = scenario.faults.random;
    if (random && random.ratePerMinute > 0) {
      const spans = random.spans ?? this.state.topology.spans.filter((s) => s.line !== 'analog').map((s) => s.span);
      if (spans.length > 0) this.randomFaults(random.ratePerMinute / 60_000, spans, random.kinds, random.durationMs, faultRng);
    }
    const channels = this.state.topology.channels.filter((c): c is ChannelLayout => c !== undefined);
    const analog = channels.filter((c) => c.role === 'fxo-port' || c.role === 'fxs-port');
    const cas = channels.filter((c) => c.role === 'cas' || c.role === 'em');
    this.activity(scenario.activity.hookRatePerMinute, analog, activityRng);
    this.activity(scenario.activity.abcdRatePerMinute, cas, activityRng);
  }

  /** Applies one fault now; alarm faults with a duration clear themselves. */
  apply(span: number, fault: FaultKind, options: FaultOptions = {}): void {
    if (fault === 'clear') return this.clear(span);
    if (fault === 'flap') return this.flap(span, options);
    if (isCounterFault(fault)) return this.countErrors(span, fault, options.count ?? 1);
    this.state.setFault(span, fault, true);
    const duration = options.durationMs;
    if (typeof duration === 'number' && duration > 0) this.after(duration, span, () => this.state.setFault(span, fault, false));
  }

  /** Clears one line fault, or every fault and pending fault timer of the span. */
  clear(span: number, fault?: LineFault): void {
    if (fault !== undefined) return this.state.setFault(span, fault, false);
    for (const t of this.spanTimers.get(span) ?? []) this.cancel(t);
    this.spanTimers.delete(span);
    this.state.clearFaults(span);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) this.clock.clearTimer(t);
    this.timers.clear();
    this.spanTimers.clear();
  }

  private countErrors(span: number, fault: CounterFault, count: number): void {
    switch (fault) {
      case 'slips':
        this.state.addCounter(span, 'slips', count);
        break;
      case 'crc-burst':
        // A burst of CRC-4 errors lands inside one errored second.
        this.state.addCounter(span, 'crc4', count);
        this.state.addCounter(span, 'errsec', 1);
        break;
      case 'ebit-burst':
        this.state.addCounter(span, 'ebit', count);
        break;
    }
  }

  /** LOS on and off `count` times over the duration: what a loose connector looks like. */
  private flap(span: number, options: FaultOptions): void {
    const count = options.count ?? FLAP_DEFAULT_COUNT;
    const half = (options.durationMs ?? count * FLAP_DEFAULT_BOUNCE_MS) / (2 * count);
    for (let i = 0; i < count; i++) {
      this.after(2 * i * half, span, () => this.state.setFault(span, 'LOS', true));
      this.after((2 * i + 1) * half, span, () => this.state.setFault(span, 'LOS', false));
    }
  }

  private randomFaults(ratePerMs: number, spans: readonly number[], kinds: readonly FaultKind[], durationMs: number, rng: Prng): void {
    const next = (): void => {
      const span = rng.pick(spans);
      const fault = rng.pick(kinds);
      // Vary the length and size so that a long run shows short and long outages.
      const duration = Math.round(durationMs * (0.5 + rng.next()));
      const count = fault === 'flap' ? rng.int(3, 8) : rng.int(1, 100);
      if (this.state.isPresent(span)) this.apply(span, fault, { durationMs: duration, count });
      this.after(rng.exponentialMs(ratePerMs), null, next);
    };
    this.after(rng.exponentialMs(ratePerMs), null, next);
  }

  /**
   * A Poisson stream of changes spread over `channels`. Each timer firing applies every change
   * due by now, so high rates cost one timer per step rather than one per change.
   */
  private activity(ratePerMinute: number, channels: readonly ChannelLayout[], rng: Prng): void {
    if (ratePerMinute <= 0 || channels.length === 0) return;
    const ratePerMs = (ratePerMinute * channels.length) / 60_000;
    let dueAt = this.clock.now() + rng.exponentialMs(ratePerMs);
    const step = (): void => {
      const now = this.clock.now();
      for (let n = 0; dueAt <= now && n < MAX_ACTIVITY_PER_STEP; n++) {
        this.toggle(rng.pick(channels));
        dueAt += rng.exponentialMs(ratePerMs);
      }
      if (dueAt <= now) dueAt = now;
      this.after(Math.max(1, dueAt - now), null, step);
    };
    this.after(Math.max(1, dueAt - this.clock.now()), null, step);
  }

  private toggle(ch: ChannelLayout): void {
    if (!this.state.isPresent(ch.span)) return;
    if (ch.role === 'fxo-port' || ch.role === 'fxs-port') {
      this.state.setHook(ch.channel, this.state.hook[ch.channel] === 1 ? 'onhook' : 'offhook');
    } else {
      // Seizure and release both flip the A bit, on MFC/R2 line signalling as on E&M.
      this.state.setRxBits(ch.channel, (this.state.rxBits[ch.channel] ?? 0) ^ 0b1000, ch.role);
    }
  }

  private after(ms: number, span: number | null, fn: () => void): void {
    if (this.stopped) return;
    const handle = this.clock.setTimer(() => {
      this.timers.delete(handle);
      if (span !== null) this.spanTimers.get(span)?.delete(handle);
      fn();
    }, ms, true);
    this.timers.add(handle);
    if (span !== null) {
      const set = this.spanTimers.get(span) ?? new Set<TimerHandle>();
      set.add(handle);
      this.spanTimers.set(span, set);
    }
  }

  private cancel(handle: TimerHandle): void {
    this.clock.clearTimer(handle);
    this.timers.delete(handle);
  }
}

export function isCounterFault(fault: FaultKind): fault is CounterFault {
  return (COUNTER_FAULTS as readonly string[]).includes(fault);
}

export function isLineFault(fault: FaultKind): fault is LineFault {
  return (LINE_FAULTS as readonly string[]).includes(fault);
}
