// What the status page starts from and what it learns beyond the TrunkMap's own events: the
// stream's snapshot becomes the TrunkMap snapshot plus the site's frames (`layout`), the calls up
// now with their numbers (`calls`), each span's hardware health (`health`) and the last span
// events (`timeline`). Health is read from the hardware every `intervalMs` and at once when a
// span changes condition; a span whose health changed is told to every client as a `health`
// event on the live stream. One timer; one hardware read at a time.

import type { CounterSnapshot } from '../../diagnostics/counter-rates';
import type { HardwareBackend } from '../../hardware/types';
import type { SiteConfig } from '../../provisioning/site/site-types';
import type { CallEvent } from '../../supervisor/calls/call-events';
import type { SpanInService, SpanOutOfService, TrunkMapSnapshot } from '../../supervisor/trunk-map';
import type { DchannelStates } from '../dchannel-states';
import type { EventJournal } from '../events/event-journal';
import { ActiveCalls, type ActiveCall } from './active-calls';
import { statusLayout, type StatusLayout } from './site-layout';
import { healthChanged, spanHealth, type SpanHealth } from './span-health';

export interface TimelineEntry {
  span: number;
  state: 'in-service' | 'alarm' | 'maintenance';
  reason: string[];
  at: number;
}

export interface StatusSnapshot extends TrunkMapSnapshot {
  layout: StatusLayout;
  calls: ActiveCall[];
  health: SpanHealth[];
  /** The last span events, oldest first. */
  timeline: TimelineEntry[];
}

export interface StatusBoardOptions {
  site: SiteConfig;
  trunkMap: {
    snapshot(): TrunkMapSnapshot;
    on(name: 'span-out-of-service', listener: (e: SpanOutOfService) => void): () => void;
    on(name: 'span-in-service', listener: (e: SpanInService) => void): () => void;
  };
  calls: { on(listener: (e: CallEvent) => void): () => void };
  backend: Pick<HardwareBackend, 'spans'>;
  dchannels: Pick<DchannelStates, 'of' | 'onChange'>;
  journal: EventJournal;
  logger: { warn(obj: object, msg: string): void };
  /** Hardware health reading interval (default 2 s: counter rates over a technician's glance). */
  intervalMs?: number;
  /** Span events kept for the timeline (default 50). */
  timelineSize?: number;
}

export class StatusBoard {
  private readonly layout: StatusLayout;
  private readonly calls = new ActiveCalls();
  private readonly health = new Map<number, SpanHealth>();
  private readonly counters = new Map<number, CounterSnapshot>();
  private readonly timeline: TimelineEntry[] = [];
  private readonly stops: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private measureAgain = false;
  private lastError = '';

  constructor(private readonly o: StatusBoardOptions) {
    this.layout = statusLayout(o.site);
  }

  /** Starts listening and reading; resolves after the first hardware reading. */
  async start(): Promise<void> {
    this.stops.push(
      this.o.calls.on((e) => this.calls.apply(e)),
      this.o.trunkMap.on('span-out-of-service', (e) => this.spanEvent({ span: e.span, state: e.state, reason: [...e.reason], at: e.at })),
      this.o.trunkMap.on('span-in-service', (e) => this.spanEvent({ span: e.span, state: 'in-service', reason: [], at: e.at })),
      // A D-channel reported down on a clean span shows at once, like an alarm.
      this.o.dchannels.onChange(() => void this.read(false)),
    );
    await this.read(true);
    this.timer = setInterval(() => void this.read(true), this.o.intervalMs ?? 2_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const stop of this.stops.splice(0)) stop();
    await this.reading;
  }

  snapshot(): StatusSnapshot {
    return {
      ...this.o.trunkMap.snapshot(), layout: this.layout, calls: this.calls.list(),
      health: [...this.health.values()].sort((a, b) => a.span - b.span), timeline: [...this.timeline],
    };
  }

  private spanEvent(entry: TimelineEntry): void {
    this.timeline.push(entry);
    if (this.timeline.length > (this.o.timelineSize ?? 50)) this.timeline.shift();
    // The header's alarm words must follow the cells at once, not at the next reading.
    void this.read(false);
  }

  /**
   * One reading at a time; a request during one runs once more after it. Only the interval's
   * readings `measure` counter rates: a reading a few ms after another would turn one error
   * into hundreds a second.
   */
  private read(measure: boolean): Promise<void> {
    if (this.reading) {
      this.again = true;
      this.measureAgain ||= measure;
      return this.reading;
    }
    this.reading = (async () => {
      let m = measure;
      for (;;) {
        await this.readOnce(m);
        if (!this.again || this.stops.length === 0) break;
        m = this.measureAgain;
        this.again = this.measureAgain = false;
      }
      this.reading = null;
    })();
    return this.reading;
  }

  private async readOnce(measure: boolean): Promise<void> {
    let statuses;
    try {
      statuses = await this.o.backend.spans();
      this.lastError = '';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // One line per distinct failure, not one per interval.
      if (message !== this.lastError) this.o.logger.warn({ err: message }, 'status page: span health not readable');
      this.lastError = message;
      return;
    }
    const now = Date.now();
    const onPage = new Set(this.layout.spans.map((s) => s.span));
    for (const status of statuses) {
      if (!onPage.has(status.span)) continue;
      const old = this.health.get(status.span);
      const h = spanHealth(status, measure ? this.counters.get(status.span) ?? null : null, now, this.o.dchannels.of(status));
      if (measure) this.counters.set(status.span, { at: now, counters: status.counters });
      else if (old) h.rates = old.rates;
      if (!healthChanged(old, h)) continue;
      this.health.set(status.span, h);
      this.o.journal.append('health', h);
    }
  }
}
