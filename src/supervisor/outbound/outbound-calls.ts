// Outbound calls through ARI: a request is checked against the site, the number normalised, the
// toll-fraud guard asked (a refusal is a GuardError; nothing is dialled) and the attempts
// planned with the spans' live conditions from the TrunkMap (spans in alarm or maintenance get
// none); then one originate per attempt into our Stasis app, with a channel id
// we make so events that beat the REST answer still find their attempt. An attempt ends in an
// outcome - answered (the call is sent on to its dialplan target), or the Q.850 cause / Dial
// status mapped by outcomes.ts, or 500 "Allocation failed" read as congestion (no channel free)
// - and congestion moves on to the next span at once. The result tells the caller's queue what
// to do next. Each attempt is an outbound leg of the call-leg engine, which records it (one CDR
// per attempt that made a channel) when the channel is gone. A notification (a request with a
// prompt) stays in our app when answered: notification-calls.ts plays it and waits for a digit,
// and the result comes when the call is over, with the digit.

import { randomBytes } from 'node:crypto';
import type { SiteConfig, TrunkGroup } from '../../provisioning/site/site-types';
import type { OriginateParams } from '../ari/ari-adapter';
import { AriAllocationFailedError, AriNotFoundError, AriNotReadyError, isTransientAriError } from '../ari/ari-errors';
import type { AriChannel, SupervisorEvent } from '../ari/ari-events';
import { ariTime, inStasisOf } from '../ari/ari-events';
import type { CdrInput } from '../cdr/cdr-record';
import type { CallParties } from '../calls/call-events';
import type { CallLegs, LegOwner } from '../calls/call-legs';
import type { DialplanPlace, Leg, LegEnd } from '../calls/leg';
import { resolveTrunkChannel } from '../trunk-channel';
import { compileNumbering, type NumberingPlan } from '../numbering/numbering';
import type { DialAttempt as Attempt, TrunkMap, TrunkMapLogger } from '../trunk-map';
import { SpanPacing, type PaceKey } from './attempt-rate';
import { nextStep, type HuntProgress } from './next-step';
import { newNotification, NotificationCalls } from './notification-calls';
import { notificationResult, type NotificationResult } from './notification-steps';
import { outboundCdr, type OutboundData } from './outbound-cdr';
import { outcomeOf, type Outcome } from './outcomes';
import { prepareCall, settingsFor, e164Of, type PreparedCall } from './prepare-call';
import type { GuardTicket, OriginateGuard } from '../toll-guard/toll-guard';
import { checkRequest, DEFAULT_OUTBOUND_PLACE, type CheckedRequest } from './request';

/** What outbound calls need of the ARI adapter. */
export interface OutboundAri {
  readonly status: string;
  originate(params: OriginateParams): Promise<AriChannel>;
  getVariable(channelId: string, variable: string): Promise<string>;
  setVariable(channelId: string, variable: string, value: string): Promise<void>;
  continueInDialplan(channelId: string, to: { context: string; extension: string; priority: number }): Promise<void>;
  hangup(channelId: string, cause: number): Promise<void>;
  play(channelId: string, media: readonly string[], playbackId: string): Promise<void>;
}

export interface OutboundCallsOptions {
  legs: CallLegs;
  ari: OutboundAri;
  trunkMap: TrunkMap;
  site: SiteConfig;
  logger: TrunkMapLogger;
  /** Our Stasis application: originated channels enter it on answer. */
  app: string;
  /** Beyond an attempt's ringing timeout, how long we wait for Asterisk to end it before we do. */
  graceMs?: number;
  /** The toll-fraud guard every originate passes before anything is dialled; none = every call goes. */
  guard?: OriginateGuard;
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
  /** A notification that was answered: how far its prompt got and the digit; null otherwise. */
  notification: NotificationResult | null;
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

interface AttemptEnd {
  outcome: Outcome;
  cause: number | null;
  channelId: string | null;
  dialStatus: string;
  notification: NotificationResult | null;
}

type OutboundLeg = Leg<OutboundData>;

export class OutboundCalls implements LegOwner<OutboundData> {
  private readonly numbering: NumberingPlan | null;
  private readonly now: () => Date;
  private readonly log: TrunkMapLogger;
  private readonly notifications: NotificationCalls;
  private readonly pacing: SpanPacing;
  /**
   * Calls with no leg yet but headed for a channel - waiting for the toll guard's answer, or held
   * back by their span's attempt-rate cap: counted as attempts under way meanwhile.
   */
  private readonly held = new Set<{ group: string; span: number | null }>();
  private readonly counts: Omit<OutboundStats, 'records' | 'recordFailures'> = {
    requested: 0, attempts: 0,
    outcomes: { answered: 0, busy: 0, 'no-answer': 0, rejected: 0, congestion: 0, 'invalid-number': 0, failed: 0 },
  };

  constructor(private readonly o: OutboundCallsOptions) {
    this.numbering = o.site.routing?.numbering ? compileNumbering(o.site.routing.numbering) : null;
    this.now = o.now ?? (() => new Date());
    this.log = o.logger;
    this.notifications = new NotificationCalls(o.ari, o.logger);
    this.pacing = new SpanPacing(() => this.now().getTime());
  }

  get stats(): OutboundStats {
    return { ...this.counts, records: this.o.legs.stats.records.outbound, recordFailures: this.o.legs.stats.recordFailures.outbound };
  }

  /** Attempts whose channel is still up (dialing or answered). */
  get active(): number {
    return this.o.legs.count('outbound');
  }

  /**
   * Places the call and resolves with its outcome once known (an answered call goes on in the
   * dialplan, its CDR written when it ends; an answered notification resolves when it is over). Throws OutboundError for a request that can never
   * be dialled, AriNotReadyError when Asterisk is not connected (nothing dialled), GuardError
   * for a call the toll guard refuses. `accepted` is told once the call got past all of those and
   * its first attempt is under way (the API answers 202 then).
   */
  async originate(input: unknown, accepted?: () => void): Promise<OutboundResult> {
    const req = checkRequest(input, this.o.site);
    const number = e164Of(req.number, this.numbering);
    if (this.o.ari.status !== 'ready') throw new AriNotReadyError(`call to ${number.e164}: ARI is ${this.o.ari.status}; nothing was dialled`, { operation: 'outbound.originate' });
    // Until its first leg is open, a call waiting for the guard counts as an unplaced attempt of
    // its group: the job queues never take more calls than the group has channels for meanwhile.
    const release = this.o.guard ? this.holdPlace({ group: req.group.name, span: null }) : null;
    let ticket: GuardTicket | null = null;
    let call: PreparedCall;
    try {
      if (this.o.guard) ticket = await this.o.guard.check({ number, group: { name: req.group.name, number: req.group.number }, origin: req.origin });
      // Planned after the guard's answer, with the spans as they are now.
      call = this.prepare(req);
    } finally {
      // The first attempt's leg opens below in this same turn of the event loop.
      release?.();
    }
    this.counts.requested++;
    accepted?.();
    const callId = `${OUTBOUND_ID_PREFIX}${req.callKey ?? randomBytes(6).toString('hex')}`;
    const reports: AttemptReport[] = [];
    let progress: HuntProgress = { attempt: 0, retries: req.retriesUsed };
    let attempt: Attempt | undefined = call.attempts[0];
    // No span of the group in service: as chan_dahdi would answer, congestion.
    let last: AttemptEnd = { outcome: 'congestion', cause: 34, channelId: null, dialStatus: '', notification: null };
    if (attempt === undefined) this.log.warn({ call: callId, group: req.group.name, number: call.number.e164 }, 'outbound call: no span of the group in service');
    while (attempt !== undefined) {
      // No await when the cap lets the attempt go now: the leg opens before originate() first
      // yields, which the job queues' count of attempts under way relies on.
      const hold = this.pace(attempt, req.group, call.settings.attemptsPerSecondPerSpan);
      if (hold) await hold;
      last = await this.attempt(callId, progress.attempt, attempt, call, req, ticket);
      reports.push({ span: attempt.span, dial: attempt.dial, channelId: last.channelId, outcome: last.outcome, cause: last.cause, dialStatus: last.dialStatus });
      const step = nextStep(call.attempts, progress, last.outcome, call.settings);
      if (step.kind !== 'next-span') return this.result(callId, call, reports, last, step);
      this.log.info({ call: callId, outcome: last.outcome, next: step.attempt.dial }, 'outbound attempt congested: next span');
      attempt = step.attempt;
      progress = step.progress;
    }
    return this.result(callId, call, reports, last, nextStep(call.attempts, progress, last.outcome, call.settings));
  }


  /**
   * Attempts on the group whose channel the TrunkMap does not show taken yet (dialling, B-channel
   * not known): the map still counts that channel free, so the job queues count these as used.
   */
  unplacedAttempts(groupName: string): number {
    let n = 0;
    for (const leg of this.o.legs.tracked.all()) if (leg.direction === 'outbound' && leg.channel === null && leg.groupName === groupName) n++;
    for (const h of this.held) if (h.group === groupName) n++;
    return n;
  }

  /**
   * Milliseconds before the group's next attempt may start under its per-span attempt-rate cap
   * (0 = now): the job queues wait that long rather than take a job that would wait here.
   */
  paceWaitMs(groupName: string): number {
    const g = this.o.site.groups.find((x) => x.name === groupName);
    const perSpan = g === undefined ? null : settingsFor(g.number, this.o.site.routing?.outbound ?? []).attemptsPerSecondPerSpan;
    if (g === undefined || perSpan === null) return 0;
    // The hunt puts spans that may take an attempt now first: the first attempt tells.
    const [first] = this.o.trunkMap.planAttempts(g.number, '0', (span) => this.unplacedOnSpan(span), (span) => this.pacing.waitMs({ span }, perSpan));
    return first === undefined ? 0 : this.pacing.waitMs(paceKey(first, g.number), perSpan);
  }

  /** A leg of the call `callId` is tracked: placed by us, or adopted from Asterisk after a restart. */
  tracksCall(callId: string): boolean {
    for (const leg of this.o.legs.tracked.all()) if (leg.direction === 'outbound' && (leg.data as OutboundData).callId === callId) return true;
    return false;
  }

  private unplacedOnSpan(span: number): number {
    let n = 0;
    for (const leg of this.o.legs.tracked.all()) if (leg.direction === 'outbound' && leg.channel === null && leg.span === span) n++;
    for (const h of this.held) if (h.span === span) n++;
    return n;
  }

  /**
   * Takes the attempt's place under its span's (or, where chan_dahdi picks the span, its group's)
   * attempt-rate cap: at once (null) when the cap allows, else a wait that ends with the place taken.
   */
  private pace(attempt: Attempt, group: TrunkGroup, perSecond: number | null): Promise<void> | null {
    const key = paceKey(attempt, group.number);
    if (this.pacing.waitMs(key, perSecond) === 0) {
      this.pacing.take(key, perSecond);
      return null;
    }
    const release = this.holdPlace({ group: group.name, span: attempt.span });
    const wait = async (): Promise<void> => {
      try {
        for (let ms = this.pacing.waitMs(key, perSecond); ms > 0; ms = this.pacing.waitMs(key, perSecond)) await new Promise((r) => setTimeout(r, ms));
        this.pacing.take(key, perSecond);
      } finally {
        release();
      }
    };
    return wait();
  }

  /** Our originated channels, told by the id we gave them (events and reconciliation). */
  owns(ch: { id: string }): boolean {
    return ch.id.startsWith(OUTBOUND_ID_PREFIX);
  }

  /** StasisStart of one of our channels: answered and in our app, to be sent to its target. */
  enteredStasis(ch: AriChannel, at: Date | null): void {
    const leg = this.o.legs.get<OutboundData>(ch.id);
    if (!leg) {
      this.adopt(ch);
      return;
    }
    this.o.legs.answered(leg, at);
    if (leg.state === 'orphaned') {
      void this.hangup(leg, 'answered after its request was given up');
      return;
    }
    if (this.o.legs.fire(leg, 'enter-stasis')) void this.sendOn(leg);
  }

  /**
   * A channel of ours Asterisk lists (reconciliation) or that entered Stasis unknown. Known:
   * catch up (answered, not yet sent on). Unknown - made before a restart, or by a request whose
   * answer was lost - tracked to its end for its CDR, and hung up if it waits in our Stasis app,
   * where nobody would ever send it on.
   */
  adopt(ch: AriChannel): void {
    const legs = this.o.legs;
    const known = legs.get<OutboundData>(ch.id);
    if (known) {
      if (ch.state === 'Up') legs.answered(known, null);
      if (!inStasisOf(ch, this.o.app)) return;
      if (known.state === 'orphaned' && ch.state === 'Up') void this.hangup(known, 'answered after its request was given up');
      else if (known.state === 'pending' && legs.fire(known, 'retry')) void this.sendOn(known);
      else if (known.state === 'dialing' && ch.state === 'Up' && legs.fire(known, 'enter-stasis')) void this.sendOn(known);
      else if (known.state === 'prompting') this.notifications.resume(known);
      return;
    }
    if (legs.tracked.isFinished(ch.id)) return;
    const inStasis = inStasisOf(ch, this.o.app);
    const leg = legs.open<OutboundData>({
      id: ch.id, direction: 'outbound', name: '', createdAt: ariTime(ch.creationtime) ?? this.now(),
      notes: ['adopted: placed before a restart or a lost request'],
      data: {
        callId: ch.id.replace(/-\d+$/, ''), callerName: ch.caller.name, callerNumber: ch.caller.number, dialNumber: '', dial: '', timeoutSeconds: 0,
        target: { context: ch.dialplan.context, extension: ch.dialplan.exten, priority: ch.dialplan.priority }, route: 'outbound', targetName: '', reference: '', accountcode: '',
        notification: null, settle: null, located: null, guard: null, toll: null,
      },
    }, inStasis ? 'orphaned' : 'continued', this);
    legs.nameKnown(leg, ch.name);
    if (ch.state === 'Up') legs.answered(leg, null);
    this.log.warn({ channelId: ch.id, channel: ch.name, state: ch.state }, 'adopted an outbound channel this supervisor did not place');
    if (inStasis) void this.hangup(leg, 'adopted in Stasis with no target to send it to');
  }

  // ---- LegOwner ------------------------------------------------------------------------------

  record(leg: OutboundLeg, end: LegEnd): CdrInput {
    return outboundCdr(leg, end, this.outcome(leg, end));
  }

  /**
   * The channel's name is known (ChannelCreated, a Dial, or the originate's answer, whichever
   * came first): ask for its B-channel now, while a channel that fails fast still exists.
   */
  named(leg: OutboundLeg): void {
    leg.data.located ??= this.locate(leg);
  }

  describe(leg: OutboundLeg): CallParties {
    const d = leg.data;
    return { callId: d.callId, caller: d.callerNumber, called: d.dialNumber, route: d.route, target: d.targetName, reference: d.reference };
  }

  answered(leg: OutboundLeg): void {
    // A notification's caller waits for the prompt to be over: the digit is the result.
    if (leg.state === 'orphaned' || leg.data.notification) return;
    this.settle(leg, 'answered', null);
  }

  ended(leg: OutboundLeg, end: LegEnd): void {
    if (leg.data.guard) clearTimeout(leg.data.guard);
    leg.data.guard = null;
    if (leg.data.toll && leg.answeredAt !== null) this.o.guard?.callEnded(leg.data.toll, Math.max(0, Math.round((end.at.getTime() - leg.answeredAt.getTime()) / 1000)));
    const n = leg.data.notification;
    if (n && leg.answeredAt !== null) {
      this.notifications.gone(leg);
      this.settle(leg, this.outcome(leg, end), end.cause, notificationResult(n.progress, Math.max(0, Math.round((end.at.getTime() - leg.answeredAt.getTime()) / 1000))));
      return;
    }
    this.settle(leg, this.outcome(leg, end), end.cause);
  }

  /** DTMF, playbacks and hang-up requests of a notification in our app. */
  event(leg: OutboundLeg, e: SupervisorEvent): void {
    if (leg.state === 'prompting') this.notifications.event(leg, e);
  }

  // ---- one call ------------------------------------------------------------------------------

  /** Counts a call as an attempt under way on its group (and span) until the returned function is called. */
  private holdPlace(place: { group: string; span: number | null }): () => void {
    const held = { ...place };
    this.held.add(held);
    return () => this.held.delete(held);
  }

  private prepare(req: CheckedRequest): PreparedCall {
    const configured = this.o.site.routing?.outbound ?? [];
    const perSpan = settingsFor(req.group.number, configured).attemptsPerSecondPerSpan;
    const prepared = prepareCall(req.number, req.group, this.numbering, configured,
      (dial) => this.o.trunkMap.planAttempts(req.group.number, dial, (span) => this.unplacedOnSpan(span), (span) => this.pacing.waitMs({ span }, perSpan)));
    return { ...prepared, callerId: req.callerId ?? prepared.callerId, timeoutSeconds: req.timeoutSeconds ?? prepared.timeoutSeconds };
  }

  private attempt(callId: string, index: number, attempt: Attempt, call: PreparedCall, req: CheckedRequest, toll: GuardTicket | null): Promise<AttemptEnd> {
    this.counts.attempts++;
    const leg = this.o.legs.open<OutboundData>({
      id: `${callId}-${index + 1}`, direction: 'outbound', name: '', createdAt: this.now(), span: attempt.span, groupName: req.group.name,
      notes: [req.reference === '' ? '' : `ref ${req.reference}`, `attempt ${index + 1} of ${call.attempts.length}`],
      data: {
        callId, callerName: '', callerNumber: call.callerId ?? '', dialNumber: call.dialNumber, dial: attempt.dial, timeoutSeconds: call.timeoutSeconds,
        target: req.target, route: routeOf(req), targetName: req.target?.name ?? '', reference: req.reference, accountcode: req.accountcode,
        notification: req.prompt ? newNotification(req.prompt) : null, settle: null, located: null, guard: null, toll,
      },
    }, 'dialing', this);
    return new Promise((resolve) => {
      let made = false;
      leg.data.settle = (r) => {
        leg.data.settle = null;
        this.counts.outcomes[r.outcome]++;
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
          if (leg.state === 'ended') return;
          this.o.legs.nameKnown(leg, ch.name);
          this.guard(leg, () => this.overdue(leg));
        },
        (err: unknown) => this.originateFailed(leg, err),
      );
    });
  }

  private originateFailed(leg: OutboundLeg, err: unknown): void {
    if (leg.state === 'ended') return;
    const reason = err instanceof Error ? err.message : String(err);
    if (isTransientAriError(err)) {
      // Asterisk may have made the channel: keep watching for it, and hang it up if it shows.
      leg.notes.push('originate request unanswered');
      this.log.warn({ call: leg.data.callId, channelId: leg.id, reason }, 'outbound originate unanswered: the channel, if made, will be hung up');
      this.settle(leg, 'failed', null);
      this.o.legs.fire(leg, 'orphan');
      this.guard(leg, () => {
        if (leg.name === '') this.o.legs.forget(leg);
      });
      return;
    }
    // Refused: no channel exists. "Allocation failed" is chan_dahdi finding no free channel.
    const congested = err instanceof AriAllocationFailedError;
    this.log.info({ call: leg.data.callId, dial: leg.data.dial, reason }, congested ? 'outbound attempt: no channel free (Allocation failed)' : 'outbound originate refused');
    this.o.legs.forget(leg);
    this.settle(leg, congested ? 'congestion' : 'failed', congested ? 34 : null);
  }

  /**
   * The B-channel Asterisk dialled on, claimed in the TrunkMap. The name has already given the
   * span (and, off PRI, the channel); a PRI name needs CHANNEL(dahdi_channel), which a channel
   * that failed within milliseconds no longer answers - its record keeps the span.
   */
  private async locate(leg: OutboundLeg): Promise<void> {
    if (leg.channel !== null) return;
    try {
      const resolved = await resolveTrunkChannel(this.o.trunkMap, this.o.ari, leg);
      if (leg.state === 'ended' || !resolved.ok || resolved.value.kind !== 'channel') return;
      this.o.legs.place(leg, resolved.value.info.channel);
    } catch (err) {
      if (err instanceof AriNotFoundError || leg.state === 'ended') return; // gone already: its end event records it
      // Asterisk holds the channel whatever our map thought of it: the call goes on, unclaimed.
      this.log.warn({ call: leg.data.callId, channelId: leg.id, span: leg.span, err: err instanceof Error ? err.message : String(err) }, 'outbound channel not placed in the trunk map');
    } finally {
      // Ringing, with its timeslot where Asterisk told it (a leg that ended meanwhile rang at its end).
      this.o.legs.rang(leg);
    }
  }

  /** Answered and in our Stasis app: TDMGATE_SPAN/TIMESLOT set, sent on to the target - or its prompt played. */
  private async sendOn(leg: OutboundLeg): Promise<void> {
    if (leg.data.notification) {
      if (this.o.legs.fire(leg, 'prompt')) this.notifications.start(leg);
      return;
    }
    try {
      await leg.data.located;
      if (leg.span !== null) await this.o.ari.setVariable(leg.id, 'TDMGATE_SPAN', String(leg.span));
      if (leg.timeslot !== null) await this.o.ari.setVariable(leg.id, 'TDMGATE_TIMESLOT', String(leg.timeslot));
      const t = leg.data.target ?? DEFAULT_OUTBOUND_PLACE;
      // A routing target's `{did}` is the called number: for an outbound call, the one dialled.
      const place: DialplanPlace = { context: t.context, extension: t.extension.replaceAll('{did}', leg.data.dialNumber === '' ? 's' : leg.data.dialNumber), priority: t.priority };
      await this.o.ari.continueInDialplan(leg.id, place);
      if (!this.o.legs.continued(leg, place)) return;
      this.log.info({ call: leg.data.callId, channelId: leg.id, channel: leg.name, span: leg.span, timeslot: leg.timeslot, context: place.context, extension: place.extension }, 'outbound call answered: sent to its target');
    } catch (err) {
      // ARI away: reconciliation after the reconnect finds it in Stasis and tries again.
      if (isTransientAriError(err) && leg.state === 'deciding') this.o.legs.fire(leg, 'ari-away');
      this.log.warn({ call: leg.data.callId, channelId: leg.id, err: err instanceof Error ? err.message : String(err) }, 'outbound call answered but not yet sent on');
    }
  }

  private async hangup(leg: OutboundLeg, why: string): Promise<void> {
    leg.notes.push(why);
    this.log.warn({ call: leg.data.callId, channelId: leg.id, why }, 'outbound channel hung up');
    try {
      await this.o.ari.hangup(leg.id, 16);
    } catch (err) {
      this.log.warn({ channelId: leg.id, err: err instanceof Error ? err.message : String(err) }, 'hangup refused: reconciliation closes it');
    }
  }

  /** Asterisk should have ended the attempt by now (ringing timeout + grace): we end it. */
  private overdue(leg: OutboundLeg): void {
    if (leg.state !== 'dialing') return;
    if (leg.dialStatus === '') leg.dialStatus = 'NOANSWER';
    this.settle(leg, 'no-answer', null);
    this.o.legs.fire(leg, 'orphan');
    void this.hangup(leg, 'ringing timeout passed with no end from Asterisk');
  }

  /** One timer per attempt: the ringing timeout plus the grace Asterisk gets to end it itself. */
  private guard(leg: OutboundLeg, then: () => void): void {
    if (leg.data.guard) clearTimeout(leg.data.guard);
    leg.data.guard = setTimeout(() => {
      leg.data.guard = null;
      then();
    }, leg.data.timeoutSeconds * 1000 + (this.o.graceMs ?? DEFAULT_GRACE_MS));
    leg.data.guard.unref();
  }

  private settle(leg: OutboundLeg, outcome: Outcome, cause: number | null, notification: NotificationResult | null = null): void {
    leg.data.settle?.({ outcome, cause: cause === 0 ? null : cause, notification });
  }

  private outcome(leg: OutboundLeg, end: LegEnd): Outcome {
    return outcomeOf({ answered: end.answered, cause: end.cause, dialStatus: leg.dialStatus });
  }

  private result(callId: string, call: PreparedCall, attempts: AttemptReport[], last: AttemptEnd, step: ReturnType<typeof nextStep>): OutboundResult {
    const next: OutboundNext = step.kind === 'retry-later' ? { kind: 'retry-later', delaySeconds: step.delaySeconds, retriesUsed: step.retries }
      : step.kind === 'give-up' ? { kind: 'give-up', reason: step.reason } : { kind: 'done' };
    const result: OutboundResult = {
      callId, e164: call.number.e164, dialNumber: call.dialNumber, outcome: last.outcome, cause: last.cause, attempts, next,
      answeredChannelId: last.outcome === 'answered' ? last.channelId : null,
      notification: last.outcome === 'answered' ? last.notification : null,
    };
    this.log.info({ call: callId, number: call.number.e164, outcome: last.outcome, cause: last.cause, attempts: attempts.length, next: next.kind, ...(result.notification ? { digit: result.notification.digit, notification: result.notification.end } : {}) }, 'outbound call decided');
    return result;
  }
}

/** The record's route: where an answer went (`outbound:sales`), or `outbound:notification`. */
function routeOf(req: CheckedRequest): string {
  if (req.prompt) return 'outbound:notification';
  return req.target === null || req.target.name === '' ? 'outbound' : `outbound:${req.target.name}`;
}

/** The bucket an attempt counts in: its span, or its group where chan_dahdi picks the span. */
function paceKey(attempt: Attempt, group: number): PaceKey {
  return attempt.span === null ? { group } : { span: attempt.span };
}
