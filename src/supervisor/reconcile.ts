// Reconciliation after every ARI (re)connect and at start: Asterisk's channel list is the truth.
// Channels on our trunks that we do not track are adopted (routed if still waiting in our Stasis
// app); tracked calls Asterisk no longer has - their ChannelDestroyed was lost with the socket,
// or Asterisk restarted - are closed with a CDR. Only calls tracked before the list was asked
// for can be missing from it, so a call that arrives meanwhile is never closed by mistake.

import type { AriChannel } from './ari/ari-events';
import type { TrackedView } from './tracked-calls';
import type { TrunkMapLogger } from './trunk-map';

/** A keeper of calls (inbound, outbound) as reconciliation sees it. */
export interface ReconcileParty {
  /** Whether the channel is this party's to adopt (the first party that owns it gets it). */
  owns(ch: AriChannel): boolean;
  readonly tracked: TrackedView;
  adopt(ch: AriChannel): void;
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
    private readonly parties: readonly ReconcileParty[],
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
    const marks = this.parties.map((p) => p.tracked.trackingSeq);
    const channels = await this.listChannels();
    const listed = new Set(channels.map((c) => c.id));
    let adopted = 0;
    for (const ch of channels) {
      const party = this.parties.find((p) => p.owns(ch));
      if (!party || party.tracked.isFinished(ch.id)) continue;
      if (!party.tracked.isTracked(ch.id)) adopted++;
      party.adopt(ch);
    }
    let vanished = 0;
    await Promise.all(this.parties.map((party, i) => {
      const gone = party.tracked.trackedSince(marks[i] as number).filter((id) => !listed.has(id));
      vanished += gone.length;
      return Promise.all(gone.map((id) => party.vanished(id)));
    }));
    this.runs++;
    const result = { listed: channels.length, adopted, vanished };
    this.log.info({ ...result }, 'reconciled with Asterisk');
    return result;
  }
}
