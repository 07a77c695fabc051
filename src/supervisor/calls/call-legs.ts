// The call-leg engine: every call leg on our trunks, inbound or outbound, from its first event
// to its record. It owns what both directions share - the leg table (leg-states.ts) every state
// change goes through, the TrunkMap claim/answer/release, the span that interrupts a call, the
// times taken from ARI's own event timestamps, the routing target that turns out not to exist,
// one cause mapping into the CDR hand-off, shutdown (hang up all, close all, settle) and the
// view reconciliation reads, and the ring/answer/hang-up events (call-events.ts) listeners read. The directions keep only their decisions: inbound routing
// (inbound/), and outbound hunting and outcomes (outbound/), each as a LegOwner.

import type { SiteConfig } from '../../provisioning/site/site-types';
import type { SupervisorEvent } from '../ari/ari-events';
import type { CdrInput } from '../cdr/cdr-record';
import { indexTable, step, type TransitionIndex } from '../state-table';
import type { CallInterrupted, TrunkMap, TrunkMapLogger } from '../trunk-map';
import { callEvent, CallEvents, type CallEnd, type CallEventKind, type CallParties } from './call-events';
import { CAUSE_NETWORK_OUT_OF_ORDER, recordedCause, type DialplanPlace, type Direction, type Leg, type LegEnd } from './leg';
import { LEG_TABLE, legTableProblems, type LegEvent, type LegState } from './leg-states';
import { TrackedCalls } from './tracked-calls';

/** What a direction adds to the engine: the record of its legs, and what it does at answer and end. */
export interface LegOwner<T> {
  /** The leg's CDR (pure: its facts and how it ended). */
  record(leg: Leg<T>, end: LegEnd): CdrInput;
  /** The leg's channel name became known (its span is placed already when the name tells it). */
  named?(leg: Leg<T>): void;
  /** The leg was answered (ChannelStateChange Up or found Up). */
  answered?(leg: Leg<T>): void;
  /** The leg ended; its record is being written. */
  ended?(leg: Leg<T>, end: LegEnd): void;
  /** Events of the leg the engine leaves to its direction (hang-up requests, DTMF, playbacks). */
  event?(leg: Leg<T>, e: SupervisorEvent): void;
  /** Numbers, route and reference for the leg's call events; a leg without it emits none. */
  describe?(leg: Leg<T>): CallParties;
}

export interface CallLegsOptions {
  trunkMap: TrunkMap;
  site: SiteConfig;
  cdr: { write(record: CdrInput): Promise<void> };
  /** The span's alarm names now (hardware), to tell an alarm from a far-end cause 38. */
  spanAlarms: (span: number) => Promise<string[]>;
  hangup: (channelId: string, cause: number) => Promise<void>;
  logger: TrunkMapLogger;
  now?: () => Date;
}

export interface LegStats {
  records: Record<Direction, number>;
  recordFailures: Record<Direction, number>;
  /** Continued to a context/extension the dialplan does not have. */
  routingErrors: number;
  /** Events a leg's table had no row for (logged, ignored). */
  refusedEvents: number;
}

/** An open leg and its parties (null when its direction describes none). */
export interface LegView {
  leg: Readonly<Leg>;
  parties: CallParties | null;
}

/** A new leg's facts; the engine fills the rest. */
export type NewLeg<T> = Pick<Leg<T>, 'id' | 'direction' | 'name' | 'createdAt' | 'data'> & Partial<Pick<Leg<T>, 'span' | 'groupName' | 'notes' | 'answeredAt'>>;

export class CallLegs {
  /** Open legs of both directions and recently ended ids: reconciliation reads it. */
  readonly tracked = new TrackedCalls<Leg>();
  /** Ring, answer and hang-up of every leg, for whoever listens (webhooks, the live stream). */
  readonly events = new CallEvents();
  readonly stats: LegStats = { records: { inbound: 0, outbound: 0 }, recordFailures: { inbound: 0, outbound: 0 }, routingErrors: 0, refusedEvents: 0 };
  private readonly owners = new Map<string, LegOwner<never>>();
  private readonly writes = new Set<Promise<void>>();
  private idleWaiters: (() => void)[] = [];
  private readonly index: TransitionIndex<LegState>;
  private readonly now: () => Date;
  private readonly log: TrunkMapLogger;

  constructor(private readonly o: CallLegsOptions) {
    const problems = legTableProblems(LEG_TABLE);
    if (problems.length > 0) throw new Error(`call-leg transition table refused: ${problems.join('; ')}`);
    this.index = indexTable(LEG_TABLE.table);
    this.now = o.now ?? (() => new Date());
    this.log = o.logger;
  }

  /** Starts tracking a leg in `state` (one of the table's initial states). */
  open<T>(init: NewLeg<T>, state: LegState, owner: LegOwner<T>): Leg<T> {
    const leg: Leg<T> = {
      answeredAt: null, span: null, groupName: '', notes: [], ...init,
      state, timeslot: null, channel: null, rejectCause: null, dialStatus: '', interrupted: null, continuedTo: null, dialplanRan: false, rung: false,
    };
    this.owners.set(leg.id, owner as LegOwner<never>);
    this.tracked.add(leg as Leg);
    return leg;
  }

  get<T>(id: string): Leg<T> | undefined {
    return this.tracked.get(id) as Leg<T> | undefined;
  }

  /** Open legs of one direction. */
  count(direction: Direction): number {
    let n = 0;
    for (const leg of this.tracked.all()) if (leg.direction === direction) n++;
    return n;
  }

  /** Moves a leg by the table; false (logged) when the table has no such row. */
  fire(leg: Leg<unknown>, event: LegEvent): boolean {
    const to = step(this.index, leg.state, event);
    if (to === null) {
      this.stats.refusedEvents++;
      if (leg.state !== 'ended') this.log.warn({ call: leg.id, state: leg.state, event }, 'call leg: event refused in this state');
      return false;
    }
    leg.state = to;
    return true;
  }

  /** `continue` sent it on: its end without the dialplan running is a routing error. */
  continued(leg: Leg<unknown>, to: DialplanPlace): boolean {
    if (!this.fire(leg, 'continue')) return false;
    leg.continuedTo = to;
    return true;
  }

  // ---- the trunk channel ---------------------------------------------------------------------

  /**
   * What the channel name tells at once, with no REST call: the span (PRI/BRI names), or span
   * and timeslot (CAS, R2, analog: the name carries the DAHDI channel). So a leg that fails
   * within milliseconds still records where it was.
   */
  nameKnown(leg: Leg<unknown>, name: string): void {
    if (name === '' || leg.name === name) return;
    leg.name = name;
    const resolved = this.o.trunkMap.resolveChannelName(name);
    if (!resolved.ok) return;
    if (resolved.value.kind === 'channel') this.placeQuietly(leg, resolved.value.info.channel);
    else if (resolved.value.kind === 'span' && leg.span === null) leg.span = resolved.value.span.span;
    this.owner(leg)?.named?.(leg as Leg<never>);
  }

  /** place() for a channel Asterisk already holds: our map refusing it changes nothing there. */
  private placeQuietly(leg: Leg<unknown>, channel: number): void {
    try {
      this.place(leg, channel);
    } catch (err) {
      this.log.warn({ call: leg.id, channel, err: err instanceof Error ? err.message : String(err) }, 'channel not claimed in the trunk map: the call goes on unclaimed');
    }
  }

  /** Fills span/timeslot/group and claims the TrunkMap channel; throws TrunkMapError when it cannot be had. */
  place(leg: Leg<unknown>, channel: number): void {
    if (leg.channel === channel || leg.state === 'ended') return;
    const info = this.o.trunkMap.channel(channel);
    leg.span = info.span;
    leg.timeslot = info.timeslot;
    if (leg.groupName === '' && info.group !== null) leg.groupName = this.o.site.groups.find((g) => g.number === info.group)?.name ?? String(info.group);
    // The map may still hold a leg whose end we missed (ARI was away): close that one first.
    if (info.callRef !== null && info.callRef !== leg.id && this.tracked.isTracked(info.callRef)) void this.vanished(info.callRef);
    this.o.trunkMap.claim(channel, leg.id, { direction: leg.direction === 'inbound' ? 'in' : 'out' });
    leg.channel = channel;
    if (leg.answeredAt !== null) this.answerInMap(leg);
  }

  // ---- events --------------------------------------------------------------------------------

  /** ARI events of a tracked leg (StasisStart is the owners' to handle). */
  onEvent(leg: Leg<unknown>, e: SupervisorEvent): void {
    switch (e.type) {
      case 'ChannelCreated':
        this.nameKnown(leg, e.channel.name);
        return;
      case 'Dial':
        this.nameKnown(leg, e.peer.name);
        if (e.dialstatus !== '') leg.dialStatus = e.dialstatus;
        return;
      case 'ChannelStateChange':
        if (e.channel.state === 'Up') this.answered(leg, e.at);
        return;
      case 'ChannelDialplan':
        // An application ran after our continue: the context and extension exist.
        if (leg.state === 'continued' && e.app !== '' && e.app !== 'Stasis') leg.dialplanRan = true;
        return;
      case 'ChannelDestroyed':
        void this.end(leg, e.cause, e.at, '', e.channel.name);
        return;
      default:
        this.owner(leg)?.event?.(leg as Leg<never>, e);
        return;
    }
  }

  answered(leg: Leg<unknown>, at: Date | null): void {
    if (leg.answeredAt !== null || leg.state === 'ended') return;
    leg.answeredAt = at ?? this.now();
    this.answerInMap(leg);
    const owner = this.owner(leg);
    owner?.answered?.(leg as Leg<never>);
    if (this.events.listening) this.announce(leg, owner, 'answer', leg.answeredAt, null);
  }

  /** The leg rings and its direction has placed it (span, timeslot, route where known): told once. */
  rang(leg: Leg<unknown>): void {
    if (this.events.listening && !leg.rung && leg.state !== 'ended') this.announce(leg, this.owner(leg), 'ring', leg.createdAt, null);
  }

  /** TrunkMap: the span of a call went into alarm or maintenance. */
  onInterrupted(e: CallInterrupted): void {
    const leg = e.callRef === null ? undefined : this.tracked.get(e.callRef);
    if (!leg) return;
    leg.interrupted = { cause: e.cause, alarms: e.alarms };
    this.log.warn({ call: leg.id, direction: leg.direction, span: e.span, timeslot: e.timeslot, cause: e.cause, alarms: e.alarms }, 'call interrupted by its span');
  }

  // ---- the end and the record -----------------------------------------------------------------

  /**
   * The channel is gone: release the trunk channel, decide the cause, hand the record to the
   * sink. `cause` null = unknown (closed by reconciliation or at shutdown); `at` null = now.
   */
  async end(leg: Leg<unknown>, cause: number | null, at: Date | null, note: string, name = ''): Promise<void> {
    if (leg.state === 'ended') return;
    this.fire(leg, 'end');
    const endAt = at ?? this.now();
    if (leg.name === '') leg.name = name;
    this.tracked.close(leg.id);
    const owner = this.owner(leg);
    this.owners.delete(leg.id);
    if (this.tracked.size === 0) for (const w of this.idleWaiters.splice(0)) w();
    if (leg.channel !== null) {
      try {
        this.o.trunkMap.release(leg.channel);
      } catch (err) {
        this.log.warn({ call: leg.id, channel: leg.channel, err: String(err) }, 'trunk map release failed');
      }
    }
    if (note !== '') leg.notes.push(note);
    // Asterisk ends a channel sent to a missing extension at once, cause 0, no application run.
    const routingError = leg.continuedTo !== null && !leg.dialplanRan && cause === 0;
    if (routingError) this.routingError(leg);
    const write = this.record(leg, owner, { at: endAt, cause, answered: leg.answeredAt !== null, routingError });
    this.writes.add(write);
    await write;
    this.writes.delete(write);
  }

  private async record(leg: Leg<unknown>, owner: LegOwner<never> | undefined, end: LegEnd): Promise<void> {
    try {
      // The hardware watcher may not have told the TrunkMap yet: a 38 on a span in alarm now is the alarm.
      if (leg.interrupted === null && end.cause === CAUSE_NETWORK_OUT_OF_ORDER && leg.span !== null) {
        const alarms = await this.o.spanAlarms(leg.span).catch(() => []);
        if (alarms.length > 0) leg.interrupted = { cause: 'alarm', alarms };
      }
      const final: LegEnd = { ...end, cause: recordedCause(leg, end.cause) };
      owner?.ended?.(leg as Leg<never>, final);
      if (!owner) return;
      const cdr = owner.record(leg as Leg<never>, final);
      if (this.events.listening) this.announce(leg, owner, 'hangup', end.at, { cause: final.cause, disposition: cdr.disposition, billsec: cdr.billsec });
      await this.o.cdr.write(cdr);
      this.stats.records[leg.direction]++;
      this.log.info({ call: leg.id, direction: leg.direction, channel: leg.name, span: leg.span, timeslot: leg.timeslot, disposition: cdr.disposition, billsec: cdr.billsec, q850: cdr.q850_cause, route: cdr.route }, 'call record written');
    } catch (err) {
      this.stats.recordFailures[leg.direction]++;
      this.log.error({ call: leg.id, err: err instanceof Error ? err.message : String(err) }, 'call record not written');
    }
  }

  private routingError(leg: Leg<unknown>): void {
    const to = leg.continuedTo as DialplanPlace;
    this.stats.routingErrors++;
    leg.notes.push(`routing error: the dialplan has no ${to.context},${to.extension},${to.priority}`);
    this.log.error({ call: leg.id, direction: leg.direction, span: leg.span, timeslot: leg.timeslot, context: to.context, extension: to.extension, priority: to.priority }, 'routing error: Asterisk ended the call at once - its dialplan has no such context/extension');
  }

  /** Open legs with who they are about, as their direction describes them (the API's calls and channels). */
  views(): LegView[] {
    return this.tracked.all().map((leg) => ({ leg, parties: this.owner(leg)?.describe?.(leg as Leg<never>) ?? null }));
  }

  /**
   * Hangs up the open legs of a call, named by its call id or one leg's channel id (an operator
   * ending a call); resolves with how many were asked to hang up (0: no such call is up). The
   * legs end, and are recorded, as for any hang-up: through ARI's events.
   */
  async hangupCall(id: string, cause = 16): Promise<number> {
    const legs = this.views().filter((v) => v.leg.id === id || v.parties?.callId === id).map((v) => v.leg);
    await Promise.all(legs.map((l) => this.o.hangup(l.id, cause)));
    return legs.length;
  }

  // ---- reconciliation and shutdown -----------------------------------------------------------

  /** Reconciliation: Asterisk no longer has the channel and its ChannelDestroyed never came. */
  vanished(id: string): Promise<void> {
    const leg = this.tracked.get(id);
    return leg ? this.end(leg, null, null, 'closed by reconciliation: channel gone while ARI was away') : Promise.resolve();
  }

  /** Hangs up every leg (the demo's Asterisk is going away with us). */
  async hangupAll(cause = 16): Promise<void> {
    await Promise.allSettled(this.tracked.all().map((l) => this.o.hangup(l.id, cause)));
  }

  /**
   * Closes what is still tracked, with a note. A leg whose channel Asterisk never confirmed
   * (an originate still unanswered) is left unrecorded: if the channel exists, the next run's
   * reconciliation adopts and records it, so it is neither lost nor recorded twice.
   */
  async closeAll(note: string): Promise<void> {
    await Promise.all(this.tracked.all().map((l) => (l.name === '' ? this.forget(l) : this.end(l, null, null, note))));
  }

  /** Stops tracking a leg that never had a channel (no record: there was no call). */
  forget(leg: Leg<unknown>): void {
    if (leg.state === 'ended') return;
    this.fire(leg, 'end');
    this.tracked.drop(leg.id);
    this.owners.delete(leg.id);
    if (this.tracked.size === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when no leg is tracked (true), or after `ms` (false). */
  whenIdle(ms: number): Promise<boolean> {
    if (this.tracked.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, ms);
      this.idleWaiters.push(done);
    });
  }

  /** Resolves when every record handed to the sink so far is acknowledged (or refused). */
  async settled(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  /** Tells the listeners; a leg that never rang (it failed or was answered first) rings first. */
  private announce(leg: Leg<unknown>, owner: LegOwner<never> | undefined, kind: CallEventKind, at: Date, end: CallEnd | null): void {
    const parties = owner?.describe?.(leg as Leg<never>);
    if (parties === undefined) return;
    if (!leg.rung) {
      leg.rung = true;
      this.events.emit(callEvent(leg, parties, 'ring', leg.createdAt, null));
      if (kind === 'ring') return;
    }
    this.events.emit(callEvent(leg, parties, kind, at, end));
  }

  private owner(leg: Leg<unknown>): LegOwner<never> | undefined {
    return this.owners.get(leg.id);
  }

  private answerInMap(leg: Leg<unknown>): void {
    if (leg.channel === null) return;
    try {
      this.o.trunkMap.answer(leg.channel);
    } catch {
      // blocked by an alarm meanwhile: the record still counts the answer
    }
  }
}
