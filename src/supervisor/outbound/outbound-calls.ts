// Outbound calls through ARI: a request is checked against the site, the number normalised and
// the attempts planned with the spans' live conditions from the TrunkMap (spans in alarm or
// maintenance get none); then one originate per attempt into our Stasis app, with a channel id
// we make so events that beat the REST answer still find their attempt. An attempt ends in an
// outcome - answered (the call is sent on to its dialplan target), or the Q.850 cause / Dial
// status mapped by outcomes.ts, or 500 "Allocation failed" read as congestion (no channel free)
// - and congestion moves on to the next span at once. The result tells the caller's queue what
// to do next. Every attempt that made a channel gives one CDR when the channel is gone.

import { randomBytes } from 'node:crypto';
import type { SiteConfig } from '../../provisioning/site/site-types';
import type { AriChannel, SupervisorEvent } from '../ari/ari-events';
import { ariTime } from '../ari/ari-events';
import type { OriginateParams } from '../ari/ari-adapter';
import type { CdrInput } from '../cdr/cdr-record';
import { isSupervisorError, SupervisorError } from '../supervisor-errors';
import { TrackedCalls } from '../tracked-calls';
import { resolveTrunkChannel } from '../trunk-channel';
import { compileNumbering, type NumberingPlan } from '../numbering/numbering';
import type { CallInterrupted, DialAttempt as Attempt, TrunkMap, TrunkMapLogger } from '../trunk-map';
import { nextStep, type HuntProgress } from './next-step';
import { outboundCdr, type OutboundLeg } from './outbound-cdr';
import { outcomeOf, type Outcome } from './outcomes';
import { prepareCall, type PreparedCall } from './prepare-call';
import { checkRequest, type CheckedRequest, type DialplanPlace } from './request';

/** What outbound calls need of the ARI adapter. */
export interface OutboundAri {
  readonly status: string;
  originate(params: OriginateParams): Promise<AriChannel>;
  getVariable(channelId: string, variable: string): Promise<string>;
  setVariable(channelId: string, variable: string, value: string): Promise<void>;
  continueInDialplan(channelId: string, to: { context: string; extension: string; priority: number }): Promise<void>;
  hangup(channelId: string, cause: number): Promise<void>;
}

export interface OutboundCallsOptions {
  ari: OutboundAri;
  trunkMap: TrunkMap;
  site: SiteConfig;
  cdr: { write(record: CdrInput): Promise<void> };
  logger: TrunkMapLogger;
  /** The span's alarm names now (hardware), to tell an alarm from a far-end 38. */
  spanAlarms: (span: number) => Promise<string[]>;
  /** Our Stasis application: originated channels enter it on answer. */
  app: string;
  /** Beyond an attempt's ringing timeout, how long we wait for Asterisk to end it before we do. */
  graceMs?: number;
  now?: () => Date;
}

export interface AttemptReport {
  span: number | null;
  dial: string;
  /** The channel id of the attempt (its CDR's uniqueid); null when none was made. */
  channelId: string | null;
  outcome: Outcome;
  cause: number | null;
  dialStatus: string;
}

export type OutboundNext =
  | { kind: 'done' }
  /** Call again after the delay, telling us retriesUsed. */
  | { kind: 'retry-later'; delaySeconds: number; retriesUsed: number }
  | { kind: 'give-up'; reason: string };

export interface OutboundResult {
  /** The call's id: the linkedid of its attempts' CDRs. */
  callId: string;
  e164: string;
  dialNumber: string;
  outcome: Outcome;
  cause: number | null;
  attempts: AttemptReport[];
  next: OutboundNext;
  /** The answered channel (now in the dialplan target), or null. */
  answeredChannelId: string | null;
}

export interface OutboundStats {
  requested: number;
  attempts: number;
  outcomes: Record<Outcome, number>;
  records: number;
  recordFailures: number;
}

/** Ids of our originated channels start with this, so a restarted supervisor still knows them. */
export const OUTBOUND_ID_PREFIX = 'tdmgate-o-';
const DEFAULT_GRACE_MS = 15_000;
/** A network failure on the span (alarm): the cause recorded for an attempt cut by it. */
const CAUSE_NETWORK_OUT_OF_ORDER = 38;

interface AttemptEnd {
  outcome: Outcome;
  cause: number | null;
  channelId: string | null;
  dialStatus: string;
}

interface Leg extends OutboundLeg {
  phase: 'dialing' | 'answered' | 'ended';
  /** The trunk channel claimed in the TrunkMap, once known. */
  channel: number | null;
  dialStatus: string;
  interrupted: Pick<CallInterrupted, 'cause' | 'alarms'> | null;
  target: DialplanPlace;
  /** Sent on to the target (false while in Stasis after answer). */
  continued: boolean;
  /** The originate request failed without telling whether a channel was made: hang it up if one shows. */
  orphan: boolean;
  settle: ((r: { outcome: Outcome; cause: number | null }) => void) | null;
  located: Promise<void>;
  guard: NodeJS.Timeout | null;
}

export class OutboundCalls {
  /** Attempts with a channel (or maybe one) and recently closed ids; reconciliation reads it. */
  readonly tracked = new TrackedCalls<Leg>();
  private readonly writes = new Set<Promise<void>>();
  private readonly numbering: NumberingPlan | null;
  private readonly now: () => Date;
  private readonly log: TrunkMapLogger;
  readonly stats: OutboundStats = {
    requested: 0, attempts: 0, records: 0, recordFailures: 0,
    outcomes: { answered: 0, busy: 0, 'no-answer': 0, rejected: 0, congestion: 0, 'invalid-number': 0, failed: 0 },
  };

  constructor(private readonly o: OutboundCallsOptions) {
    this.numbering = o.site.routing?.numbering ? compileNumbering(o.site.routing.numbering) : null;
    this.now = o.now ?? (() => new Date());
    this.log = o.logger;
  }

  /** Attempts whose channel is still up (dialing or answered). */
  get active(): number {
    return this.tracked.size;
  }

  /**
   * Places the call and resolves with its outcome once known (an answered call goes on in the
   * dialplan; its CDR is written when it ends). Throws OutboundError for a request that can never
   * be dialled, SupervisorError ARI_NOT_READY when Asterisk is not connected (nothing dialled).
   */
  async originate(input: unknown): Promise<OutboundResult> {
    const req = checkRequest(input, this.o.site);
    const call = this.prepare(req);
    if (this.o.ari.status !== 'ready') throw new SupervisorError('ARI_NOT_READY', `outbound call to ${call.number.e164}: ARI is ${this.o.ari.status}; nothing was dialled`);
    this.stats.requested++;
    const callId = `${OUTBOUND_ID_PREFIX}${randomBytes(6).toString('hex')}`;
    const reports: AttemptReport[] = [];
    let progress: HuntProgress = { attempt: 0, retries: req.retriesUsed };
    let attempt: Attempt | undefined = call.attempts[0];
    // No span of the group in service: as chan_dahdi would answer, congestion.
    let last: AttemptEnd = { outcome: 'congestion', cause: 34, channelId: null, dialStatus: '' };
    if (attempt === undefined) this.log.warn({ call: callId, group: req.group.name, number: call.number.e164 }, 'outbound call: no span of the group in service');
    while (attempt !== undefined) {
      last = await this.attempt(callId, progress.attempt, attempt, call, req);
      reports.push({ span: attempt.span, dial: attempt.dial, channelId: last.channelId, outcome: last.outcome, cause: last.cause, dialStatus: last.dialStatus });
      const step = nextStep(call.attempts, progress, last.outcome, call.settings);
      if (step.kind !== 'next-span') return this.result(callId, call, reports, last, step);
      this.log.info({ call: callId, outcome: last.outcome, next: step.attempt.dial }, 'outbound attempt congested: next span');
      attempt = step.attempt;
      progress = step.progress;
    }
    return this.result(callId, call, reports, last, nextStep(call.attempts, progress, last.outcome, call.settings));
  }

  onEvent(e: SupervisorEvent): void {
    switch (e.type) {
      case 'Dial': {
        const leg = this.tracked.get(e.peer.id);
        if (!leg) return;
        if (leg.name === '') leg.name = e.peer.name;
        if (e.dialstatus !== '') leg.dialStatus = e.dialstatus;
        return;
      }
      case 'ChannelStateChange': {
        const leg = this.tracked.get(e.channel.id);
        if (leg && e.channel.state === 'Up') this.answered(leg);
        return;
      }
      case 'StasisStart': {
        if (e.args[0] !== 'outbound') return;
        const leg = this.tracked.get(e.channel.id);
        if (leg) void this.inStasis(leg);
        else if (!this.tracked.isFinished(e.channel.id)) this.adopt(e.channel);
        return;
      }
      case 'ChannelDestroyed': {
        const leg = this.tracked.get(e.channel.id);
        if (leg) void this.finish(leg, e.cause, e.channel.name, '');
        return;
      }
      default:
        return;
    }
  }

  /** TrunkMap: the span of an attempt went into alarm or maintenance. */
  onInterrupted(e: CallInterrupted): void {
    const leg = e.callRef === null ? undefined : this.tracked.get(e.callRef);
    if (!leg) return;
    leg.interrupted = e;
    this.log.warn({ call: leg.callId, channelId: leg.id, span: e.span, cause: e.cause, alarms: e.alarms }, 'outbound call interrupted by its span');
  }

  // ---- reconciliation (see reconcile.ts) -----------------------------------------------------

  /** Our originated channels, told by the id we gave them (events and reconciliation). */
  owns(ch: { id: string }): boolean {
    return ch.id.startsWith(OUTBOUND_ID_PREFIX);
  }

  /**
   * A channel of ours Asterisk lists. Known: catch up (answered, not yet sent on). Unknown - made
   * before a restart, or by a request whose answer was lost - tracked to its end for its CDR, and
   * hung up if it waits in our Stasis app, where nobody would ever send it on.
   */
  adopt(ch: AriChannel): void {
    const known = this.tracked.get(ch.id);
    if (known) {
      if (ch.state === 'Up') this.answered(known);
      if (known.phase === 'answered' && !known.continued && inStasisOf(ch, this.o.app)) void this.inStasis(known);
      return;
    }
    if (this.tracked.isFinished(ch.id)) return;
    const leg = this.track({
      id: ch.id, callId: ch.id.replace(/-\d+$/, ''), name: ch.name, createdAt: ariTime(ch.creationtime) ?? this.now(), answeredAt: null,
      callerName: ch.caller.name, callerNumber: ch.caller.number, dialNumber: '', dial: '', timeoutSeconds: 0, context: ch.dialplan.context,
      route: 'outbound', accountcode: '', span: null, timeslot: null, groupName: '', notes: ['adopted: placed before a restart or a lost request'],
    }, { context: ch.dialplan.context, extension: ch.dialplan.exten, priority: ch.dialplan.priority, name: '' });
    leg.orphan = true;
    if (ch.state === 'Up') leg.answeredAt = this.now();
    leg.located = this.locate(leg);
    this.log.warn({ channelId: ch.id, channel: ch.name, state: ch.state }, 'adopted an outbound channel this supervisor did not place');
    if (inStasisOf(ch, this.o.app)) void this.hangup(leg, 'adopted in Stasis with no target to send it to');
  }

  /** Reconciliation: Asterisk no longer has the channel and its ChannelDestroyed never came. */
  vanished(id: string): Promise<void> {
    const leg = this.tracked.get(id);
    return leg ? this.finish(leg, null, leg.name, 'closed by reconciliation: channel gone while ARI was away') : Promise.resolve();
  }

  // ---- shutdown ------------------------------------------------------------------------------

  async hangupAll(cause = 16): Promise<void> {
    await Promise.allSettled(this.tracked.all().map((l) => this.o.ari.hangup(l.id, cause)));
  }

  async closeAll(note: string): Promise<void> {
    await Promise.all(this.tracked.all().map((l) => this.finish(l, null, l.name, note)));
  }

  async settled(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  // ---- one call ------------------------------------------------------------------------------

  private prepare(req: CheckedRequest): PreparedCall {
    const prepared = prepareCall(req.number, req.group, this.numbering, this.o.site.routing?.outbound ?? [], (dial) => this.o.trunkMap.planAttempts(req.group.number, dial));
    return { ...prepared, callerId: req.callerId ?? prepared.callerId, timeoutSeconds: req.timeoutSeconds ?? prepared.timeoutSeconds };
  }

  private attempt(callId: string, index: number, attempt: Attempt, call: PreparedCall, req: CheckedRequest): Promise<AttemptEnd> {
    this.stats.attempts++;
    const leg = this.track({
      id: `${callId}-${index + 1}`, callId, name: '', createdAt: this.now(), answeredAt: null, callerName: '', callerNumber: call.callerId ?? '',
      dialNumber: call.dialNumber, dial: attempt.dial, timeoutSeconds: call.timeoutSeconds, context: req.target.context,
      route: req.target.name === '' ? 'outbound' : `outbound:${req.target.name}`, accountcode: req.accountcode, span: attempt.span, timeslot: null,
      groupName: req.group.name, notes: [req.reference === '' ? '' : `ref ${req.reference}`, `attempt ${index + 1} of ${call.attempts.length}`],
    }, req.target);
    return new Promise((resolve) => {
      let made = false;
      leg.settle = (r) => {
        leg.settle = null;
        this.stats.outcomes[r.outcome]++;
        resolve({ ...r, channelId: made || leg.name !== '' ? leg.id : null, dialStatus: leg.dialStatus });
      };
      const variables: Record<string, string> = {
        ...req.variables, TDMGATE_CALL: callId, TDMGATE_NUMBER: call.number.e164, TDMGATE_GROUP: String(req.group.number),
        ...(req.accountcode === '' ? {} : { 'CDR(accountcode)': req.accountcode }),
      };
      this.o.ari.originate({
        endpoint: attempt.dial, app: this.o.app, appArgs: `outbound,${callId}`, channelId: leg.id, timeout: call.timeoutSeconds, variables,
        ...(call.callerId === null ? {} : { callerId: call.callerId }),
      }).then(
        (ch) => {
          made = true;
          if (leg.phase === 'ended') return;
          if (leg.name === '') leg.name = ch.name;
          leg.guard = setTimeout(() => this.overdue(leg), call.timeoutSeconds * 1000 + (this.o.graceMs ?? DEFAULT_GRACE_MS));
          leg.guard.unref();
          leg.located = this.locate(leg);
        },
        (err: unknown) => this.originateFailed(leg, err),
      );
    });
  }

  private originateFailed(leg: Leg, err: unknown): void {
    if (leg.phase === 'ended') return;
    const reason = err instanceof Error ? err.message : String(err);
    if (isSupervisorError(err, 'ARI_TIMEOUT') || isSupervisorError(err, 'ARI_NOT_READY')) {
      // Asterisk may have made the channel: keep watching for it, and hang it up if it shows.
      leg.orphan = true;
      leg.notes.push('originate request unanswered');
      this.log.warn({ call: leg.callId, channelId: leg.id, reason }, 'outbound originate unanswered: the channel, if made, will be hung up');
      leg.settle?.({ outcome: 'failed', cause: null });
      leg.guard = setTimeout(() => this.forget(leg), leg.timeoutSeconds * 1000 + (this.o.graceMs ?? DEFAULT_GRACE_MS));
      leg.guard.unref();
      return;
    }
    // Refused: no channel exists. "Allocation failed" is chan_dahdi finding no free channel.
    const congested = /allocation failed/i.test(reason);
    this.log.info({ call: leg.callId, dial: leg.dial, reason }, congested ? 'outbound attempt: no channel free (Allocation failed)' : 'outbound originate refused');
    this.untrack(leg);
    leg.settle?.({ outcome: congested ? 'congestion' : 'failed', cause: congested ? 34 : null });
  }

  /** The span and timeslot Asterisk dialled on, claimed in the TrunkMap. */
  private async locate(leg: Leg): Promise<void> {
    try {
      const resolved = await resolveTrunkChannel(this.o.trunkMap, this.o.ari, leg);
      if (leg.phase === 'ended' || !resolved.ok || resolved.value.kind !== 'channel') return;
      const info = resolved.value.info;
      leg.span = info.span;
      leg.timeslot = info.timeslot;
      this.o.trunkMap.claim(info.channel, leg.id, { direction: 'out' });
      leg.channel = info.channel;
      if (leg.answeredAt !== null) this.o.trunkMap.answer(info.channel);
    } catch (err) {
      // Asterisk holds the channel whatever our map thought of it: the call goes on, unclaimed.
      this.log.warn({ call: leg.callId, channelId: leg.id, err: err instanceof Error ? err.message : String(err) }, 'outbound channel not placed in the trunk map');
    }
  }

  private answered(leg: Leg): void {
    if (leg.answeredAt !== null || leg.phase === 'ended') return;
    leg.answeredAt = this.now();
    leg.phase = 'answered';
    if (leg.channel !== null) {
      try {
        this.o.trunkMap.answer(leg.channel);
      } catch {
        // blocked by an alarm meanwhile: the CDR still counts the answer
      }
    }
    if (leg.orphan) return;
    leg.settle?.({ outcome: 'answered', cause: null });
  }

  /** Answered and in our Stasis app: TDMGATE_SPAN/TIMESLOT set, sent on to the target. */
  private async inStasis(leg: Leg): Promise<void> {
    this.answered(leg);
    if (leg.orphan) return this.hangup(leg, 'answered after its request was given up');
    try {
      await leg.located;
      if (leg.span !== null) await this.o.ari.setVariable(leg.id, 'TDMGATE_SPAN', String(leg.span));
      if (leg.timeslot !== null) await this.o.ari.setVariable(leg.id, 'TDMGATE_TIMESLOT', String(leg.timeslot));
      await this.o.ari.continueInDialplan(leg.id, { context: leg.target.context, extension: leg.target.extension, priority: leg.target.priority });
      leg.continued = true;
      this.log.info({ call: leg.callId, channelId: leg.id, channel: leg.name, span: leg.span, timeslot: leg.timeslot, context: leg.target.context, extension: leg.target.extension }, 'outbound call answered: sent to its target');
    } catch (err) {
      // Timeout or ARI away: reconciliation after the reconnect finds it in Stasis and tries again.
      this.log.warn({ call: leg.callId, channelId: leg.id, err: err instanceof Error ? err.message : String(err) }, 'outbound call answered but not yet sent on');
    }
  }

  private async hangup(leg: Leg, why: string): Promise<void> {
    leg.notes.push(why);
    this.log.warn({ call: leg.callId, channelId: leg.id, why }, 'outbound channel hung up');
    try {
      await this.o.ari.hangup(leg.id, 16);
    } catch (err) {
      this.log.warn({ channelId: leg.id, err: err instanceof Error ? err.message : String(err) }, 'hangup refused: reconciliation closes it');
    }
  }

  /** Asterisk should have ended the attempt by now (ringing timeout + grace): we end it. */
  private overdue(leg: Leg): void {
    leg.guard = null;
    if (leg.phase !== 'dialing') return;
    leg.dialStatus = leg.dialStatus === '' ? 'NOANSWER' : leg.dialStatus;
    leg.settle?.({ outcome: 'no-answer', cause: null });
    leg.orphan = true;
    void this.hangup(leg, 'ringing timeout passed with no end from Asterisk');
  }

  /** An unanswered originate's channel never showed up: stop watching for it. */
  private forget(leg: Leg): void {
    leg.guard = null;
    if (leg.phase === 'dialing' && leg.name === '') this.untrack(leg);
  }

  private async finish(leg: Leg, cause: number | null, name: string, note: string): Promise<void> {
    if (leg.phase === 'ended') return;
    const wasAnswered = leg.answeredAt !== null;
    const endAt = this.now();
    leg.phase = 'ended';
    if (leg.name === '') leg.name = name;
    this.untrack(leg);
    if (leg.channel !== null) {
      try {
        this.o.trunkMap.release(leg.channel);
      } catch (err) {
        this.log.warn({ channelId: leg.id, channel: leg.channel, err: String(err) }, 'trunk map release failed');
      }
    }
    if (note !== '') leg.notes.push(note);
    const write = this.record(leg, wasAnswered, cause, endAt);
    this.writes.add(write);
    await write;
    this.writes.delete(write);
  }

  private async record(leg: Leg, answered: boolean, cause: number | null, endAt: Date): Promise<void> {
    // The hardware watcher may not have told the TrunkMap yet: a 38 on a span in alarm now is the alarm.
    if (leg.interrupted === null && cause === CAUSE_NETWORK_OUT_OF_ORDER && leg.span !== null) {
      const alarms = await this.o.spanAlarms(leg.span).catch(() => []);
      if (alarms.length > 0) leg.interrupted = { cause: 'alarm', alarms };
    }
    const byAlarm = leg.interrupted?.cause === 'alarm';
    const q850 = byAlarm ? CAUSE_NETWORK_OUT_OF_ORDER : cause;
    const outcome = outcomeOf({ answered, cause: q850, dialStatus: leg.dialStatus });
    leg.settle?.({ outcome, cause: q850 === 0 ? null : q850 });
    if (leg.interrupted) leg.notes.push(byAlarm ? `interrupted by span alarm: ${leg.interrupted.alarms.join(',') || 'alarm'}` : 'interrupted by span maintenance');
    await this.write(leg, outcome, q850, endAt);
  }

  private async write(leg: Leg, outcome: Outcome, cause: number | null, endAt: Date): Promise<void> {
    try {
      const cdr = outboundCdr(leg, endAt, outcome, cause);
      await this.o.cdr.write(cdr);
      this.stats.records++;
      this.log.info({ call: leg.callId, channelId: leg.id, channel: leg.name, span: leg.span, timeslot: leg.timeslot, disposition: cdr.disposition, billsec: cdr.billsec, q850: cdr.q850_cause }, 'outbound call record written');
    } catch (err) {
      this.stats.recordFailures++;
      this.log.error({ channelId: leg.id, err: err instanceof Error ? err.message : String(err) }, 'outbound call record not written');
    }
  }

  private result(callId: string, call: PreparedCall, attempts: AttemptReport[], last: AttemptEnd, step: ReturnType<typeof nextStep>): OutboundResult {
    const next: OutboundNext = step.kind === 'retry-later' ? { kind: 'retry-later', delaySeconds: step.delaySeconds, retriesUsed: step.retries }
      : step.kind === 'give-up' ? { kind: 'give-up', reason: step.reason } : { kind: 'done' };
    const result: OutboundResult = {
      callId, e164: call.number.e164, dialNumber: call.dialNumber, outcome: last.outcome, cause: last.cause, attempts, next,
      answeredChannelId: last.outcome === 'answered' ? last.channelId : null,
    };
    this.log.info({ call: callId, number: call.number.e164, outcome: last.outcome, cause: last.cause, attempts: attempts.length, next: next.kind }, 'outbound call decided');
    return result;
  }

  private track(leg: OutboundLeg, target: DialplanPlace): Leg {
    const full: Leg = {
      ...leg, phase: 'dialing', channel: null, dialStatus: '', interrupted: null, target, continued: false, orphan: false,
      settle: null, located: Promise.resolve(), guard: null,
    };
    return this.tracked.add(full);
  }

  private untrack(leg: Leg): void {
    if (leg.guard) clearTimeout(leg.guard);
    leg.guard = null;
    this.tracked.close(leg.id);
  }
}

function inStasisOf(ch: AriChannel, app: string): boolean {
  return ch.dialplan.app_name === 'Stasis' && ch.dialplan.app_data.split(',')[0] === app;
}
