// Spans in and out of service for call handling, from the hardware watcher: any alarm bit
// (RED, BLUE, YELLOW, RECOVER, ...), a PRI D-channel down, or a removed span takes the span's
// timeslots out of hunting, and its calls are cleared with cause 38 (network out of order),
// as sig_pri does on an alarm; no alarm and the D-channel up bring it back.

import type { HardwareBackend, HardwareEvent, Subscription } from '../../hardware/types';

export interface SpanSink {
  setSpanUp(span: number, up: boolean): boolean;
  spanLost(span: number): void;
}

export class SpanWatch {
  private sub: Subscription | null = null;
  private readonly alarms = new Map<number, number>();
  private readonly dchanDown = new Set<number>();
  private readonly removed = new Set<number>();

  constructor(
    private readonly backend: HardwareBackend,
    private readonly sink: SpanSink,
    private readonly intervalMs: number,
  ) {}

  async start(): Promise<void> {
    for (const s of await this.backend.spans()) {
      this.alarms.set(s.span, s.alarms);
      this.apply(s.span);
    }
    this.sub = this.backend.subscribe((batch) => this.onBatch(batch), { intervalMs: this.intervalMs });
  }

  async stop(): Promise<void> {
    const sub = this.sub;
    this.sub = null;
    await sub?.close();
  }

  private onBatch(batch: readonly HardwareEvent[]): void {
    const touched = new Set<number>();
    for (const e of batch) {
      if (e.kind === 'alarm') this.alarms.set(e.span, e.alarms);
      else if (e.kind === 'dchannel') {
        if (e.up) this.dchanDown.delete(e.span);
        else this.dchanDown.add(e.span);
      } else if (e.kind === 'span-removed') this.removed.add(e.span);
      else if (e.kind === 'span-added') this.removed.delete(e.span);
      else continue;
      touched.add(e.span);
    }
    for (const span of touched) this.apply(span);
  }

  private apply(span: number): void {
    const up = !this.removed.has(span) && !this.dchanDown.has(span) && (this.alarms.get(span) ?? 0) === 0;
    if (this.sink.setSpanUp(span, up) && !up) this.sink.spanLost(span);
  }
}
