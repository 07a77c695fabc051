// The D-channel of each PRI/BRI span - one answer for the REST API and the status page. What the
// hardware reported when it reports D-channel changes (the simulated cards do, a `dchannel-down`
// fault included); DAHDI's own driver keeps no D-channel state (Asterisk's sig_pri does, and ARI
// does not expose it), so otherwise it is read from the span: down while the span is in alarm -
// no layer 2 runs over a line in alarm - and up when it is clean. Follows the hardware's events
// from start() to stop().

import type { HardwareBackend, SpanStatus, Subscription } from '../hardware/types';
import type { SiteConfig } from '../provisioning/site/site-types';
import { Listeners } from '../listeners';

export type DchannelState = 'up' | 'down';

const WITH_DCHANNEL = new Set(['pri_cpe', 'pri_net', 'bri_cpe', 'bri_net']);

export class DchannelStates {
  private readonly spans = new Set<number>();
  private readonly reported = new Map<number, boolean>();
  private readonly changes = new Listeners<number>();
  private subscription: Subscription | null = null;

  constructor(private readonly backend: Pick<HardwareBackend, 'subscribe'>, site: SiteConfig) {
    for (const card of site.cards) for (const s of card.spans) if (WITH_DCHANNEL.has(s.signalling.type)) this.spans.add(s.span);
  }

  start(): void {
    this.subscription ??= this.backend.subscribe((batch) => {
      for (const e of batch) {
        if (e.kind !== 'dchannel') continue;
        this.reported.set(e.span, e.up);
        this.changes.emit(e.span);
      }
    });
  }

  async stop(): Promise<void> {
    const s = this.subscription;
    this.subscription = null;
    await s?.close();
  }

  /** A span's D-channel reported up or down by the hardware; the function returned stops telling. */
  onChange(listener: (span: number) => void): () => void {
    return this.changes.on(listener);
  }

  /** null on a span without a D-channel (CAS, MFC/R2, analog). */
  of(status: Pick<SpanStatus, 'span' | 'alarmNames'>): DchannelState | null {
    if (!this.spans.has(status.span)) return null;
    if (status.alarmNames.length > 0 || this.reported.get(status.span) === false) return 'down';
    return 'up';
  }
}
