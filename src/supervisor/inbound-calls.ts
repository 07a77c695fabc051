// Inbound calls from StasisStart to ChannelDestroyed: which trunk channel (TrunkMap, with
// CHANNEL(dahdi_channel) for PRI names), the routing decision, the TDMGATE_* variables and the
// `continue` (or the hangup with the decided cause), then one CDR when the channel is gone and
// the TrunkMap channel released. A span alarm mid-call (TrunkMap call-interrupted) goes into the
// record. Every failure is logged with the call's facts; nothing here throws into the adapter.

import type { SiteConfig } from '../provisioning/site/site-types';
import type { AriChannel, SupervisorEvent } from './ari/ari-events';
import { ariTime } from './ari/ari-events';
import type { CdrInput } from './cdr/cdr-record';
import { CAUSE_NETWORK_OUT_OF_ORDER, inboundCdr, type InboundLeg } from './inbound-cdr';
import type { InboundRules } from './routing/compile';
import { decideInbound } from './routing/decide-inbound';
import { isTransientAriError } from './ari/ari-errors';
import { TrackedCalls } from './tracked-calls';
import { resolveTrunkChannel, stasisChannelHint } from './trunk-channel';
import type { CallInterrupted, TrunkMap, TrunkMapLogger } from './trunk-map';

/** What inbound handling needs of the ARI adapter. */
export interface InboundAri {
  getVariable(channelId: string, variable: string): Promise<string>;
  setVariable(channelId: string, variable: string, value: string): Promise<void>;
  continueInDialplan(channelId: string, to: { context: string; extension: string; priority: number }): Promise<void>;
  answer(channelId: string): Promise<void>;
  hangup(channelId: string, cause: number): Promise<void>;
}

export interface InboundCallsOptions {
  ari: InboundAri;
  trunkMap: TrunkMap;
  rules: InboundRules;
  site: SiteConfig;
  cdr: { write(record: CdrInput): Promise<void> };
  /** The span's alarm names now (hardware), to tell an alarm from a far-end 38. */
  spanAlarms: (span: number) => Promise<string[]>;
  logger: TrunkMapLogger;
  app: string;
  /**
   * Answer in Stasis before `continue`. Only for the built-in stand-in, which runs no dialplan:
   * it stands for the IVR's Answer(), so the demo's CDRs have talk time.
   */
  answerBeforeContinue?: boolean;
  now?: () => Date;
}

type Phase = 'deciding' | 'pending' | 'routed' | 'rejected' | 'ended';

interface Call extends InboundLeg {
  phase: Phase;
  channel: number | null;
  target: string | null;
  /** The DAHDI channel number the dialplan passed to Stasis, if it did (saves a REST call). */
  stasisHint: number | null;
}

export interface InboundStats {
  offered: number;
  routed: number;
  rejected: number;
  adopted: number;
  records: number;
  recordFailures: number;
}


export class InboundCalls {
  /** Open calls and recently closed ids; reconciliation reads it (see reconcile.ts). */
  readonly tracked = new TrackedCalls<Call>();
  private readonly activeByTarget: Record<string, number> = {};
  private readonly writes = new Set<Promise<void>>();
  private idleWaiters: (() => void)[] = [];
  private readonly now: () => Date;
  private readonly log: TrunkMapLogger;
  readonly stats: InboundStats = { offered: 0, routed: 0, rejected: 0, adopted: 0, records: 0, recordFailures: 0 };

  constructor(private readonly o: InboundCallsOptions) {
    this.now = o.now ?? (() => new Date());
    this.log = o.logger;
  }

  /** Calls in progress (for the snapshot and reconciliation). */
  get active(): number {
    return this.tracked.size;
  }

  /** Every DAHDI channel no other party claimed (outbound ones are claimed first by id). */
  owns(ch: AriChannel): boolean {
    return ch.name.startsWith('DAHDI/');
  }

  onEvent(e: SupervisorEvent): void {
    switch (e.type) {
      case 'StasisStart':
        if (e.args[0] === 'outbound') return; // our own originated calls: outbound/
        this.offer(e.channel, false, e.args);
        return;
      case 'ChannelStateChange': {
        const call = this.tracked.get(e.channel.id);
        if (call && e.channel.state === 'Up') this.answered(call);
        return;
      }
      case 'ChannelDestroyed': {
        const call = this.tracked.get(e.channel.id);
        if (call) void this.finish(call, e.cause, '');
        return;
      }
      default:
        return;
    }
  }

  /** TrunkMap: the span of a call went into alarm or maintenance. */
  onInterrupted(e: CallInterrupted): void {
    const call = e.callRef === null ? undefined : this.tracked.get(e.callRef);
    if (!call) return;
    call.interrupted = { cause: e.cause, alarms: e.alarms };
    this.log.warn({ call: call.id, span: e.span, timeslot: e.timeslot, cause: e.cause, alarms: e.alarms }, 'inbound call interrupted by its span');
  }

  /**
   * A channel found by reconciliation. In our Stasis app and not yet routed: route it now (its
   * StasisStart was lost or its decision could not be sent). Elsewhere: track it to its end.
   */
  adopt(ch: AriChannel): void {
    if (this.tracked.isFinished(ch.id)) return;
    const known = this.tracked.get(ch.id);
    const inOurStasis = ch.dialplan.app_name === 'Stasis' && ch.dialplan.app_data.split(',')[0] === this.o.app;
    if (known) {
      if (ch.state === 'Up') this.answered(known);
      if (known.phase === 'pending' && inOurStasis) void this.route(known);
      return;
    }
    if (inOurStasis) {
      this.offer(ch, true);
      return;
    }
    const call = this.track(ch);
    call.route = 'adopted';
    call.phase = 'routed';
    if (ch.state === 'Up') call.answeredAt = this.now();
    this.stats.adopted++;
    this.log.info({ call: call.id, channel: call.name }, 'adopted a call in progress');
    this.locate(call).catch((err: unknown) => this.failed(call, err));
  }

  /** Reconciliation: a tracked call is no longer in Asterisk and its ChannelDestroyed never came. */
  vanished(id: string): Promise<void> {
    const call = this.tracked.get(id);
    return call ? this.finish(call, null, 'closed by reconciliation: channel gone while ARI was away') : Promise.resolve();
  }

  /** Hangs up every call (demo shutdown: our in-process Asterisk is going away). */
  async hangupAll(cause = 16): Promise<void> {
    await Promise.allSettled(this.tracked.all().map((c) => this.o.ari.hangup(c.id, cause)));
  }

  /** Closes what is still tracked (shutdown of the demo) with a note. */
  async closeAll(note: string): Promise<void> {
    await Promise.all(this.tracked.all().map((c) => this.finish(c, null, note)));
  }

  /** Resolves when no call is tracked, or after `ms` (false). */
  whenIdle(ms: number): Promise<boolean> {
    if (this.tracked.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  /** Resolves when every CDR handed to the sink so far is acknowledged (or refused). */
  async settled(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  // ---- a call's life -------------------------------------------------------------------------

  /** `args`: the StasisStart's own; a channel found by reconciliation has them in its app_data. */
  private offer(ch: AriChannel, adopted: boolean, args?: readonly string[]): void {
    if (this.tracked.isTracked(ch.id) || this.tracked.isFinished(ch.id)) return;
    if (!ch.name.startsWith('DAHDI/')) {
      this.log.info({ channel: ch.name }, 'not a DAHDI channel: left alone');
      return;
    }
    const call = this.track(ch);
    call.stasisHint = stasisChannelHint(ch, args);
    this.stats.offered++;
    if (adopted) this.stats.adopted++;
    void this.route(call);
  }

  private track(ch: AriChannel): Call {
    const call: Call = {
      id: ch.id, name: ch.name, createdAt: ariTime(ch.creationtime) ?? this.now(), did: ch.dialplan.exten, callerId: ch.caller.number,
      callerName: ch.caller.name, span: null, timeslot: null, groupName: '', context: ch.dialplan.context, route: '', answeredAt: null,
      rejectCause: null, interrupted: null, note: '', app: this.o.app, phase: 'deciding', channel: null, target: null, stasisHint: null,
    };
    return this.tracked.add(call);
  }

  /** Resolves the trunk channel by name (with the Stasis hint or CHANNEL(dahdi_channel) for PRI), claims it. */
  private async locate(call: Call): Promise<boolean> {
    if (call.channel !== null) return true;
    const resolved = await resolveTrunkChannel(this.o.trunkMap, this.o.ari, call, call.stasisHint);
    if (this.ended(call)) return false;
    if (!resolved.ok) {
      this.log.warn({ call: call.id, channel: call.name, code: resolved.error.code, reason: resolved.error.message }, 'inbound channel not on our trunks');
      await this.reject(call, 41, 'unknown-channel', resolved.error.message);
      return false;
    }
    if (resolved.value.kind !== 'channel') {
      // A pseudo channel (conference, MeetMe) is nothing of ours to route or record.
      this.tracked.drop(call.id);
      return false;
    }
    return this.place(call, resolved.value.info.channel);
  }

  /** Fills span/timeslot/group and claims the TrunkMap channel; false (and rejected) when it cannot. */
  private place(call: Call, number: number): boolean {
    const info = this.o.trunkMap.channel(number);
    call.span = info.span;
    call.timeslot = info.timeslot;
    call.groupName = info.group === null ? '' : (this.o.site.groups.find((g) => g.number === info.group)?.name ?? String(info.group));
    try {
      // The map may still hold a call whose end we missed (ARI was away): close that one first.
      if (info.callRef !== null && info.callRef !== call.id && this.tracked.isTracked(info.callRef)) void this.vanished(info.callRef);
      this.o.trunkMap.claim(number, call.id, { direction: 'in' });
      call.channel = number;
      if (call.answeredAt !== null) this.o.trunkMap.answer(number);
      return true;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.log.warn({ call: call.id, channel: number, span: info.span, reason }, 'trunk channel unavailable for an inbound call');
      void this.reject(call, 34, 'channel-unavailable', reason);
      return false;
    }
  }

  private async route(call: Call): Promise<void> {
    call.phase = 'deciding';
    try {
      if (!(await this.locate(call)) || this.ended(call)) return;
      if (call.phase !== 'deciding') return; // the span failed it meanwhile
      const decision = decideInbound(
        { did: call.did, callerId: call.callerId, span: call.span ?? 0, timeslot: call.timeslot ?? 0, groups: this.o.trunkMap.channel(call.channel as number).groups, at: this.now() },
        this.o.rules,
        { activeCallsByTarget: this.activeByTarget },
      );
      if (decision.action === 'hangup') {
        await this.reject(call, decision.cause, decision.route ?? 'rejected', decision.reason);
        return;
      }
      if (call.target === null) {
        call.target = decision.target;
        this.activeByTarget[decision.target] = (this.activeByTarget[decision.target] ?? 0) + 1;
      }
      call.route = decision.route;
      call.context = decision.context;
      // Independent of each other: sent together, so they cost one round trip, not four.
      await Promise.all(Object.entries(decision.variables).map(([name, value]) => this.o.ari.setVariable(call.id, name, value)));
      if (this.o.answerBeforeContinue) await this.o.ari.answer(call.id);
      await this.o.ari.continueInDialplan(call.id, { context: decision.context, extension: decision.extension, priority: decision.priority });
      if (this.ended(call)) return;
      call.phase = 'routed';
      this.stats.routed++;
      this.log.info({ call: call.id, channel: call.name, span: call.span, timeslot: call.timeslot, did: call.did, callerId: call.callerId, route: decision.route, context: decision.context, extension: decision.extension, reason: decision.reason }, 'inbound call routed');
    } catch (err) {
      this.failed(call, err);
    }
  }

  private async reject(call: Call, cause: number, route: string, reason: string): Promise<void> {
    call.rejectCause = cause;
    call.route = route;
    call.phase = 'rejected';
    this.stats.rejected++;
    this.log.info({ call: call.id, channel: call.name, did: call.did, callerId: call.callerId, cause, route, reason }, 'inbound call rejected');
    try {
      await this.o.ari.hangup(call.id, cause);
    } catch (err) {
      this.failed(call, err);
    }
  }

  /** An ARI call failed: gone channels end through their events; otherwise wait for reconciliation. */
  private failed(call: Call, err: unknown): void {
    if (this.ended(call)) return;
    const reason = err instanceof Error ? err.message : String(err);
    if (isTransientAriError(err)) {
      // Still in Stasis (probably): the reconciliation after the reconnect routes it again.
      if (call.phase === 'deciding') call.phase = 'pending';
      this.log.warn({ call: call.id, reason }, 'ARI unavailable while handling an inbound call: retried after reconnect');
      return;
    }
    this.log.warn({ call: call.id, reason }, 'ARI refused an inbound call action');
  }

  private answered(call: Call): void {
    if (call.answeredAt !== null) return;
    call.answeredAt = this.now();
    if (call.channel === null) return;
    try {
      this.o.trunkMap.answer(call.channel);
    } catch {
      // the channel was blocked by an alarm meanwhile: the CDR still counts the answer
    }
  }

  private ended(call: Call): boolean {
    return call.phase === 'ended';
  }

  private async finish(call: Call, cause: number | null, note: string): Promise<void> {
    if (call.phase === 'ended') return;
    call.phase = 'ended';
    const endAt = this.now();
    this.tracked.close(call.id);
    if (this.tracked.size === 0) for (const w of this.idleWaiters.splice(0)) w();
    if (call.target !== null) this.activeByTarget[call.target] = Math.max(0, (this.activeByTarget[call.target] ?? 1) - 1);
    if (call.channel !== null) {
      try {
        this.o.trunkMap.release(call.channel);
      } catch (err) {
        this.log.warn({ call: call.id, channel: call.channel, err: String(err) }, 'trunk map release failed');
      }
    }
    call.note = note;
    const write = this.record(call, endAt, cause);
    this.writes.add(write);
    await write;
    this.writes.delete(write);
  }

  private async record(call: Call, endAt: Date, cause: number | null): Promise<void> {
    try {
      // The hardware watcher may not have told the TrunkMap yet: a 38 on a span in alarm now is the alarm.
      if (call.interrupted === null && cause === CAUSE_NETWORK_OUT_OF_ORDER && call.span !== null) {
        const alarms = await this.o.spanAlarms(call.span).catch(() => []);
        if (alarms.length > 0) call.interrupted = { cause: 'alarm', alarms };
      }
      const cdr = inboundCdr(call, endAt, cause);
      await this.o.cdr.write(cdr);
      this.stats.records++;
      this.log.info({ call: call.id, channel: call.name, span: call.span, timeslot: call.timeslot, disposition: cdr.disposition, billsec: cdr.billsec, q850: cdr.q850_cause, route: cdr.route }, 'call record written');
    } catch (err) {
      this.stats.recordFailures++;
      this.log.error({ call: call.id, err: err instanceof Error ? err.message : String(err) }, 'call record not written');
    }
  }
}
