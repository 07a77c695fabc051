// The simulated Asterisk behind the REST routes: the channels on DAHDI timeslots and their life
// (created, into Stasis, answered, continued into the dialplan, hung up, destroyed) with the
// events Asterisk publishes for each step, in Asterisk's order, to the apps that see them: a
// channel's topic goes to its subscribers, the Stasis app holding it and every subscribeAll
// app; StasisStart/StasisEnd only to the Stasis app itself; device states only to subscribeAll.

import { CAUSE_NO_ANSWER, SOFT_HANGUP, causeText, dialStatusForCause, type DialStatus } from './causes';
import { Channel, deviceNameOf, deviceStateOf, type CallerId, type ChannelState, type DialplanLocation } from './channel';
import { ChannelNamer } from './dahdi-naming';
import type { Dialplan } from './dialplan';
import { AriHttpError, StandinError, notFound } from './errors';
import type { EventsHub } from './events-hub';
import { Bridges } from './bridges';
import { Playbacks, type MediaTiming, type PlaybackTarget } from './playbacks';
import { Recordings } from './recordings';
import type { StoredRecordings } from './stored-recordings';
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

export interface DtmfTiming {
  /** How long each digit is held (default 100 ms, ARI's own default duration). */
  durationMs?: number;
  /** Pause between digits (default 100 ms). */
  gapMs?: number;
}

const DTMF_DEFAULT_MS = 100;

/** Told of each `continue` as the request is handled: the stand-in's observation hook (AriStandin 'continued'). */
export type ContinuedListener = (ch: Channel, to: { context: string; exten: string; priority: number }) => void;

export interface SimAsteriskDeps {
  pool: TrunkPool;
  hub: EventsHub;
  now: () => number;
  defaultApp: string;
  dialplan: Dialplan;
  media?: MediaTiming;
  /** Where finished recordings are written (the recording directory). */
  store: StoredRecordings;
  onContinued?: ContinuedListener;
}

export class SimAsterisk {
  private readonly channels = new Map<string, Channel>();
  private readonly namer = new ChannelNamer();
  private readonly globalTimers = new Set<NodeJS.Timeout>();
  private uniqueSeq = 0;
  readonly pool: TrunkPool;
  readonly hub: EventsHub;
  readonly now: () => number;
  readonly defaultApp: string;
  readonly playbacks: Playbacks;
  readonly bridges: Bridges;
  readonly recordings: Recordings;
  private readonly dialplan: Dialplan;
  private readonly onContinued: ContinuedListener;
  startupTime: number;
  reloadTime: number;

  constructor(deps: SimAsteriskDeps) {
    this.pool = deps.pool;
    this.hub = deps.hub;
    this.now = deps.now;
    this.defaultApp = deps.defaultApp;
    this.dialplan = deps.dialplan;
    this.onContinued = deps.onContinued ?? (() => undefined);
    this.playbacks = new Playbacks(deps.media ?? {});
    this.bridges = new Bridges(this);
    this.recordings = new Recordings(this, deps.store);
    this.startupTime = this.now();
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

  /** A new channel: ChannelCreated (to subscribeAll apps: nobody is subscribed yet) and its device in use. */
  createChannel(spec: NewChannel): Channel {
    const id = spec.id ?? `${Math.floor(this.startupTime / 1000)}.${this.uniqueSeq++}`;
    if (this.channels.has(id)) throw new AriHttpError(409, 'Channel with given unique ID already exists');
    const name = this.namer.name(spec.trunk, spec.address);
    const ch = new Channel(id, name, spec.trunk, spec.direction, spec.caller, spec.dialplan, this.now(), spec.state);
    this.channels.set(id, ch);
    this.emit(ch, 'ChannelCreated');
    this.publishDeviceState(ch);
    return ch;
  }

  /** Publishes a channel-topic event: subscribers, the Stasis app, subscribeAll apps. */
  emit(ch: Channel, type: string, fields: Record<string, unknown> = {}): void {
    this.hub.publish(type, withChannel(fields, ch), this.hub.audience(ch.audience()));
  }

  /** Publishes a non-channel event (playback) to whoever sees the channel's topic. */
  emitFor(ch: Channel, type: string, fields: Record<string, unknown>): void {
    this.hub.publish(type, fields, this.hub.audience(ch.audience()));
  }

  /**
   * The channel's Stasis control as playbacks and recordings see it: commands on it run one
   * after another, its timers die with the channel, its events go to the channel's audience.
   */
  control(ch: Channel): PlaybackTarget {
    return {
      key: `channel:${ch.id}`,
      uri: `channel:${ch.id}`,
      get alive() {
        return ch.alive;
      },
      publish: (type, fields) => this.emitFor(ch, type, fields),
      later: (ms, fn) => this.later(ch, ms, fn),
      heard: () => {
        if (ch.heardPlayback) return;
        ch.heardPlayback = true;
        for (const react of ch.onFirstPlayback.splice(0)) react();
      },
    };
  }

  /** StasisStart/StasisEnd: the app's own events, never another app's (subscribeAll or not). */
  private emitStasis(ch: Channel, app: string, type: 'StasisStart' | 'StasisEnd', fields: Record<string, unknown> = {}): void {
    this.hub.publish(type, withChannel(fields, ch), this.hub.isRegistered(app) ? [app] : []);
  }

  emitDial(ch: Channel, dialstatus: DialStatus): void {
    // dial_to_json always writes forward and dialstring; forward is "" unless the far end redirected.
    this.hub.publish('Dial', { peer: ch.toJSON(), forward: '', dialstring: ch.dialstring, dialstatus }, this.hub.audience(ch.audience()));
  }

  changeState(ch: Channel, to: ChannelState): void {
    if (ch.alive && ch.setState(to)) {
      this.emit(ch, 'ChannelStateChange');
      this.publishDeviceState(ch);
    }
  }

  /** Caller or connected line set after the channel exists: the snapshot differs, so ARI says so. */
  setCaller(ch: Channel, caller: CallerId): void {
    if (caller.name === ch.caller.name && caller.number === ch.caller.number) return;
    ch.caller = { ...caller };
    this.emit(ch, 'ChannelCallerId', { caller_presentation: 0, caller_presentation_txt: 'Presentation Allowed, Not Screened' });
  }

  setConnected(ch: Channel, connected: CallerId): void {
    if (connected.name === ch.connected.name && connected.number === ch.connected.number) return;
    ch.connected = { ...connected };
    this.emit(ch, 'ChannelConnectedLine');
  }

  enterStasis(ch: Channel, app: string, args: readonly string[]): void {
    ch.stasisApp = app;
    ch.dialplan = at(ch.dialplan, 'Stasis', [app, ...args].join(','));
    this.emitStasis(ch, app, 'StasisStart', { args: [...args] });
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
    if (!this.hub.isRegistered(app)) {
      // Stasis() fails for an app nobody registered; the dialplan ends and the channel goes
      // without a cause set (0), as an originate into such an app does.
      this.destroy(ch, 0);
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

  /**
   * POST continue: a command on the channel's control, so it runs once earlier playbacks are
   * over; then the channel leaves Stasis (StasisEnd) and runs the dialplan at the new location -
   * the application there (ChannelDialplan), or, where no such extension exists, the end of the
   * channel at once with no cause (pbx finds nothing to run). Asterisk answers 204 either way.
   */
  continueInDialplan(ch: Channel & { stasisApp: string }, to: { context?: string; extension?: string; priority?: number; label?: string }): void {
    // ast_ari_channels_continue_in_dialplan: a context without an extension means "s"; no
    // context keeps the current one (and its exten unless one is given); no priority is 1, or
    // the next priority when neither context nor extension came.
    const priority = to.priority || (to.extension !== undefined || to.context !== undefined ? 1 : ch.dialplan.priority + 1);
    const context = to.context ?? ch.dialplan.context;
    const exten = to.extension ?? (to.context !== undefined ? 's' : ch.dialplan.exten);
    const place = { context, exten, priority };
    this.onContinued(ch, place);
    this.playbacks.afterPlaybacks(this.control(ch), () => this.leaveForDialplan(ch, place));
  }

  private leaveForDialplan(ch: Channel, place: { context: string; exten: string; priority: number }): void {
    const app = ch.stasisApp;
    if (!ch.alive || app === null) return;
    ch.dialplan = at(place, '', '');
    // Out of its bridge first (ChannelLeftBridge), as the bridge's after-callback runs before Stasis ends.
    this.bridges.channelGone(ch);
    this.playbacks.targetGone(this.control(ch));
    this.emitStasis(ch, app, 'StasisEnd');
    ch.stasisApp = null;
    const step = this.dialplan.lookup(place.context, place.exten);
    if (!step) return this.destroy(ch, 0);
    ch.dialplan = at(place, step.app, step.appData);
    this.emit(ch, 'ChannelDialplan', { dialplan_app: step.app, dialplan_app_data: step.appData });
    // Answer() answers; the other applications modelled (Queue, Wait...) leave the state as it is.
    if (step.app === 'Answer' && ch.state !== 'Up') this.answer(ch);
    if (step.app !== 'Stasis') return;
    // Stasis(app[,args]) in the dialplan: back into an app, or the end when nobody registered it.
    const [next = '', ...args] = step.appData.split(',');
    if (this.hub.isRegistered(next)) this.enterStasis(ch, next, args);
    else this.destroy(ch, 0);
  }

  /**
   * pbx_builtin_setvar_helper: a name ending in ")" is a dialplan function write (CDR(...),
   * CHANNEL(...)) and publishes nothing; a plain variable gets ChannelVarset.
   */
  setVar(ch: Channel, variable: string, value: string): void {
    if (variable === 'CDR(accountcode)' || variable === 'CHANNEL(accountcode)') ch.accountcode = value;
    else ch.vars.set(variable, value);
    if (!variable.endsWith(')')) this.emit(ch, 'ChannelVarset', { variable, value });
  }

  /**
   * The far end presses `digits`: one ChannelDtmfReceived per digit when it ends (the event
   * chan_dahdi's DTMF end frame gives, with its duration), a gap between digits.
   */
  pressDtmf(ch: Channel, digits: string, timing: DtmfTiming = {}): void {
    if (!/^[0-9A-D*#]+$/.test(digits)) throw new StandinError('BAD_CONFIG', `not DTMF digits: ${JSON.stringify(digits)}`);
    if (!ch.alive) throw new StandinError('UNKNOWN_CHANNEL', `channel ${ch.id} is being hung up`);
    const duration = timing.durationMs ?? DTMF_DEFAULT_MS;
    let at = 0;
    for (const digit of digits) {
      at += duration;
      this.later(ch, at, () => {
        if (!ch.alive) return;
        this.emit(ch, 'ChannelDtmfReceived', { digit, duration_ms: duration });
        // A recording whose terminateOn takes this digit ends on it (after the DTMF event).
        this.recordings.dtmf(ch, digit);
      });
      at += timing.gapMs ?? DTMF_DEFAULT_MS;
    }
  }

  /** POST /channels/{id}/dtmf: the digits go to the far end (no event); kept for the control API. */
  sendDtmf(ch: Channel, dtmf: string): void {
    ch.sentDtmf += dtmf;
  }

  /** An outbound call still dialing (not answered, not gone). */
  isDialing(ch: Channel): boolean {
    return ch.direction === 'outbound' && ch.answeredAt === null && ch.alive;
  }

  /**
   * DELETE /channels/{id}: ast_softhangup(EXPLICIT) - ChannelHangupRequest carries the flag (32,
   * soft), not the reason's cause - then the teardown; a dialing channel's Dial status follows
   * the reason's cause (busy BUSY, congestion CONGESTION, others NOANSWER), never CANCEL.
   */
  requestHangup(ch: Channel, cause: number): void {
    if (!ch.alive) return;
    this.emit(ch, 'ChannelHangupRequest', { cause: SOFT_HANGUP.EXPLICIT, soft: true });
    const dialing = this.isDialing(ch);
    ch.phase = 'hanging-up';
    this.later(null, 0, () => {
      if (dialing) this.emitDial(ch, dialStatusForCause(cause));
      this.destroy(ch, cause);
    });
  }

  /**
   * The far end clears (remote hangup, or a DISCONNECT before answer): ChannelHangupRequest with
   * the Q.850 cause (ast_queue_hangup_with_cause: no soft), then, before answer, the Dial status
   * the channel's signalling turns that cause into, then the teardown.
   */
  remoteHangup(ch: Channel, cause: number): void {
    if (!ch.alive) return;
    this.emit(ch, 'ChannelHangupRequest', { cause });
    if (this.isDialing(ch)) this.emitDial(ch, dialStatusForCause(cause, ch.trunk.type));
    this.destroy(ch, cause);
  }

  /** The originate's dial timeout: ast_dial hangs the channel up with cause 19 and no Dial status. */
  dialTimedOut(ch: Channel): void {
    if (this.isDialing(ch)) this.destroy(ch, CAUSE_NO_ANSWER);
  }

  /** Leaves Stasis if in it, then ChannelDestroyed with the cause; frees the timeslot and the device. */
  destroy(ch: Channel, cause: number): void {
    if (ch.phase === 'destroyed') return;
    ch.phase = 'destroyed';
    for (const t of ch.timers) clearTimeout(t);
    ch.timers.clear();
    // Asterisk's order: the channel leaves its bridge, what ran on its control ends (a playback
    // failed, a recording finished with what it has), then StasisEnd.
    this.bridges.channelGone(ch);
    this.playbacks.targetGone(this.control(ch));
    this.recordings.channelGone(ch);
    if (ch.stasisApp !== null) this.emitStasis(ch, ch.stasisApp, 'StasisEnd');
    this.emit(ch, 'ChannelDestroyed', { cause, cause_txt: causeText(cause) });
    ch.stasisApp = null;
    this.channels.delete(ch.id);
    this.pool.release(ch.trunk.channel);
    this.publishDeviceState(ch);
  }

  /** A span lost (alarm, D-channel down, removed): its calls go with cause 38 like sig_pri does. */
  spanLost(span: number): number {
    let n = 0;
    for (const ch of this.list()) {
      if (ch.trunk.span !== span || ch.phase === 'destroyed') continue;
      n++;
      if (this.isDialing(ch)) this.remoteHangup(ch, 38);
      else this.destroy(ch, 38);
    }
    return n;
  }

  /**
   * `core restart now`: ast_begin_shutdown soft-hangs up every channel (flag 4, SHUTDOWN); each
   * leaves Stasis and is destroyed without a cause.
   */
  shutdownChannels(): number {
    const all = this.list().filter((ch) => ch.phase !== 'destroyed');
    for (const ch of all) {
      this.emit(ch, 'ChannelHangupRequest', { cause: SOFT_HANGUP.SHUTDOWN, soft: true });
      this.destroy(ch, 0);
    }
    return all.length;
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
    this.playbacks.clear();
    this.bridges.clear();
    this.recordings.clear();
    this.pool.releaseAll();
    this.namer.reset();
    this.startupTime = startupTime;
    this.reloadTime = startupTime;
    this.uniqueSeq = 0;
  }

  /** DeviceStateChanged when the channel's device state moved (subscribeAll apps only). */
  private publishDeviceState(ch: Channel): void {
    const state = deviceStateOf(ch.phase === 'destroyed' ? null : ch.state);
    if (state === ch.deviceState) return;
    ch.deviceState = state;
    this.hub.publish('DeviceStateChanged', { device_state: { name: deviceNameOf(ch.name), state } }, this.hub.audience([]));
  }
}

// The two below are written out rather than spread-then-extended (`{ ...fields, channel }`): on
// this node (V8 11.3) that form takes a slow path costing microseconds, and they run for every
// event and every dialplan step.

/** An event's fields with the channel snapshot last, as Asterisk renders channel events. */
function withChannel(fields: Record<string, unknown>, ch: Channel): Record<string, unknown> {
  return Object.assign({}, fields, { channel: ch.toJSON() });
}

/** A dialplan location running `app_name(app_data)`. */
function at(place: { context: string; exten: string; priority: number }, app_name: string, app_data: string): DialplanLocation {
  return { context: place.context, exten: place.exten, priority: place.priority, app_name, app_data };
}
