// Watches the backend for the spans of the site and keeps each span's alarm record: one pass
// over every batch (O(events)), the block/unblock decision once per changed span, and ONE timer
// for the earliest pending unblock - never a timer per event, so an alarm storm of thousands of
// edges a second costs a loop over an array, not a pile of timers.

import type { HardwareBackend, HardwareEvent, Subscription } from '../../hardware/types';
import { initialRecord, observe, settle, unblockAt, type AlarmPolicy, type SpanAlarmRecord } from './alarm-policy';
import type { Clock, TimerHandle } from '../../clock';

export interface SpanChange {
  span: number;
  record: SpanAlarmRecord;
}

export interface SpanWatchOptions {
  backend: HardwareBackend;
  clock: Clock;
  policy: AlarmPolicy;
  intervalMs: number;
  /** Spans the site has; events for other spans are not ours. */
  spans: readonly number[];
  /** Called with the spans whose record changed (alarms, block or presence), once per batch. */
  onChange: (changes: readonly SpanChange[]) => void;
  /** A failed re-read of a span after span-added; the span stays as it was. */
  onError: (span: number, err: unknown) => void;
}

export class SpanWatch {
  private readonly records = new Map<number, SpanAlarmRecord>();
  /** Bumped by every alarm edge, so a re-read that resolves late never overwrites newer news. */
  private readonly versions = new Map<number, number>();
  private subscription: Subscription | null = null;
  private timer: TimerHandle | null = null;
  private timerAt = Infinity;
  private stopped = false;

  constructor(private readonly o: SpanWatchOptions) {}

  /** Reads the spans as the hardware shows them now, then follows the events. */
  async start(): Promise<void> {
    const present = new Map((await this.o.backend.spans()).map((s) => [s.span, s]));
    const now = this.o.clock.now();
    for (const span of this.o.spans) {
      const hw = present.get(span);
      this.records.set(span, initialRecord(hw?.alarms ?? 0, hw === undefined, now, this.o.policy));
      this.versions.set(span, 0);
    }
    if (this.stopped) return;
    this.subscription = this.o.backend.subscribe((batch) => this.onBatch(batch), { intervalMs: this.o.intervalMs });
    this.rearm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.o.clock.clearTimer(this.timer);
    this.timer = null;
    const sub = this.subscription;
    this.subscription = null;
    if (sub) await sub.close();
  }

  record(span: number): SpanAlarmRecord | undefined {
    return this.records.get(span);
  }

  /** The whole batch in one pass; each span's decision is made once, after its last edge. */
  private onBatch(batch: readonly HardwareEvent[]): void {
    if (this.stopped) return;
    const changed = new Set<number>();
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i] as HardwareEvent;
      const record = this.records.get(e.span);
      if (record === undefined) continue;
      if (e.kind === 'alarm') {
        this.records.set(e.span, observe(record, e.alarms, record.missing, e.at, this.o.policy));
        this.versions.set(e.span, (this.versions.get(e.span) ?? 0) + 1);
        changed.add(e.span);
      } else if (e.kind === 'span-removed') {
        this.records.set(e.span, observe(record, record.alarms, true, e.at, this.o.policy));
        changed.add(e.span);
      } else if (e.kind === 'span-added') {
        // The watcher takes a (re)appearing span as it is, without an alarm edge: read it.
        this.reread(e.span);
      }
    }
    this.finish(changed);
  }

  private reread(span: number): void {
    const version = this.versions.get(span) ?? 0;
    this.o.backend.span(span).then(
      (status) => {
        const record = this.records.get(span);
        if (this.stopped || record === undefined) return;
        // An alarm edge since the read began is newer than what the read saw: keep the edge.
        const alarms = (this.versions.get(span) ?? 0) === version ? status.alarms : record.alarms;
        this.records.set(span, observe(record, alarms, false, this.o.clock.now(), this.o.policy));
        this.finish(new Set([span]));
      },
      (err: unknown) => this.o.onError(span, err),
    );
  }

  /** Settles hold-downs that are due, reports the changed spans, re-arms the one timer. */
  private finish(changed: Set<number>): void {
    const now = this.o.clock.now();
    for (const [span, record] of this.records) {
      const settled = settle(record, now);
      if (settled !== record) {
        this.records.set(span, settled);
        changed.add(span);
      }
    }
    if (changed.size > 0) this.o.onChange([...changed].map((span) => ({ span, record: this.records.get(span) as SpanAlarmRecord })));
    this.rearm();
  }

  private rearm(): void {
    if (this.stopped) return;
    let earliest = Infinity;
    for (const record of this.records.values()) {
      const due = unblockAt(record);
      if (due !== null && due < earliest) earliest = due;
    }
    if (earliest === this.timerAt) return;
    if (this.timer !== null) this.o.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = earliest;
    if (earliest === Infinity) return;
    this.timer = this.o.clock.setTimer(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.finish(new Set());
    }, Math.max(0, earliest - this.o.clock.now()), true);
  }
}
