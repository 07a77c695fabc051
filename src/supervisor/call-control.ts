// Call control: the ARI side of the supervisor. It takes the ARI connection, the TrunkMap and
// the CDR sink it is given and builds inbound handling, the outbound service and reconciliation
// over them: each ARI event goes to the side that owns the channel, span interruptions to both,
// and every (re)connect is followed by a reconciliation pass. It starts nothing it was not given
// and knows nothing of how Asterisk is reached (a real one or the demo's stand-in).

import type { SiteConfig } from '../provisioning/site/site-types';
import type { AriAdapter } from './ari/ari-adapter';
import type { CdrInput } from './cdr/cdr-record';
import { InboundCalls } from './inbound-calls';
import { OutboundCalls } from './outbound/outbound-calls';
import { Reconciler } from './reconcile';
import { compileInbound } from './routing/compile';
import type { TrunkMap, TrunkMapLogger } from './trunk-map';

/** Our Stasis application's name: the dialplan sends inbound calls to Stasis(tdmgate,...). */
export const STASIS_APP = 'tdmgate';

export interface CallControlOptions {
  ari: AriAdapter;
  trunkMap: TrunkMap;
  site: SiteConfig;
  cdr: { write(record: CdrInput): Promise<void> };
  /** The span's alarm names now (hardware), to tell an alarm from a far-end cause 38. */
  spanAlarms: (span: number) => Promise<string[]>;
  logger: TrunkMapLogger;
  /** Answer in Stasis before `continue`: only for an Asterisk that runs no dialplan (the demo's). */
  answerBeforeContinue?: boolean;
}

export class CallControl {
  readonly inbound: InboundCalls;
  readonly outbound: OutboundCalls;
  readonly reconciler: Reconciler;
  private readonly log: TrunkMapLogger;

  constructor(private readonly o: CallControlOptions) {
    const { ari, trunkMap, site, cdr, logger, spanAlarms } = o;
    this.log = logger;
    this.inbound = new InboundCalls({
      ari, trunkMap, rules: compileInbound(site), site, cdr, logger, app: STASIS_APP, spanAlarms,
      answerBeforeContinue: o.answerBeforeContinue ?? false,
    });
    this.outbound = new OutboundCalls({ ari, trunkMap, site, cdr, logger, app: STASIS_APP, spanAlarms });
    // Outbound first: it owns our originated channels by id; inbound takes every other DAHDI one.
    this.reconciler = new Reconciler(() => ari.listChannels(), [this.outbound, this.inbound], logger);
  }

  /** Subscribes to ARI and the TrunkMap; calls flow once the connection is started and ready. */
  attach(): void {
    const { ari, trunkMap } = this.o;
    // Our originated channels (by id) are outbound's, whatever Stasis args they come back with.
    ari.on('event', (e) => (this.outbound.owns(e.type === 'Dial' ? e.peer : e.channel) ? this.outbound : this.inbound).onEvent(e));
    ari.on('ready', () => void this.reconciler.run().catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'reconciliation failed: retried after the next reconnect')));
    ari.on('status', (status) => this.log.info({ status }, 'ARI status'));
    trunkMap.on('call-interrupted', (e) => {
      this.inbound.onInterrupted(e);
      this.outbound.onInterrupted(e);
    });
  }

  /**
   * Ends every call we know of and records it: for an Asterisk that goes away with us (the
   * demo's). A real Asterisk keeps its calls; they are adopted after our restart instead.
   */
  async endAllCalls(note: string): Promise<void> {
    await Promise.all([this.inbound.hangupAll(), this.outbound.hangupAll()]).catch(() => undefined);
    await this.inbound.whenIdle(2000);
    await this.inbound.closeAll(note);
    await this.outbound.closeAll(note);
  }

  /** Resolves when every record handed to the sink so far is acknowledged (or refused). */
  async settled(): Promise<void> {
    await this.inbound.settled();
    await this.outbound.settled();
  }

  stats(): object {
    return { inbound: this.inbound.stats, outbound: this.outbound.stats, ari: this.o.ari.stats() };
  }
}
