// Inbound calls: the decisions only. A DAHDI channel entering our Stasis app becomes an inbound
// leg of the call-leg engine; here it is placed on its trunk channel (the name, the Stasis
// argument or CHANNEL(dahdi_channel) for PRI), routed (routing/), and either sent on with its
// TDMGATE_* variables or hung up with the decided cause. The engine does the rest: answer,
// interruption, the end and the record. Nothing here throws into the ARI adapter.

import { isTransientAriError } from '../ari/ari-errors';
import type { AriChannel } from '../ari/ari-events';
import { ariTime, inStasisOf } from '../ari/ari-events';
import type { CdrInput } from '../cdr/cdr-record';
import type { CallParties } from '../calls/call-events';
import type { CallLegs, LegOwner } from '../calls/call-legs';
import type { Leg, LegEnd } from '../calls/leg';
import type { TrackedView } from '../calls/tracked-calls';
import type { InboundRules } from '../routing/compile';
import { decideInbound } from '../routing/decide-inbound';
import { resolveTrunkChannel, stasisChannelHint } from '../trunk-channel';
import type { TrunkMap, TrunkMapLogger } from '../trunk-map';
import { DecisionTimings, type DecisionOutcome } from './decision-timings';
import { inboundCdr, type InboundData } from './inbound-cdr';

/** What inbound handling needs of the ARI adapter. */
export interface InboundAri {
  getVariable(channelId: string, variable: string): Promise<string>;
  setVariable(channelId: string, variable: string, value: string): Promise<void>;
  continueInDialplan(channelId: string, to: { context: string; extension: string; priority: number }): Promise<void>;
  hangup(channelId: string, cause: number): Promise<void>;
}

export interface InboundCallsOptions {
  legs: CallLegs;
  ari: InboundAri;
  trunkMap: TrunkMap;
  rules: InboundRules;
  logger: TrunkMapLogger;
  app: string;
  now?: () => Date;
  /** A monotonic clock in ms for the decision timings (default performance.now). */
  monotonicMs?: () => number;
}

export interface InboundStats {
  offered: number;
  routed: number;
  rejected: number;
  adopted: number;
  records: number;
  recordFailures: number;
}

type InboundLeg = Leg<InboundData>;

export class InboundCalls implements LegOwner<InboundData> {
  private readonly activeByTarget: Record<string, number> = {};
  private readonly counts = { offered: 0, routed: 0, rejected: 0, adopted: 0 };
  private readonly now: () => Date;
  private readonly monotonicMs: () => number;
  private readonly log: TrunkMapLogger;
  /** How long each setup decision took (/metrics listens). */
  readonly decisions = new DecisionTimings();

  constructor(private readonly o: InboundCallsOptions) {
    this.now = o.now ?? (() => new Date());
    this.monotonicMs = o.monotonicMs ?? (() => performance.now());
    this.log = o.logger;
  }

  get stats(): InboundStats {
    return { ...this.counts, records: this.o.legs.stats.records.inbound, recordFailures: this.o.legs.stats.recordFailures.inbound };
  }

  /** Inbound calls in progress. */
  get active(): number {
    return this.o.legs.count('inbound');
  }

  get tracked(): TrackedView {
    return this.o.legs.tracked;
  }

  /** Every DAHDI channel no other party claimed (outbound ones are claimed first by id). */
  owns(ch: AriChannel): boolean {
    return ch.name.startsWith('DAHDI/');
  }

  /** StasisStart of a channel nobody tracks: a new inbound call. `args`: the StasisStart's own. */
  offer(ch: AriChannel, args?: readonly string[], adopted = false): void {
    const legs = this.o.legs;
    if (legs.tracked.isTracked(ch.id) || legs.tracked.isFinished(ch.id)) return;
    if (args?.[0] === 'outbound') return; // another run's originated call: outbound's to adopt
    if (!this.owns(ch)) {
      this.log.info({ channel: ch.name }, 'not a DAHDI channel: left alone');
      return;
    }
    const leg = this.open(ch, 'deciding');
    leg.data.stasisHint = stasisChannelHint(ch, args);
    if (!adopted) leg.data.offeredAt = this.monotonicMs();
    this.counts.offered++;
    if (adopted) this.counts.adopted++;
    void this.route(leg);
  }

  /**
   * A channel found by reconciliation. In our Stasis app and not yet routed: route it now (its
   * StasisStart was lost or its decision could not be sent). Elsewhere: track it to its end.
   */
  adopt(ch: AriChannel): void {
    const legs = this.o.legs;
    if (legs.tracked.isFinished(ch.id)) return;
    const known = legs.get<InboundData>(ch.id);
    const inOurStasis = inStasisOf(ch, this.o.app);
    if (known) {
      if (ch.state === 'Up') legs.answered(known, null);
      if (known.state === 'pending' && inOurStasis && legs.fire(known, 'retry')) void this.route(known);
      return;
    }
    if (inOurStasis) {
      this.offer(ch, undefined, true);
      return;
    }
    const leg = this.open(ch, 'continued');
    leg.data.route = 'adopted';
    if (ch.state === 'Up') legs.answered(leg, null);
    this.counts.adopted++;
    this.log.info({ call: leg.id, channel: leg.name }, 'adopted a call in progress');
    this.locate(leg).catch((err: unknown) => this.failed(leg, err));
  }

  // ---- LegOwner ------------------------------------------------------------------------------

  record(leg: InboundLeg, end: LegEnd): CdrInput {
    return inboundCdr(leg, end);
  }

  describe(leg: InboundLeg): CallParties {
    const d = leg.data;
    return { callId: leg.id, caller: d.callerId, called: d.did, route: d.route, target: d.target ?? '', reference: '' };
  }

  ended(leg: InboundLeg): void {
    const target = leg.data.target;
    if (target !== null) this.activeByTarget[target] = Math.max(0, (this.activeByTarget[target] ?? 1) - 1);
  }

  // ---- a call's decisions --------------------------------------------------------------------

  private open(ch: AriChannel, state: 'deciding' | 'continued'): InboundLeg {
    return this.o.legs.open<InboundData>({
      id: ch.id, direction: 'inbound', name: ch.name, createdAt: ariTime(ch.creationtime) ?? this.now(),
      data: { did: ch.dialplan.exten, callerId: ch.caller.number, callerName: ch.caller.name, context: ch.dialplan.context, route: '', target: null, stasisHint: null, app: this.o.app, offeredAt: null },
    }, state, this);
  }

  /** Places the leg on its trunk channel (claimed in the TrunkMap); false when it was rejected or dropped. */
  private async locate(leg: InboundLeg): Promise<boolean> {
    if (leg.channel !== null) return true;
    const resolved = await resolveTrunkChannel(this.o.trunkMap, this.o.ari, leg, leg.data.stasisHint);
    if (leg.state === 'ended') return false;
    if (!resolved.ok) {
      this.log.warn({ call: leg.id, channel: leg.name, code: resolved.error.code, reason: resolved.error.message }, 'inbound channel not on our trunks');
      // Ours to refuse only while it waits for our decision; one adopted in the dialplan is left alone.
      if (leg.state === 'deciding') await this.reject(leg, 41, 'unknown-channel', resolved.error.message);
      else this.o.legs.forget(leg);
      return false;
    }
    if (resolved.value.kind !== 'channel') {
      // A pseudo channel (conference, MeetMe) is nothing of ours to route or record.
      this.o.legs.forget(leg);
      return false;
    }
    const channel = resolved.value.info.channel;
    try {
      this.o.legs.place(leg, channel);
      return true;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.log.warn({ call: leg.id, channel, span: leg.span, timeslot: leg.timeslot, reason }, 'trunk channel unavailable for an inbound call');
      if (leg.state === 'deciding') await this.reject(leg, 34, 'channel-unavailable', reason);
      return false;
    }
  }

  private async route(leg: InboundLeg): Promise<void> {
    try {
      if (!(await this.locate(leg)) || leg.state !== 'deciding') return;
      const d = leg.data;
      const decision = decideInbound(
        { did: d.did, callerId: d.callerId, span: leg.span ?? 0, timeslot: leg.timeslot ?? 0, groups: this.o.trunkMap.channel(leg.channel as number).groups, at: this.now() },
        this.o.rules,
        { activeCallsByTarget: this.activeByTarget },
      );
      if (decision.action === 'hangup') {
        await this.reject(leg, decision.cause, decision.route ?? 'rejected', decision.reason);
        return;
      }
      if (d.target === null) {
        d.target = decision.target;
        this.activeByTarget[decision.target] = (this.activeByTarget[decision.target] ?? 0) + 1;
      }
      d.route = decision.route;
      d.context = decision.context;
      // Told before the REST calls: a CRM's screen pop should not wait for our round trips.
      this.o.legs.rang(leg);
      // Independent of each other: sent together, so they cost one round trip, not four.
      await Promise.all(Object.entries(decision.variables).map(([name, value]) => this.o.ari.setVariable(leg.id, name, value)));
      const place = { context: decision.context, extension: decision.extension, priority: decision.priority };
      await this.o.ari.continueInDialplan(leg.id, place);
      if (!this.o.legs.continued(leg, place)) return;
      this.counts.routed++;
      this.timed(leg, 'routed');
      this.log.info({ call: leg.id, channel: leg.name, span: leg.span, timeslot: leg.timeslot, did: d.did, callerId: d.callerId, route: decision.route, context: decision.context, extension: decision.extension, reason: decision.reason }, 'inbound call routed');
    } catch (err) {
      this.failed(leg, err);
    }
  }

  private async reject(leg: InboundLeg, cause: number, route: string, reason: string): Promise<void> {
    leg.rejectCause = cause;
    leg.data.route = route;
    if (!this.o.legs.fire(leg, 'reject')) return;
    this.o.legs.rang(leg);
    this.counts.rejected++;
    this.log.info({ call: leg.id, channel: leg.name, span: leg.span, timeslot: leg.timeslot, did: leg.data.did, callerId: leg.data.callerId, cause, route, reason }, 'inbound call rejected');
    try {
      await this.o.ari.hangup(leg.id, cause);
      this.timed(leg, 'rejected');
    } catch (err) {
      this.failed(leg, err);
    }
  }

  /** The decision's time since its StasisStart, once (a call waiting for a reconnect includes the wait: its caller waited too). */
  private timed(leg: InboundLeg, outcome: DecisionOutcome): void {
    const offeredAt = leg.data.offeredAt;
    if (offeredAt === null) return;
    leg.data.offeredAt = null;
    this.decisions.emit({ outcome, seconds: Math.max(0, this.monotonicMs() - offeredAt) / 1000 });
  }

  /** An ARI call failed: gone channels end through their events; ARI away waits for reconciliation. */
  private failed(leg: InboundLeg, err: unknown): void {
    if (leg.state === 'ended') return;
    const reason = err instanceof Error ? err.message : String(err);
    if (isTransientAriError(err)) {
      // Still in Stasis (probably): the reconciliation after the reconnect routes it again.
      if (leg.state === 'deciding') this.o.legs.fire(leg, 'ari-away');
      this.log.warn({ call: leg.id, reason }, 'ARI unavailable while handling an inbound call: retried after reconnect');
      return;
    }
    this.log.warn({ call: leg.id, reason }, 'ARI refused an inbound call action');
  }
}
