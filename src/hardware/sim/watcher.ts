// One subscription to the sim: polls the state every interval and turns differences into
// edge events, exactly as the DAHDI watcher does with SPANSTAT and GET_PARAMS - span-added for
// every span on the first poll, then alarm, counter, D-channel, hook and ABCD edges. Changes
// that come and go between two polls are not seen, as on the real driver.

import { alarmNames } from '../dahdi-constants';
import { COUNTER_NAMES, type CounterName, type HardwareEvent, type Subscription } from '../types';
import type { Clock, TimerHandle } from '../../clock';
import type { SimState } from './sim-state';

const NC = COUNTER_NAMES.length;

export class SimWatcher implements Subscription {
  private readonly present: Uint8Array;
  private readonly alarms: Int32Array;
  private readonly counters: Float64Array;
  private readonly dchannel: Int8Array;
  private readonly hook: Int8Array;
  private readonly rxBits: Int16Array;
  /** Events handed in through SimBackend.inject(), delivered with the next batch. */
  private injected: HardwareEvent[] = [];
  private timer: TimerHandle | null = null;
  private closed = false;

  constructor(
    private readonly state: SimState,
    private readonly clock: Clock,
    private readonly listener: (batch: readonly HardwareEvent[]) => void,
    private readonly intervalMs: number,
    private readonly onClose: (w: SimWatcher) => void,
  ) {
    const spans = state.topology.spans.length;
    this.present = new Uint8Array(spans + 1);
    this.alarms = new Int32Array(spans + 1);
    this.counters = new Float64Array(spans * NC);
    this.dchannel = new Int8Array(spans + 1);
    this.hook = new Int8Array(state.hook.length);
    this.rxBits = new Int16Array(state.rxBits.length);
    // The first poll runs at once, like the native watcher's.
    this.timer = clock.setTimer(() => this.tick(), 0, false);
  }

  inject(events: readonly HardwareEvent[]): void {
    if (this.closed) return;
    for (let i = 0; i < events.length; i++) this.injected.push(events[i] as HardwareEvent);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      if (this.timer !== null) this.clock.clearTimer(this.timer);
      this.timer = null;
      this.injected = [];
      this.onClose(this);
    }
    return Promise.resolve();
  }

  private tick(): void {
    // Re-arm first: a throwing listener must not stop the watcher.
    this.timer = this.clock.setTimer(() => this.tick(), this.intervalMs, false);
    const at = this.clock.now();
    const batch: HardwareEvent[] = [];
    // On the first poll every present span is new, so the batch is its span-added events.
    for (const layout of this.state.topology.spans) this.pollSpan(layout.span, at, batch);
    if (this.injected.length > 0) {
      for (const e of this.injected) batch.push(e);
      this.injected = [];
    }
    if (batch.length > 0) this.listener(batch);
  }

  private pollSpan(span: number, at: number, batch: HardwareEvent[]): void {
    const isPresent = this.state.isPresent(span);
    const wasPresent = this.present[span] === 1;
    if (isPresent !== wasPresent) {
      this.present[span] = isPresent ? 1 : 0;
      batch.push({ at, span, kind: isPresent ? 'span-added' : 'span-removed' });
      // A span that (re)appears is taken as it is, like the first poll of the native watcher.
      if (isPresent) this.baseline(span);
      return;
    }
    if (!isPresent) return;
    this.pollAlarms(span, at, batch);
    this.pollCounters(span, at, batch);
    this.pollDchannel(span, at, batch);
    this.pollChannels(span, at, batch);
  }

  private baseline(span: number): void {
    const s = this.state.state(span);
    this.alarms[span] = this.state.alarms[span] ?? 0;
    for (let i = 0; i < NC; i++) this.counters[(span - 1) * NC + i] = s.counters[i] ?? 0;
    this.dchannel[span] = this.state.dchannel[span] ?? -1;
    for (const ch of this.state.layout(span)?.channels ?? []) {
      this.hook[ch.channel] = this.state.hook[ch.channel] ?? -1;
      this.rxBits[ch.channel] = this.state.rxBits[ch.channel] ?? -1;
    }
  }

  private pollAlarms(span: number, at: number, batch: HardwareEvent[]): void {
    const previous = this.alarms[span] ?? 0;
    const alarms = this.state.alarms[span] ?? 0;
    if (previous === alarms) return;
    this.alarms[span] = alarms;
    batch.push({
      at, span, kind: 'alarm', previous, alarms,
      raised: alarmNames(alarms & ~previous),
      cleared: alarmNames(previous & ~alarms),
    });
  }

  private pollCounters(span: number, at: number, batch: HardwareEvent[]): void {
    const raw = this.state.state(span).counters;
    const base = (span - 1) * NC;
    let deltas: Partial<Record<CounterName, number>> | null = null;
    for (let i = 0; i < NC; i++) {
      const now = raw[i] ?? 0;
      const delta = now - (this.counters[base + i] ?? 0);
      this.counters[base + i] = now;
      // A drop is a counter reset (maintenance), not negative errors: take the new value as base.
      if (delta > 0 && this.state.reported[base + i] === 1) (deltas ??= {})[COUNTER_NAMES[i] as CounterName] = delta;
    }
    if (deltas) batch.push({ at, span, kind: 'counters', deltas });
  }

  private pollDchannel(span: number, at: number, batch: HardwareEvent[]): void {
    const now = this.state.dchannel[span] ?? -1;
    if (now === this.dchannel[span]) return;
    this.dchannel[span] = now;
    if (now !== -1) batch.push({ at, span, kind: 'dchannel', up: now === 1 });
  }

  private pollChannels(span: number, at: number, batch: HardwareEvent[]): void {
    const layout = this.state.layout(span);
    if (!layout) return;
    const hook = this.state.hook;
    const bits = this.state.rxBits;
    for (const ch of layout.channels) {
      const c = ch.channel;
      const b = bits[c] ?? -1;
      const was = this.rxBits[c] ?? -1;
      if (b !== was) {
        this.rxBits[c] = b;
        if (b !== -1 && was !== -1) batch.push({ at, span, kind: 'abcd', channel: c, previous: was, bits: b });
      }
      const h = hook[c] ?? -1;
      if (h !== this.hook[c]) {
        this.hook[c] = h;
        if (h !== -1) batch.push({ at, span, kind: 'hook', channel: c, hook: h === 1 ? 'offhook' : 'onhook' });
      }
    }
  }
}
