// The ARI events the supervisor acts on, as typed data, and the check that turns a raw event
// from the socket into one. Events come from the network: anything malformed is refused with a
// reason the adapter logs, never an exception; types the supervisor does not use are ignored.

export interface AriChannel {
  id: string;
  name: string;
  state: string;
  caller: { name: string; number: string };
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
  /** ARI's timestamp text (2026-01-01T00:00:00.000+0000). */
  creationtime: string;
}

/**
 * `at` is the event's own timestamp (when Asterisk saw it happen), null when it has none: call
 * times come from it, not from when we got round to the event, so billsec matches Asterisk's.
 */
export type SupervisorEvent = { at: Date | null } & (
  | { type: 'StasisStart'; channel: AriChannel; args: string[] }
  | { type: 'StasisEnd'; channel: AriChannel }
  | { type: 'ChannelCreated'; channel: AriChannel }
  | { type: 'ChannelStateChange'; channel: AriChannel }
  | { type: 'ChannelDialplan'; channel: AriChannel; app: string; appData: string }
  | { type: 'ChannelDestroyed'; channel: AriChannel; cause: number; causeText: string }
  /** `cause` is Q.850 only when `soft` is false (a far-end clear); soft = Asterisk's soft-hangup flag (32 REST, 4 shutdown). */
  | { type: 'ChannelHangupRequest'; channel: AriChannel; cause: number | null; soft: boolean }
  | { type: 'Dial'; peer: AriChannel; dialstatus: string; dialstring: string }
  /** A DTMF digit the far end pressed (0-9, A-D, * or #), at its end. */
  | { type: 'ChannelDtmfReceived'; channel: AriChannel; digit: string; durationMs: number }
  /** A playback on a channel is over: state "done" (ran out or stopped) or "failed". Bridge playbacks are ignored. */
  | { type: 'PlaybackFinished'; channelId: string; playbackId: string; state: string }
);

export type SupervisorEventType = SupervisorEvent['type'];
export const SUPERVISOR_EVENT_TYPES: readonly SupervisorEventType[] = [
  'StasisStart', 'StasisEnd', 'ChannelCreated', 'ChannelStateChange', 'ChannelDialplan', 'ChannelDestroyed', 'ChannelHangupRequest', 'Dial',
  'ChannelDtmfReceived', 'PlaybackFinished',
];
const ACTED_ON: ReadonlySet<string> = new Set(SUPERVISOR_EVENT_TYPES);

/** `{"type":"<name>"` opening the text: Asterisk writes an event's type as its first key. */
const LEADING_TYPE = /^\{\s*"type"\s*:\s*"([A-Za-z]+)"/;

/**
 * The type of an event the supervisor does not act on, read from the start of its text, or null
 * when that does not tell (another type, another key order): then the event is parsed in full.
 * With subscribeAll about half of a call's events are such (ChannelVarset, DeviceStateChanged,
 * ...), and parsing each whole was most of what they cost. Such an event is not checked further,
 * so one broken after its type counts as ignored, not malformed.
 */
export function ignoredTypeOf(text: string): string | null {
  const type = LEADING_TYPE.exec(text)?.[1];
  return type === undefined || ACTED_ON.has(type) ? null : type;
}

/** A listed channel is waiting in Stasis application `app` (its dialplan app is Stasis(app,...)). */
export function inStasisOf(ch: AriChannel, app: string): boolean {
  return ch.dialplan.app_name === 'Stasis' && ch.dialplan.app_data.split(',')[0] === app;
}

/** The id of the channel an event is about (a Dial's is its peer, the channel being dialled; a playback's its target). */
export function eventChannelId(e: SupervisorEvent): string {
  if (e.type === 'PlaybackFinished') return e.channelId;
  return e.type === 'Dial' ? e.peer.id : e.channel.id;
}

export type ParsedEvent = { kind: 'event'; event: SupervisorEvent } | { kind: 'ignored'; type: string } | { kind: 'malformed'; reason: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A channel object as ARI renders it, or the reason it is not one. */
export function parseChannel(v: unknown, field = 'channel'): AriChannel | string {
  if (!isObj(v)) return `${field} is not an object`;
  if (typeof v.id !== 'string' || v.id === '') return `${field}.id is not a non-empty string`;
  if (typeof v.name !== 'string') return `${field}.name is not a string`;
  if (typeof v.state !== 'string') return `${field}.state is not a string`;
  const caller = isObj(v.caller) ? v.caller : {};
  const dp = isObj(v.dialplan) ? v.dialplan : {};
  return {
    id: v.id,
    name: v.name,
    state: v.state,
    caller: { name: str(caller.name), number: str(caller.number) },
    dialplan: { context: str(dp.context), exten: str(dp.exten), priority: typeof dp.priority === 'number' ? dp.priority : 1, app_name: str(dp.app_name), app_data: str(dp.app_data) },
    creationtime: str(v.creationtime),
  };
}

export function parseEvent(raw: unknown): ParsedEvent {
  if (!isObj(raw)) return { kind: 'malformed', reason: 'event is not an object' };
  const type = raw.type;
  if (typeof type !== 'string') return { kind: 'malformed', reason: 'event has no type' };
  if (!ACTED_ON.has(type)) return { kind: 'ignored', type };
  if (type === 'PlaybackFinished') return parsePlaybackFinished(raw);
  const t = type as Exclude<SupervisorEventType, 'PlaybackFinished'>;
  const channel = parseChannel(t === 'Dial' ? raw.peer : raw.channel, t === 'Dial' ? 'peer' : 'channel');
  if (typeof channel === 'string') return { kind: 'malformed', reason: `${type}: ${channel}` };
  const at = typeof raw.timestamp === 'string' ? ariTime(raw.timestamp) : null;
  switch (t) {
    case 'StasisStart': {
      const args = Array.isArray(raw.args) ? raw.args : [];
      if (!args.every((a) => typeof a === 'string')) return { kind: 'malformed', reason: 'StasisStart: args are not strings' };
      return { kind: 'event', event: { type: t, at, channel, args: args as string[] } };
    }
    case 'StasisEnd':
    case 'ChannelCreated':
    case 'ChannelStateChange':
      return { kind: 'event', event: { type: t, at, channel } };
    case 'ChannelDialplan':
      return { kind: 'event', event: { type: t, at, channel, app: str(raw.dialplan_app), appData: str(raw.dialplan_app_data) } };
    case 'ChannelDestroyed': {
      const cause = raw.cause;
      if (typeof cause !== 'number' || !Number.isInteger(cause) || cause < 0 || cause > 127) return { kind: 'malformed', reason: `ChannelDestroyed: cause ${JSON.stringify(cause)} is not a Q.850 cause 0-127` };
      return { kind: 'event', event: { type: t, at, channel, cause, causeText: str(raw.cause_txt) } };
    }
    case 'ChannelHangupRequest': {
      const cause = typeof raw.cause === 'number' && Number.isInteger(raw.cause) && raw.cause >= 0 && raw.cause <= 127 ? raw.cause : null;
      return { kind: 'event', event: { type: t, at, channel, cause, soft: raw.soft === true } };
    }
    case 'Dial':
      if (typeof raw.dialstatus !== 'string') return { kind: 'malformed', reason: 'Dial: dialstatus is not a string' };
      return { kind: 'event', event: { type: t, at, peer: channel, dialstatus: raw.dialstatus, dialstring: str(raw.dialstring) } };
    case 'ChannelDtmfReceived':
      if (typeof raw.digit !== 'string' || !/^[0-9A-E*#]$/.test(raw.digit)) return { kind: 'malformed', reason: `ChannelDtmfReceived: digit ${JSON.stringify(raw.digit)} is not one DTMF digit` };
      return { kind: 'event', event: { type: t, at, channel, digit: raw.digit, durationMs: typeof raw.duration_ms === 'number' ? raw.duration_ms : 0 } };
  }
}

/** PlaybackFinished carries a Playback, not a channel: its target_uri (`channel:<id>`) names the channel. */
function parsePlaybackFinished(raw: Obj): ParsedEvent {
  const pb = raw.playback;
  if (!isObj(pb) || typeof pb.id !== 'string' || typeof pb.target_uri !== 'string' || typeof pb.state !== 'string') {
    return { kind: 'malformed', reason: 'PlaybackFinished: playback is not an object with id, target_uri and state' };
  }
  if (!pb.target_uri.startsWith('channel:')) return { kind: 'ignored', type: 'PlaybackFinished' };
  const at = typeof raw.timestamp === 'string' ? ariTime(raw.timestamp) : null;
  return { kind: 'event', event: { type: 'PlaybackFinished', at, channelId: pb.target_uri.slice('channel:'.length), playbackId: pb.id, state: pb.state } };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** ARI's `2026-01-01T00:00:00.000+0000` (or any Date-parsable text) as a Date; null if not a time. */
export function ariTime(text: string): Date | null {
  const iso = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}
