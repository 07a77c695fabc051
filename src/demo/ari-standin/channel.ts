// One Asterisk channel on a DAHDI timeslot: its ARI snapshot (channels.json's Channel model),
// its variables, whether it is in Stasis, and its state machine - the legal state changes are
// data, checked once at load, so a change that Asterisk could not make throws here.

import { ariTimestamp } from './timestamp';
import type { TrunkChannel } from './trunk-plan';

export const CHANNEL_STATES = ['Down', 'Rsrved', 'OffHook', 'Dialing', 'Ring', 'Ringing', 'Up', 'Busy', 'Dialing Offhook', 'Pre-ring', 'Unknown'] as const;
export type ChannelState = (typeof CHANNEL_STATES)[number];

/** Changes a DAHDI call makes: outbound Down -> Dialing -> Ringing -> Up, inbound Ring -> Up. */
const TRANSITIONS: Readonly<Partial<Record<ChannelState, readonly ChannelState[]>>> = {
  Down: ['Dialing', 'Ring', 'Ringing', 'Up', 'Busy'],
  Dialing: ['Ringing', 'Up', 'Busy'],
  Ring: ['Ringing', 'Up'],
  Ringing: ['Up', 'Busy'],
  Up: [],
  Busy: [],
};

for (const [from, tos] of Object.entries(TRANSITIONS)) {
  for (const to of [from, ...(tos ?? [])]) {
    if (!(CHANNEL_STATES as readonly string[]).includes(to)) throw new Error(`channel state table names unknown state ${to}`);
  }
}

/**
 * The device state Asterisk derives for a channel's device (its name without the "-<seq>"
 * suffix) when the driver reports none for it: ast_parse_device_state says RINGING for a
 * Ringing channel, INUSE for any other, UNKNOWN once no channel holds the device.
 */
export type DeviceState = 'UNKNOWN' | 'INUSE' | 'RINGING';
const DEVICE_STATE_OF: Readonly<Partial<Record<ChannelState, DeviceState>>> = { Ringing: 'RINGING' };

export function deviceStateOf(state: ChannelState | null): DeviceState {
  return state === null ? 'UNKNOWN' : DEVICE_STATE_OF[state] ?? 'INUSE';
}

/** "DAHDI/i1/5551234-1" -> "DAHDI/i1/5551234": the device, as ast_setstate cuts the name at the last dash. */
export function deviceNameOf(channelName: string): string {
  const dash = channelName.lastIndexOf('-');
  return dash < 0 ? channelName : channelName.slice(0, dash);
}

export interface CallerId {
  name: string;
  number: string;
}

export interface DialplanLocation {
  context: string;
  exten: string;
  priority: number;
  app_name: string;
  app_data: string;
}

/** The ARI Channel model as Asterisk renders it. */
export interface ChannelJson {
  id: string;
  name: string;
  state: ChannelState;
  protocol_id: string;
  caller: CallerId;
  connected: CallerId;
  accountcode: string;
  dialplan: DialplanLocation;
  creationtime: string;
  language: string;
}

export type ChannelPhase = 'alive' | 'hanging-up' | 'destroyed';

export class Channel {
  state: ChannelState;
  phase: ChannelPhase = 'alive';
  /** The Stasis application holding the channel, or null outside Stasis. */
  stasisApp: string | null = null;
  /**
   * Apps subscribed to the channel besides the Stasis app holding it: the originating app
   * (stasis_app_subscribe_channel at originate) stays subscribed until the channel is gone,
   * also after a continue; an inbound call's app sees nothing more once it left Stasis.
   */
  readonly subscribers = new Set<string>();
  /** The device state last published for this channel's device. */
  deviceState: DeviceState = 'UNKNOWN';
  readonly vars = new Map<string, string>();
  connected: CallerId = { name: '', number: '' };
  accountcode = '';
  /** Set when a timer of the dial or traffic simulation belongs to the channel. */
  readonly timers = new Set<NodeJS.Timeout>();
  answeredAt: number | null = null;
  /** DTMF sent to the far end with POST /channels/{id}/dtmf, in order. */
  sentDtmf = '';
  /** Outbound: the resource dialled (Dial events' dialstring). */
  dialstring = '';
  /** What the far end does once it hears a prompt: run when the channel's first playback starts. */
  readonly onFirstPlayback: (() => void)[] = [];
  /** A playback has started on the channel (the far end has heard media). */
  heardPlayback = false;
  /** createdAt as ARI writes it, in every event about the channel: formatted once. */
  private readonly creationtime: string;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly trunk: TrunkChannel,
    readonly direction: 'inbound' | 'outbound',
    public caller: CallerId,
    public dialplan: DialplanLocation,
    readonly createdAt: number,
    initial: ChannelState,
  ) {
    this.state = initial;
    this.creationtime = ariTimestamp(createdAt);
  }

  /** Moves to `to`; false when already there (no ChannelStateChange is due). */
  setState(to: ChannelState): boolean {
    if (to === this.state) return false;
    const allowed = TRANSITIONS[this.state] ?? [];
    if (!allowed.includes(to)) throw new Error(`channel ${this.name}: no state change ${this.state} -> ${to}`);
    this.state = to;
    return true;
  }

  /** Apps that get this channel's topic: its subscribers and the Stasis app holding it. */
  audience(): string[] {
    return this.stasisApp === null ? [...this.subscribers] : [...new Set([...this.subscribers, this.stasisApp])];
  }

  get alive(): boolean {
    return this.phase === 'alive';
  }

  toJSON(): ChannelJson {
    return {
      id: this.id,
      name: this.name,
      state: this.state,
      protocol_id: '',
      caller: { ...this.caller },
      connected: { ...this.connected },
      accountcode: this.accountcode,
      dialplan: { ...this.dialplan },
      creationtime: this.creationtime,
      language: 'en',
    };
  }
}
