// The simulated Asterisk behind the REST routes: the channels on DAHDI timeslots and their life
// (created, into Stasis, answered, continued into the dialplan, hung up, destroyed) with the
// events Asterisk publishes for each step, in Asterisk's order, to the apps subscribed.

import { causeText, type DialStatus } from './causes';
import { Channel, type CallerId, type ChannelState, type DialplanLocation } from './channel';
import { ChannelNamer } from './dahdi-naming';
import { AriHttpError, StandinError, notFound } from './errors';
import type { EventsHub } from './events-hub';
import type { TrunkPool } from './trunk-pool';
import type { TrunkChannel } from './trunk-plan';

export interface InboundCall {
  /** Restrict the far end's choice of timeslot to a span and/or a trunk group. */
  span?: number;
  group?: number;
  /** Dialled number (DNIS): the exten the call starts at. */
  did: string;
  callerId: string;
  callerName?: string;
  /** Stasis application of the dialplan (default: the stand-in's defaultApp). */
  app?: string;
  /** Stasis arguments; default the DAHDI channel number, as the recommended dialplan passes it. */
  args?: string[];
}

export interface NewChannel {
  id?: string;
  trunk: TrunkChannel;
  direction: 'inbound' | 'outbound';
  /** The number in a PRI channel's name: dialled (outbound) or calling (inbound). */
  address: string;
  caller: CallerId;
  state: ChannelState;
  dialplan: DialplanLocation;
}

/** Told of each `continue` once handled: the stand-in's observation hook (AriStandin 'continued'). */
export type ContinuedListener = (ch: Channel) => void;

export class SimAsterisk {
  private readonly channels = new Map<string, Channel>();
  private readonly namer = new ChannelNamer();
  private readonly globalTimers = new Set<NodeJS.Timeout>();
  private uniqueSeq = 0;
  startupTime: number;
  reloadTime: number;

  constructor(
    readonly pool: TrunkPool,
    readonly hub: EventsHub,
    readonly now: () => number,
    readonly defaultApp: string,
    private readonly onContinued: ContinuedListener = () => undefined,
  ) {
    this.startupTime = now();
    this.reloadTime = this.startupTime;
  }

  list(): Channel[] {
    return [...this.channels.values()];
  }

  find(id: string): Channel | undefined {
    return this.channels.get(id);
  }

  /** The channel or Asterisk's 404. */
  get(id: string): Channel {
    const ch = this.channels.get(id);
    if (!ch) throw notFound();
    return ch;
  }

  /** As stasis find_control: 404 unknown, 409 not in Stasis, 412 already being hung up. */
  controlled(id: string): Channel & { stasisApp: string } {
    const ch = this.get(id);
    if (ch.stasisApp === null) throw new AriHttpError(409, 'Channel not in Stasis application');
    if (!ch.alive) throw new AriHttpError(412, 'Channel in invalid state');
    return ch as Channel & { stasisApp: string };
  }

  createChannel(spec: NewChannel): Channel {
    const id = spec.id ?? `${Math.floor(this.startupTime / 1000)}.${this.uniqueSeq++}`;
    if (this.channels.has(id)) throw new AriHttpError(409, 'Channel with given unique ID already exists');
    const name = this.namer.name(spec.trunk, spec.address);
    const ch = new Channel(id, name, spec.trunk, spec.direction, spec.caller, spec.dialplan, this.now(), spec.state);
    this.channels.set(id, ch);
    return ch;
  }

  /** Publishes a channel event to the apps subscribed to the channel (and subscribeAll apps). */
  emit(ch: Channel, type: string, fields: Record<string, unknown> = {}): void {
    this.hub.publish(type, { ...fields, channel: ch.toJSON() }, this.hub.audience(ch.subscribers));
  }

  emitDial(ch: Channel, dialstring: string, dialstatus: DialStatus): void {
    this.hub.publish('Dial', { peer: ch.toJSON(), dialstring, dialstatus }, this.hub.audience(ch.subscribers));
  }

  changeState(ch: Channel, to: ChannelState): void {
    if (ch.alive && ch.setState(to)) this.emit(ch, 'ChannelStateChange');
  }

  enterStasis(ch: Channel, app: string, args: readonly string[]): void {
    ch.stasisApp = app;
    ch.subscribers.add(app);
    ch.dialplan = { ...ch.dialplan, app_name: 'Stasis', app_data: [app, ...args].join(',') };
    this.emit(ch, 'StasisStart', { args: [...args] });
  }

  /** A call from the network on a free timeslot, entering Stasis(app) as the dialplan says. */
  inbound(call: InboundCall): { channel: Channel; inStasis: boolean } {
    const trunk = this.pool.inboundCandidates(call).find((c) => this.pool.takeExact(c));
    if (!trunk) throw new StandinError('NO_FREE_CHANNEL', `no free timeslot for an inbound call (span ${call.span ?? 'any'}, group ${call.group ?? 'any'})`);
    const app = call.app ?? this.defaultApp;
    const ch = this.createChannel({
      trunk, direction: 'inbound', address: call.callerId, state: 'Ring',
      caller: { name: call.callerName ?? '', number: call.callerId },
      dialplan: { context: trunk.context, exten: call.did, priority: 1, app_name: '', app_data: '' },
    });
    this.emit(ch, 'ChannelCreated');
    if (!this.hub.isRegistered(app)) {
      // Stasis() fails for an app nobody registered; the dialplan ends and hangs up.
      this.destroy(ch, 16);
      return { channel: ch, inStasis: false };
    }
    // As the dialplan docs/supervisor.md recommends: Stasis(app,${CHANNEL(dahdi_channel)}).
    this.enterStasis(ch, app, call.args ?? [String(trunk.channel)]);
    return { channel: ch, inStasis: true };
  }

  answer(ch: Channel): void {
    ch.answeredAt ??= this.now();
    this.changeState(ch, 'Up');
  }

  /** POST continue: leaves Stasis (StasisEnd) and runs the dialplan at the new location. */
  continueInDialplan(ch: Channel & { stasisApp: string }, to: { context?: string; extension?: string; priority?: number; label?: string }): void {
    const app = ch.stasisApp;
    const priority = to.priority ?? (to.extension !== undefined || to.context !== undefined ? 1 : ch.dialplan.priority + 1);
    ch.dialplan = { context: to.context ?? ch.dialplan.context, exten: to.extension ?? ch.dialplan.exten, priority, app_name: '', app_data: '' };
    this.emit(ch, 'StasisEnd');
    (ch as Channel).stasisApp = null;
    ch.subscribers.delete(app);
    this.onContinued(ch);
  }

  setVar(ch: Channel, variable: string, value: string): void {
    if (variable === 'CDR(accountcode)' || variable === 'CHANNEL(accountcode)') ch.accountcode = value;
    else ch.vars.set(variable, value);
    this.emit(ch, 'ChannelVarset', { variable, value });
  }

  /** An outbound call still dialing (not answered, not gone). */
  isDialing(ch: Channel): boolean {
    return ch.direction === 'outbound' && ch.answeredAt === null && ch.alive;
  }

  /** DELETE /channels/{id}: ChannelHangupRequest now, the teardown right after (as Asterisk's soft hangup). */
  requestHangup(ch: Channel, cause: number): void {
    if (!ch.alive) return;
    this.emit(ch, 'ChannelHangupRequest', { cause, soft: true });
    ch.phase = 'hanging-up';
    this.later(null, 0, () => {
      if (ch.direction === 'outbound' && ch.answeredAt === null) this.emitDial(ch, ch.dialstring, 'CANCEL');
      this.destroy(ch, cause);
    });
  }

  /** The far end clears (remote hangup, or a DISCONNECT before answer). */
  remoteHangup(ch: Channel, cause: number, dialStatus: DialStatus | null): void {
    if (!ch.alive) return;
    if (dialStatus !== null) this.emitDial(ch, ch.dialstring, dialStatus);
    else this.emit(ch, 'ChannelHangupRequest', { cause });
    this.destroy(ch, cause);
  }

  /** Leaves Stasis if in it, then ChannelDestroyed with the cause; frees the timeslot. */
  destroy(ch: Channel, cause: number): void {
    if (ch.phase === 'destroyed') return;
    ch.phase = 'destroyed';
    for (const t of ch.timers) clearTimeout(t);
    ch.timers.clear();
    if (ch.stasisApp !== null) this.emit(ch, 'StasisEnd');
    const fields: Record<string, unknown> = { cause, cause_txt: causeText(cause) };
    this.emit(ch, 'ChannelDestroyed', fields);
    ch.stasisApp = null;
    this.channels.delete(ch.id);
    this.pool.release(ch.trunk.channel);
  }

  /** A span lost (alarm, D-channel down, removed): its calls go with cause 38 like sig_pri does. */
  spanLost(span: number): number {
    let n = 0;
    for (const ch of this.list()) {
      if (ch.trunk.span !== span || ch.phase === 'destroyed') continue;
      n++;
      if (this.isDialing(ch)) this.remoteHangup(ch, 38, 'CONGESTION');
      else this.destroy(ch, 38);
    }
    return n;
  }

  /** Runs fn after ms; tied to a channel, the timer dies with it. */
  later(ch: Channel | null, ms: number, fn: () => void): void {
    const set = ch ? ch.timers : this.globalTimers;
    const t = setTimeout(() => {
      set.delete(t);
      fn();
    }, Math.max(0, ms));
    set.add(t);
  }

  /** Asterisk gone: every channel lost without events, timers stopped, timeslots freed. */
  reset(startupTime: number): void {
    for (const t of this.globalTimers) clearTimeout(t);
    this.globalTimers.clear();
    for (const ch of this.channels.values()) {
      ch.phase = 'destroyed';
      for (const t of ch.timers) clearTimeout(t);
    }
    this.channels.clear();
    this.pool.releaseAll();
    this.namer.reset();
    this.startupTime = startupTime;
    this.reloadTime = startupTime;
    this.uniqueSeq = 0;
  }
}
