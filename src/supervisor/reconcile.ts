// Reconciliation after every ARI (re)connect and at start: Asterisk's channel list is the truth.
// Channels on our trunks that we do not track are adopted (routed if still waiting in our Stasis
// app); tracked calls Asterisk no longer has - their ChannelDestroyed was lost with the socket,
// or Asterisk restarted - are closed with a CDR. Only calls tracked before the list was asked
// for can be missing from it, so a call that arrives meanwhile is never closed by mistake.

import type { AriChannel } from './ari/ari-events';
import type { InboundCalls } from './inbound-calls';
import type { TrunkMapLogger } from './trunk-map';

export interface ReconcileResult {
  listed: number;
  adopted: number;
  vanished: number;
}

export class Reconciler {
  private running: Promise<ReconcileResult> | null = null;
  private again = false;
  runs = 0;

  constructor(
    private readonly listChannels: () => Promise<AriChannel[]>,
    private readonly calls: InboundCalls,
    private readonly log: TrunkMapLogger,
  ) {}

  /** One pass; a request while a pass runs makes one more pass after it (never two at once). */
  run(): Promise<ReconcileResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.run().catch(() => undefined);
      }
    });
    return this.running;
  }

  private async pass(): Promise<ReconcileResult> {
    const before = this.calls.trackingSeq;
    const channels = await this.listChannels();
    const listed = new Set(channels.map((c) => c.id));
    let adopted = 0;
    for (const ch of channels) {
      if (!ch.name.startsWith('DAHDI/') || this.calls.isFinished(ch.id)) continue;
      const known = this.calls.trackedIds().some((t) => t.id === ch.id);
      this.calls.adopt(ch);
      if (!known) adopted++;
    }
    const gone = this.calls.trackedIds().filter((t) => t.seq <= before && !listed.has(t.id));
    await Promise.all(gone.map((t) => this.calls.vanished(t.id)));
    this.runs++;
    const result = { listed: channels.length, adopted, vanished: gone.length };
    this.log.info({ ...result }, 'reconciled with Asterisk');
    return result;
  }
}
