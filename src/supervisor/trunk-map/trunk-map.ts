// The TrunkMap: the live state of every bearer channel of the site (idle, ringing, in-call,
// blocked-alarm, maintenance), driven by the supervisor's call events and the hardware's span
// alarms. Owns the span conditions (maintenance over alarm over in service) and the listeners,
// and answers what callers plan with: a group's outbound attempts and its free channels. The
// rules live in the pure modules it wires together.

import { ALARM_BITS } from '../../hardware/dahdi-constants';
import type { HardwareBackend } from '../../hardware/types';
import { DEFAULT_WATCH_INTERVAL_MS } from '../../hardware/types';
import type { SiteConfig } from '../../provisioning/site/site-types';
import { alarmReason, DEFAULT_ALARM_POLICY, type AlarmPolicy, type SpanAlarmRecord } from './alarm-policy';
import { CALL_STATES, checkTransitionTable, INITIAL_STATE, nextState, TRANSITIONS, type ChannelEvent, type Transition, type TransitionIndex } from './channel-states';
import type { NameResult } from './channel-names';
import { planAttempts, type DialAttempt } from './attempts';
import { realClock, type Clock } from '../../clock';
import { TrunkMapError } from './errors';
import { TypedEmitter, type TrunkMapEventName, type TrunkMapEvents } from './events';
import { buildLayout, spanMismatch, type ChannelInfo, type GroupInfo, type SpanInfo, type TrunkLayout } from './layout';
import { bearer, resolveChannelName, type ResolveHint, type ResolvedChannel } from './resolve';
import { buildSnapshot, channelSnapshot, type ChannelRecord, type ChannelSnapshot, type TrunkMapSnapshot } from './snapshot';
import { IN_SERVICE, type SpanCondition } from './span-condition';
import { SpanWatch, type SpanChange } from './span-watch';

/** pino-compatible: the supervisor passes its pino logger. */
export interface TrunkMapLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const SILENT: TrunkMapLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface TrunkMapOptions {
  site: SiteConfig;
  backend: HardwareBackend;
  clock?: Clock;
  /** Watcher poll interval: a span alarm blocks its channels within one interval. */
  intervalMs?: number;
  /** Hold-down after an alarm clears before the span carries calls again (default 2500 ms). */
  holdDownMs?: number;
  maxHoldDownMs?: number;
  flapWindowMs?: number;
  logger?: TrunkMapLogger;
  /** Tests pass a broken table to see it refused; production uses the built-in one. */
  transitions?: readonly Transition[];
}

export type GroupRef = number | string;

/** A group's channels now: what a job queue asks before it sends a call to this box. */
export interface GroupCapacity {
  group: number;
  name: string;
  /** Idle channels on spans in service: calls the group can take now. */
  free: number;
  /** Ringing or in a call. */
  inUse: number;
  /** On spans in alarm or maintenance. */
  blocked: number;
}

export class TrunkMap {
  private readonly layout: TrunkLayout;
  private readonly index: TransitionIndex;
  private readonly clock: Clock;
  private readonly log: TrunkMapLogger;
  private readonly emitter: TypedEmitter;
  private readonly records = new Map<number, ChannelRecord>();
  private readonly conditions = new Map<number, SpanCondition>();
  /** Spans whose hardware does not fit the site: blocked for good, not watched. */
  private readonly misfits = new Map<number, string>();
  private readonly policy: AlarmPolicy;
  private watch: SpanWatch | null = null;
  private status: 'created' | 'starting' | 'running' | 'stopped' = 'created';

  static create(options: TrunkMapOptions): TrunkMap {
    return new TrunkMap(options);
  }

  private constructor(private readonly options: TrunkMapOptions) {
    // Refuse a broken table before anything runs on it.
    this.index = checkTransitionTable(options.transitions ?? TRANSITIONS);
    this.layout = buildLayout(options.site);
    this.clock = options.clock ?? realClock;
    this.log = options.logger ?? SILENT;
    this.emitter = new TypedEmitter((name, err) => this.log.error({ err, event: name }, 'trunk map listener threw'));
    this.policy = {
      holdDownMs: options.holdDownMs ?? DEFAULT_ALARM_POLICY.holdDownMs,
      maxHoldDownMs: options.maxHoldDownMs ?? DEFAULT_ALARM_POLICY.maxHoldDownMs,
      flapWindowMs: options.flapWindowMs ?? DEFAULT_ALARM_POLICY.flapWindowMs,
    };
    const now = this.clock.now();
    for (const channel of this.layout.channels.keys()) this.records.set(channel, { state: INITIAL_STATE, callRef: null, direction: null, since: now });
    for (const span of this.layout.spans.keys()) this.conditions.set(span, IN_SERVICE);
  }

  /** Checks the site against the hardware, reads the spans' alarms, starts watching. */
  async start(): Promise<void> {
    if (this.status !== 'created') throw new TrunkMapError('NOT_RUNNING', `start() on a trunk map that is ${this.status}`);
    this.status = 'starting';
    try {
      await this.begin();
    } catch (err) {
      // The hardware could not be read: the map can be started again once it can.
      await this.watch?.stop();
      this.watch = null;
      if ((this.status as string) !== 'stopped') this.status = 'created';
      throw err;
    }
  }

  private async begin(): Promise<void> {
    this.misfits.clear();
    const hw = new Map((await this.options.backend.spans()).map((s) => [s.span, s]));
    const watched: number[] = [];
    for (const span of this.layout.spans.values()) {
      const problem = spanMismatch(span, hw.get(span.span));
      // A missing span may come back (driver reload): watch it. A misfit never fixes itself.
      if (problem === null || problem === 'span missing') watched.push(span.span);
      else this.misfits.set(span.span, problem);
      if (problem !== null) this.log.warn({ span: span.span, reason: problem }, 'site span cannot carry calls on this hardware');
    }
    const watch = new SpanWatch({
      backend: this.options.backend,
      clock: this.clock,
      policy: this.policy,
      intervalMs: this.options.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS,
      spans: watched,
      onChange: (changes) => this.onSpanChanges(changes),
      onError: (span, err) => this.log.warn({ span, err }, 'cannot re-read span after it reappeared'),
    });
    this.watch = watch;
    await watch.start();
    if ((this.status as string) === 'stopped') return;
    this.status = 'running';
    for (const [span, reason] of this.misfits) this.setCondition(span, { state: 'alarm', reason: [reason] }, 1);
    this.onSpanChanges(watched.map((span) => ({ span, record: watch.record(span) as SpanAlarmRecord })));
  }

  async stop(): Promise<void> {
    this.status = 'stopped';
    await this.watch?.stop();
  }

  on<K extends TrunkMapEventName>(name: K, listener: (event: TrunkMapEvents[K]) => void): () => void {
    return this.emitter.on(name, listener);
  }

  off<K extends TrunkMapEventName>(name: K, listener: (event: TrunkMapEvents[K]) => void): void {
    this.emitter.off(name, listener);
  }

  // ---- names ---------------------------------------------------------------------------------

  /** An Asterisk channel name -> span/timeslot/group; refusals carry a TrunkMapError, never throw. */
  resolveChannelName(name: unknown, hint: ResolveHint = {}): NameResult<ResolvedChannel> {
    return resolveChannelName(this.layout, name, hint);
  }

  // ---- calls ---------------------------------------------------------------------------------

  /** A call takes the channel: inbound (offer) or outbound (dial). Throws CHANNEL_UNAVAILABLE. */
  claim(channel: number, callRef: string, options: { direction?: 'in' | 'out' } = {}): ChannelSnapshot {
    const direction = options.direction ?? 'out';
    this.apply(channel, direction === 'in' ? 'offer' : 'dial', { callRef, direction });
    return this.channel(channel);
  }

  answer(channel: number): ChannelSnapshot {
    this.apply(channel, 'answer');
    return this.channel(channel);
  }

  /** The call on the channel ended (or never started). Safe on a blocked channel. */
  release(channel: number): ChannelSnapshot {
    const r = this.recordOf(channel);
    // Releasing an idle channel is a duplicate hangup (ARI sends several): not an error.
    if (r.state !== 'idle') this.apply(channel, 'hangup', { callRef: null, direction: null });
    return this.channel(channel);
  }

  // ---- planning -------------------------------------------------------------------------------

  /**
   * The attempts of an outbound call to `number` (already in the carrier's dial form) on the
   * group, in its hunt direction: one per in-service span held with `i<span>-` when all its
   * spans are PRI/BRI, else one group-wide dial string; spans in alarm or maintenance get none,
   * so an empty list means no span of the group is in service. Throws UNKNOWN_GROUP, and
   * BAD_DIAL_STRING for a number a trunk cannot dial. `underWay(span)`: attempts already headed
   * for the span whose channel the map does not show taken yet; `paceMs(span)`: how long the
   * span's attempt-rate cap holds the next attempt back (both the outbound service's knowledge).
   */
  planAttempts(group: GroupRef, number: string, underWay: (span: number) => number = () => 0, paceMs: (span: number) => number = () => 0): DialAttempt[] {
    const g = this.group(group);
    const free = new Map<number, number>();
    for (const c of g.channels) {
      const span = (this.layout.channels.get(c) as ChannelInfo).span;
      free.set(span, (free.get(span) ?? 0) + (this.isAvailable(c, span) ? 1 : 0));
    }
    const spans = [...free.keys()].sort((a, b) => a - b);
    return planAttempts(g.number, g.hunt, spans.map((span) => {
      const kind = (this.layout.spans.get(span) as SpanInfo).kind;
      return { span, state: this.conditions.get(span)?.state ?? 'alarm', isdn: kind === 'pri' || kind === 'bri', free: (free.get(span) ?? 0) - underWay(span), waitMs: paceMs(span) };
    }), number);
  }

  /** Free, in-use and blocked channels of the group; a channel in several groups counts in each. */
  groupCapacity(group: GroupRef): GroupCapacity {
    const g = this.group(group);
    const capacity: GroupCapacity = { group: g.number, name: g.name, free: 0, inUse: 0, blocked: 0 };
    for (const channel of g.channels) {
      const span = (this.layout.channels.get(channel) as ChannelInfo).span;
      const state = (this.records.get(channel) as ChannelRecord).state;
      if (this.isAvailable(channel, span)) capacity.free++;
      else if (CALL_STATES.includes(state)) capacity.inUse++;
      else capacity.blocked++;
    }
    return capacity;
  }

  // ---- observation ---------------------------------------------------------------------------

  channel(channel: number): ChannelSnapshot {
    const info = this.infoOf(channel);
    const r = this.records.get(channel) as ChannelRecord;
    return channelSnapshot(info, r);
  }

  snapshot(): TrunkMapSnapshot {
    return buildSnapshot(this.layout, this.records, this.conditions, this.clock.now());
  }

  // ---- internals -----------------------------------------------------------------------------

  private isAvailable(channel: number, span: number): boolean {
    return this.conditions.get(span)?.state === 'in-service' && this.records.get(channel)?.state === 'idle';
  }

  private group(ref: GroupRef): GroupInfo {
    const g = typeof ref === 'number' ? this.layout.groups.get(ref) : [...this.layout.groups.values()].find((x) => x.name === ref);
    if (!g) throw new TrunkMapError('UNKNOWN_GROUP', `trunk group ${JSON.stringify(ref)} is not in the site`, { group: ref });
    return g;
  }

  private infoOf(channel: number): ChannelInfo {
    const found = bearer(this.layout, channel);
    if (!found.ok) throw found.error;
    return found.value;
  }

  private recordOf(channel: number): ChannelRecord {
    this.infoOf(channel);
    return this.records.get(channel) as ChannelRecord;
  }

  /** One channel event through the table; refused events throw and change nothing. */
  private apply(channel: number, event: ChannelEvent, call?: { callRef: string | null; direction: 'in' | 'out' | null }): void {
    const info = this.infoOf(channel);
    const r = this.records.get(channel) as ChannelRecord;
    const condition = this.conditions.get(info.span);
    // An idle channel on a span out of service takes no new call even before its state follows.
    if ((event === 'offer' || event === 'dial') && condition !== undefined && condition.state !== 'in-service') {
      throw new TrunkMapError('CHANNEL_UNAVAILABLE', `channel ${channel} (span ${info.span}) is out of service: ${condition.reason.join(', ')}`, { channel, span: info.span });
    }
    const to = nextState(this.index, r.state, event);
    if (to === null) {
      const code = event === 'offer' || event === 'dial' ? 'CHANNEL_UNAVAILABLE' : 'BAD_TRANSITION';
      throw new TrunkMapError(code, `channel ${channel} is ${r.state}: ${event} is not possible`, { channel, span: info.span });
    }
    this.transition(info, r, event, to, call);
  }

  private transition(info: ChannelInfo, r: ChannelRecord, event: ChannelEvent, to: ChannelRecord['state'], call?: { callRef: string | null; direction: 'in' | 'out' | null }): void {
    const from = r.state;
    const at = this.clock.now();
    const callRef = call ? call.callRef : to === 'idle' || to === 'blocked-alarm' || to === 'maintenance' ? null : r.callRef;
    const direction = call ? call.direction : callRef === null ? null : r.direction;
    const changed = from !== to;
    const next: ChannelRecord = { state: to, callRef, direction, since: changed ? at : r.since };
    this.records.set(info.channel, next);
    if (changed && this.emitter.has('state-changed')) {
      this.emitter.emit('state-changed', { channel: info.channel, span: info.span, timeslot: info.timeslot, group: info.group, from, to, event, callRef: callRef ?? r.callRef, at });
    }
  }

  private onSpanChanges(changes: readonly SpanChange[]): void {
    if (this.status !== 'running') return;
    for (const { span, record } of changes) this.refresh(span, record);
  }

  /**
   * Recomputes a span's condition: maintenance (a loop the driver shows as LOOPBACK, started by
   * `tdmgate diag loopback` or dahdi_maint) over alarm over in service.
   */
  private refresh(span: number, record: SpanAlarmRecord | null): void {
    if (this.status !== 'running') return;
    const misfit = this.misfits.get(span);
    let condition: SpanCondition;
    if (((record?.alarms ?? 0) & ALARM_BITS.LOOPBACK) !== 0) condition = { state: 'maintenance', reason: ['LOOPBACK'] };
    else if (misfit !== undefined) condition = { state: 'alarm', reason: [misfit] };
    else if (record?.inAlarm) condition = { state: 'alarm', reason: alarmReason(record) };
    else condition = IN_SERVICE;
    this.setCondition(span, condition, record?.flaps ?? 1);
  }

  private setCondition(span: number, condition: SpanCondition, flaps: number): void {
    const before = this.conditions.get(span) ?? IN_SERVICE;
    if (before.state === condition.state && sameReason(before, condition)) return;
    // The span's condition first: a listener that hunts during the channel changes below
    // must already see the span out of service.
    this.conditions.set(span, condition);
    if (before.state === condition.state) return; // only the reason changed (RED -> RED+LOS)
    const at = this.clock.now();
    if (condition.state === 'in-service') {
      this.log.info({ span, state: condition.state }, 'span back in service');
      this.emitter.emit('span-in-service', { span, at });
    } else {
      this.log.warn({ span, state: condition.state, reason: condition.reason, flaps }, 'span out of service');
      this.emitter.emit('span-out-of-service', { span, state: condition.state, reason: [...condition.reason], flaps, at });
    }
    const event: ChannelEvent = condition.state === 'in-service' ? (before.state === 'alarm' ? 'recover' : 'maint-off') : condition.state === 'alarm' ? 'alarm' : 'maint-on';
    for (const channel of this.layout.spans.get(span)?.channels ?? []) this.spanEvent(channel, event, condition, at);
  }

  private spanEvent(channel: number, event: ChannelEvent, condition: SpanCondition, at: number): void {
    const info = this.layout.channels.get(channel) as ChannelInfo;
    const r = this.records.get(channel) as ChannelRecord;
    const to = nextState(this.index, r.state, event);
    if (to === null) return; // e.g. 'recover' on a channel that was never blocked
    const interrupted = CALL_STATES.includes(r.state) && !CALL_STATES.includes(to);
    this.transition(info, r, event, to);
    if (interrupted) {
      const cause = condition.state === 'maintenance' ? 'maintenance' : 'alarm';
      const alarms = condition.state === 'alarm' ? [...condition.reason] : [];
      this.log.warn({ channel, span: info.span, timeslot: info.timeslot, callRef: r.callRef, cause, alarms }, 'call interrupted');
      this.emitter.emit('call-interrupted', { span: info.span, timeslot: info.timeslot, channel, group: info.group, callRef: r.callRef, state: r.state, cause, alarms, at });
    }
  }
}

function sameReason(a: SpanCondition, b: SpanCondition): boolean {
  const ra = a.state === 'in-service' ? [] : a.reason;
  const rb = b.state === 'in-service' ? [] : b.reason;
  return ra.length === rb.length && ra.every((x, i) => x === rb[i]);
}
