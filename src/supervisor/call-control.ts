// Call control: the ARI side of the supervisor. Given the ARI connection, the TrunkMap and the
// CDR sink, it builds the call-leg engine with its two directions - inbound routing and the
// outbound service - and reconciliation over them: each ARI event goes to the leg it is about
// (a StasisStart of a channel nobody tracks to the side that owns it), span interruptions to
// the engine, and every (re)connect is followed by a reconciliation pass. It starts nothing it
// was not given and knows nothing of how Asterisk is reached (a real one or the demo's).

import { STASIS_APP } from '../provisioning/generate/dialplan';
import type { SiteConfig } from '../provisioning/site/site-types';
import type { AriAdapter } from './ari/ari-adapter';
import { eventChannelId, type SupervisorEvent } from './ari/ari-events';
import type { CallEvents } from './calls/call-events';
import { CallLegs } from './calls/call-legs';
import type { CdrInput } from './cdr/cdr-record';
import { InboundCalls } from './inbound/inbound-calls';
import { OutboundCalls } from './outbound/outbound-calls';
import { Reconciler } from './reconcile';
import type { OriginateGuard } from './toll-guard/toll-guard';
import { compileInbound } from './routing/compile';
import type { TrunkMap, TrunkMapLogger } from './trunk-map';

/** Our Stasis application's name: the generated dialplan sends inbound calls to Stasis(tdmgate,...). */
export { STASIS_APP };

export interface CallControlOptions {
  ari: AriAdapter;
  trunkMap: TrunkMap;
  site: SiteConfig;
  cdr: { write(record: CdrInput): Promise<void> };
  /** The span's alarm names now (hardware), to tell an alarm from a far-end cause 38. */
  spanAlarms: (span: number) => Promise<string[]>;
  logger: TrunkMapLogger;
  /** The toll-fraud guard outbound calls pass; none = every call goes. */
  guard?: OriginateGuard;
}

export class CallControl {
  readonly legs: CallLegs;
  /** Ring, answer and hang-up of every call (webhooks and the live event stream listen). */
  readonly events: CallEvents;
  readonly inbound: InboundCalls;
  readonly outbound: OutboundCalls;
  readonly reconciler: Reconciler;
  private readonly log: TrunkMapLogger;

  constructor(private readonly o: CallControlOptions) {
    const { ari, trunkMap, site, cdr, logger, spanAlarms } = o;
    this.log = logger;
    this.legs = new CallLegs({ trunkMap, site, cdr, spanAlarms, logger, hangup: (id, cause) => ari.hangup(id, cause) });
    this.events = this.legs.events;
    this.inbound = new InboundCalls({
      legs: this.legs, ari, trunkMap, rules: compileInbound(site), logger, app: STASIS_APP,
    });
    this.outbound = new OutboundCalls({ legs: this.legs, ari, trunkMap, site, logger, app: STASIS_APP, ...(o.guard ? { guard: o.guard } : {}) });
    // Outbound first: it owns our originated channels by id; inbound takes every other DAHDI one.
    this.reconciler = new Reconciler(() => ari.listChannels(), this.legs, [this.outbound, this.inbound], logger);
  }

  /** Subscribes to ARI and the TrunkMap; calls flow once the connection is started and ready. */
  attach(): void {
    const { ari, trunkMap } = this.o;
    ari.on('event', (e) => this.onEvent(e));
    ari.on('ready', () => void this.reconciler.run().catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'reconciliation failed: retried after the next reconnect')));
    ari.on('status', (status) => this.log.info({ status }, 'ARI status'));
    trunkMap.on('call-interrupted', (e) => this.legs.onInterrupted(e));
  }

  private onEvent(e: SupervisorEvent): void {
    if (e.type === 'StasisStart') {
      const ch = e.channel;
      // Our originated channels (by id) are outbound's, whatever Stasis args they come back with.
      if (this.outbound.owns(ch)) this.outbound.enteredStasis(ch, e.at);
      else if (!this.legs.tracked.isTracked(ch.id)) this.inbound.offer(ch, e.args);
      return;
    }
    const leg = this.legs.get(eventChannelId(e));
    if (leg) this.legs.onEvent(leg, e);
  }

  /**
   * Ends every call we know of and records it: for an Asterisk that goes away with us (the
   * demo's). A real Asterisk keeps its calls; they are adopted after our restart instead.
   */
  async endAllCalls(note: string): Promise<void> {
    await this.legs.hangupAll();
    await this.legs.whenIdle(2000);
    await this.legs.closeAll(note);
  }

  /** Resolves when every record handed to the sink so far is acknowledged (or refused). */
  settled(): Promise<void> {
    return this.legs.settled();
  }

  stats(): object {
    return { inbound: this.inbound.stats, outbound: this.outbound.stats, legs: this.legs.stats, ari: this.o.ari.stats() };
  }
}
