// Reconciliation after every ARI (re)connect and at start: Asterisk's channel list is the truth.
// Channels on our trunks that we do not track are adopted (routed if still waiting in our Stasis
// app); tracked calls Asterisk no longer has - their ChannelDestroyed was lost with the socket,
// or Asterisk restarted - are closed with a CDR. Only calls tracked before the list was asked
// for can be missing from it, so a call that arrives meanwhile is never closed by mistake.

import type { AriChannel } from './ari/ari-events';
import type { TrackedView } from './calls/tracked-calls';
import type { TrunkMapLogger } from './trunk-map';

/** A side (outbound, inbound) that takes the channels it owns and we do not track yet. */
export interface Adopter {
  /** Whether the channel is this side's to adopt (the first side that owns it gets it). */
  owns(ch: AriChannel): boolean;
  adopt(ch: AriChannel): void;
}

/** The legs we track, and how one that Asterisk no longer has is closed. */
export interface ReconciledLegs {
  readonly tracked: TrackedView;
  vanished(id: string): Promise<void>;
}

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
    private readonly legs: ReconciledLegs,
    private readonly adopters: readonly Adopter[],
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
    const tracked = this.legs.tracked;
    const mark = tracked.trackingSeq;
    const channels = await this.listChannels();
    const listed = new Set(channels.map((c) => c.id));
    let adopted = 0;
    for (const ch of channels) {
      const side = this.adopters.find((p) => p.owns(ch));
      if (!side || tracked.isFinished(ch.id)) continue;
      if (!tracked.isTracked(ch.id)) adopted++;
      side.adopt(ch);
    }
    const gone = tracked.trackedSince(mark).filter((id) => !listed.has(id));
    await Promise.all(gone.map((id) => this.legs.vanished(id)));
    this.runs++;
    const result = { listed: channels.length, adopted, vanished: gone.length };
    this.log.info({ ...result }, 'reconciled with Asterisk');
    return result;
  }
}
