// The TrunkMap: the live state of every bearer channel of the site (idle, ringing, in-call,
// blocked-alarm, maintenance), driven by the supervisor's call events and the hardware's span
// alarms. Owns the span conditions (maintenance over alarm over in service), the hunt cursors
// and the listeners; the rules live in the pure modules it wires together.

import { ALARM_BITS } from '../../hardware/dahdi-constants';
import type { HardwareBackend } from '../../hardware/types';
import { DEFAULT_WATCH_INTERVAL_MS } from '../../hardware/types';
import type { HuntOrder, SiteConfig } from '../../provisioning/site/site-types';
import { blockReason, DEFAULT_ALARM_POLICY, type AlarmPolicy, type SpanAlarmRecord } from './alarm-policy';
import { CALL_STATES, checkTransitionTable, INITIAL_STATE, nextState, TRANSITIONS, type ChannelEvent, type Transition, type TransitionIndex } from './channel-states';
import { formatDialString, type NameResult } from './channel-names';
import { realClock, type Clock } from '../../clock';
import { TrunkMapError } from './errors';
import { TypedEmitter, type TrunkMapEventName, type TrunkMapEvents } from './events';
import { huntChannel } from './hunt';
import { buildLayout, spanMismatch, type ChannelInfo, type GroupInfo, type SpanInfo, type SpanKind, type TrunkLayout } from './layout';
import { bearer, resolveChannelName, resolveDialString, type ResolveHint, type ResolvedChannel, type ResolvedDial } from './resolve';
import { buildSnapshot, type ChannelRecord, type ChannelSnapshot, type SpanCondition, type TrunkMapSnapshot } from './snapshot';
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

export interface PickOptions {
  /** Override the group's hunt order (g/G/r/R). */
  hunt?: HuntOrder;
  /** Only this span (the `i<span>-` dial prefix; outbound "try another span"). */
  span?: number;
  /** Spans to leave out, e.g. one that just answered 34/42 (congestion). */
  excludeSpans?: readonly number[];
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
  private readonly maintenance = new Set<number>();
  private readonly cursors = new Map<number, number>();
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
    for (const span of this.layout.spans.keys()) this.conditions.set(span, { kind: 'ok' });
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
    for (const [span, reason] of this.misfits) this.setCondition(span, { kind: 'alarm', reason: [reason] }, 1);
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

  resolveDialString(text: unknown): NameResult<ResolvedDial> {
    return resolveDialString(this.layout, text);
  }

  /** `DAHDI/<letter><group>/NUM` in the group's hunt order, or `DAHDI/i<span>-...` for one span. */
  dialString(group: GroupRef, number: string, options: { span?: number; hunt?: HuntOrder } = {}): string {
    const g = this.group(group);
    return formatDialString({ kind: 'group', group: g.number, hunt: options.hunt ?? g.hunt, span: options.span ?? null }, number);
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

  /** Marks a span in maintenance (a loop test running) or back. Calls on it are interrupted. */
  setMaintenance(span: number, on: boolean): void {
    if (!this.layout.spans.has(span)) throw new TrunkMapError('UNKNOWN_SPAN', `span ${span} is not in the site`, { span });
    if (on) this.maintenance.add(span);
    else this.maintenance.delete(span);
    this.refresh(span, this.watch?.record(span) ?? null);
  }

  // ---- hunting -------------------------------------------------------------------------------

  /** The next idle channel of the group in its hunt order, skipping spans out of service; null when none. */
  pickChannel(group: GroupRef, options: PickOptions = {}): number | null {
    const g = this.group(group);
    const exclude = new Set(options.excludeSpans ?? []);
    const available = (channel: number): boolean => {
      const info = this.layout.channels.get(channel) as ChannelInfo;
      if (options.span !== undefined && info.span !== options.span) return false;
      return !exclude.has(info.span) && this.isAvailable(channel, info.span);
    };
    const hunt = options.hunt ?? g.hunt;
    const found = huntChannel(g.channels, hunt, available, this.cursors.get(g.number) ?? 0);
    if (found === null) return null;
    this.cursors.set(g.number, found.cursor);
    return found.channel;
  }

  /** Spans of the group that can take a new call now (in service with an idle channel), ascending. */
  spansInService(group: GroupRef): number[] {
    const g = this.group(group);
    const spans = new Set<number>();
    for (const channel of g.channels) {
      const info = this.layout.channels.get(channel) as ChannelInfo;
      if (!spans.has(info.span) && this.isAvailable(channel, info.span)) spans.add(info.span);
    }
    return [...spans].sort((a, b) => a - b);
  }

  /** The group's spans, ascending, with their condition now and kind: what an outbound plan needs. */
  groupSpans(group: GroupRef): { group: GroupInfo; spans: { span: number; condition: SpanCondition['kind']; kind: SpanKind }[] } {
    const g = this.group(group);
    const spans = [...new Set(g.channels.map((c) => (this.layout.channels.get(c) as ChannelInfo).span))].sort((a, b) => a - b);
    return {
      group: g,
      spans: spans.map((span) => ({ span, condition: this.conditions.get(span)?.kind ?? 'alarm', kind: (this.layout.spans.get(span) as SpanInfo).kind })),
    };
  }

  // ---- observation ---------------------------------------------------------------------------

  channel(channel: number): ChannelSnapshot {
    const info = this.infoOf(channel);
    const r = this.records.get(channel) as ChannelRecord;
    return { ...info, state: r.state, callRef: r.callRef, direction: r.direction, since: r.since };
  }

  snapshot(): TrunkMapSnapshot {
    return buildSnapshot(this.layout, this.records, this.conditions, this.clock.now());
  }

  // ---- internals -----------------------------------------------------------------------------

  private isAvailable(channel: number, span: number): boolean {
    return this.conditions.get(span)?.kind === 'ok' && this.records.get(channel)?.state === 'idle';
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
    if ((event === 'offer' || event === 'dial') && condition !== undefined && condition.kind !== 'ok') {
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

  /** Recomputes a span's condition: maintenance (ours, or a LOOPBACK the driver shows) over alarm over ok. */
  private refresh(span: number, record: SpanAlarmRecord | null): void {
    if (this.status !== 'running') return;
    const misfit = this.misfits.get(span);
    let condition: SpanCondition;
    if (this.maintenance.has(span) || ((record?.alarms ?? 0) & ALARM_BITS.LOOPBACK) !== 0) {
      condition = { kind: 'maintenance', reason: [this.maintenance.has(span) ? 'maintenance' : 'LOOPBACK'] };
    } else if (misfit !== undefined) condition = { kind: 'alarm', reason: [misfit] };
    else if (record?.blocked) condition = { kind: 'alarm', reason: blockReason(record) };
    else condition = { kind: 'ok' };
    this.setCondition(span, condition, record?.flaps ?? 1);
  }

  private setCondition(span: number, condition: SpanCondition, flaps: number): void {
    const before = this.conditions.get(span) ?? { kind: 'ok' };
    if (before.kind === condition.kind && sameReason(before, condition)) return;
    // The span's condition first: a listener that hunts during the channel changes below
    // must already see the span out of service.
    this.conditions.set(span, condition);
    if (before.kind === condition.kind) return; // only the reason changed (RED -> RED+LOS)
    const at = this.clock.now();
    if (condition.kind === 'ok') {
      this.log.info({ span }, 'span back in service');
      this.emitter.emit('span-unblocked', { span, at });
    } else {
      this.log.warn({ span, condition: condition.kind, reason: condition.reason, flaps }, 'span out of service');
      this.emitter.emit('span-blocked', { span, reason: [...condition.reason], flaps, at });
    }
    const event: ChannelEvent = condition.kind === 'ok' ? (before.kind === 'alarm' ? 'recover' : 'maint-off') : condition.kind === 'alarm' ? 'alarm' : 'maint-on';
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
      const cause = condition.kind === 'maintenance' ? 'maintenance' : 'alarm';
      const alarms = condition.kind === 'alarm' ? [...condition.reason] : [];
      this.log.warn({ channel, span: info.span, timeslot: info.timeslot, callRef: r.callRef, cause, alarms }, 'call interrupted');
      this.emitter.emit('call-interrupted', { span: info.span, timeslot: info.timeslot, channel, group: info.group, callRef: r.callRef, state: r.state, cause, alarms, at });
    }
  }
}

function sameReason(a: SpanCondition, b: SpanCondition): boolean {
  const ra = a.kind === 'ok' ? [] : a.reason;
  const rb = b.kind === 'ok' ? [] : b.reason;
  return ra.length === rb.length && ra.every((x, i) => x === rb[i]);
}
