// What the TrunkMap tells its listeners, and the small typed emitter it tells them with. A
// throwing listener is reported to the logger and never breaks the map or the other listeners.

import type { ChannelEvent, ChannelState } from './channel-states';
import type { SpanAvailability } from './span-condition';

export interface StateChanged {
  channel: number;
  span: number;
  timeslot: number;
  group: number | null;
  from: ChannelState;
  to: ChannelState;
  event: ChannelEvent;
  callRef: string | null;
  at: number;
}

export interface SpanOutOfService {
  span: number;
  state: Exclude<SpanAvailability, 'in-service'>;
  /** Why: the blocking alarm names, 'span missing', 'hold-down', 'LOOPBACK' or a mismatch text. */
  reason: string[];
  /** Alarms in the current episode (1 = a clean outage; more = flapping). */
  flaps: number;
  at: number;
}

export interface SpanInService {
  span: number;
  at: number;
}

/** A call lost its channel: the supervisor records it in the CDR with the cause. */
export interface CallInterrupted {
  span: number;
  timeslot: number;
  channel: number;
  group: number | null;
  callRef: string | null;
  /** The state the call was in: ringing or in-call. */
  state: ChannelState;
  cause: Exclude<SpanAvailability, 'in-service'>;
  /** The span's blocking alarm names ('span missing' when it vanished); empty for maintenance. */
  alarms: string[];
  at: number;
}

export interface TrunkMapEvents {
  'state-changed': StateChanged;
  'span-out-of-service': SpanOutOfService;
  'span-in-service': SpanInService;
  'call-interrupted': CallInterrupted;
}

export type TrunkMapEventName = keyof TrunkMapEvents;
type Listener<K extends TrunkMapEventName> = (event: TrunkMapEvents[K]) => void;

export class TypedEmitter {
  private readonly listeners: { [K in TrunkMapEventName]: Listener<K>[] } = {
    'state-changed': [],
    'span-out-of-service': [],
    'span-in-service': [],
    'call-interrupted': [],
  };

  constructor(private readonly onListenerError: (name: TrunkMapEventName, err: unknown) => void) {}

  on<K extends TrunkMapEventName>(name: K, listener: Listener<K>): () => void {
    this.listeners[name].push(listener);
    return () => this.off(name, listener);
  }

  off<K extends TrunkMapEventName>(name: K, listener: Listener<K>): void {
    const list = this.listeners[name];
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
  }

  emit<K extends TrunkMapEventName>(name: K, event: TrunkMapEvents[K]): void {
    const list = this.listeners[name];
    if (list.length === 0) return;
    // A listener that removes itself while being called must not make the next one be skipped.
    for (const listener of [...list]) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(name, err);
      }
    }
  }

  /** Listeners for the name (the map skips building events nobody listens to). */
  has(name: TrunkMapEventName): boolean {
    return this.listeners[name].length > 0;
  }
}
