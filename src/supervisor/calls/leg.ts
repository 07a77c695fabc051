// One call leg: one Asterisk channel on one of our trunks, inbound or outbound, with the facts
// its record needs. The engine (call-legs.ts) owns the common fields - state, channel, times,
// interruption, the dialplan hand-off - and each direction keeps its own in `data`.

import type { CallInterrupted } from '../trunk-map';
import type { LegState } from './leg-states';

export type Direction = 'inbound' | 'outbound';

/** Where a leg is sent in the dialplan. */
export interface DialplanPlace {
  context: string;
  extension: string;
  priority: number;
}

export interface Leg<T = unknown> {
  /** The Asterisk channel id (uniqueid). */
  id: string;
  direction: Direction;
  state: LegState;
  /** The Asterisk channel name; '' until an event or answer told it. */
  name: string;
  createdAt: Date;
  answeredAt: Date | null;
  span: number | null;
  timeslot: number | null;
  /** The DAHDI channel claimed in the TrunkMap, once known. */
  channel: number | null;
  groupName: string;
  /** The cause we hung up with (a rejection), if we did. */
  rejectCause: number | null;
  /** The last Dial status Asterisk reported for it (outbound: BUSY, NOANSWER...). */
  dialStatus: string;
  /** Interrupted by its span: alarm names, or maintenance. */
  interrupted: Pick<CallInterrupted, 'cause' | 'alarms'> | null;
  /** Where we sent it with `continue`, if we did. */
  continuedTo: DialplanPlace | null;
  /** The dialplan ran an application after our `continue`: the target exists. */
  dialplanRan: boolean;
  /** Its ring event was told to the call-event listeners (call-events.ts). */
  rung: boolean;
  /** For the record's userfield: how it was closed, its request's reference, what went wrong. */
  notes: string[];
  data: T;
}

/** How a leg ended, for its record and its owner. */
export interface LegEnd {
  at: Date;
  /** The Q.850 cause to record: an alarm's 38, our rejection's, else the channel's (null for 0/unknown). */
  cause: number | null;
  answered: boolean;
  /** `continue` sent it to a context/extension the dialplan does not have. */
  routingError: boolean;
}

/** Q.850 38 "network out of order": what chan_dahdi/sig_pri gives calls on a span that fails. */
export const CAUSE_NETWORK_OUT_OF_ORDER = 38;

/** The cause a leg's record carries: a span alarm wins, then our own rejection, then the channel's. */
export function recordedCause(leg: Pick<Leg, 'interrupted' | 'rejectCause'>, channelCause: number | null): number | null {
  if (leg.interrupted?.cause === 'alarm') return CAUSE_NETWORK_OUT_OF_ORDER;
  if (leg.rejectCause !== null) return leg.rejectCause;
  return channelCause === null || channelCause === 0 ? null : channelCause;
}

/** The notes of an interruption, as the userfield shows them. */
export function interruptionNote(leg: Pick<Leg, 'interrupted'>): string {
  if (!leg.interrupted) return '';
  return leg.interrupted.cause === 'alarm' ? `interrupted by span alarm: ${leg.interrupted.alarms.join(',') || 'alarm'}` : 'interrupted by span maintenance';
}
