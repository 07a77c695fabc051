// The calls' public events: ring, answer and hang-up of every leg on our trunks, inbound and
// outbound, as one typed payload - what the CRM screen-pop webhooks post and the live event
// stream shows. The call-leg engine emits them; a listener runs synchronously inside the call
// path, so it must only copy the event away (queue it) and never throw into it. With nobody
// listening an emission costs one length check: the payload is not even built.

import { Listeners } from '../../listeners';
import type { Direction, Leg } from './leg';

export const CALL_EVENT_KINDS = ['ring', 'answer', 'hangup'] as const;
export type CallEventKind = (typeof CALL_EVENT_KINDS)[number];

/** Who and what a leg is about, as its direction knows it (LegOwner.describe). */
export interface CallParties {
  /** The call's id: the linkedid its CDRs share (an outbound call's attempts share one). */
  callId: string;
  /** Calling number (inbound: the caller ID received; outbound: the caller ID presented). */
  caller: string;
  /** Called number (inbound: the DID; outbound: the number as dialled). */
  called: string;
  /** The routing rule that decided it (inbound), or outbound[:target]. */
  route: string;
  /** The routing target's name, '' when none. */
  target: string;
  /** The outbound request's reference (a job id), '' for inbound calls. */
  reference: string;
}

export interface CallEnd {
  /** The Q.850 cause the record carries (null when none or unknown). */
  cause: number | null;
  /** The record's disposition: ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION. */
  disposition: string;
  billsec: number;
}

export interface CallEvent extends CallParties {
  kind: CallEventKind;
  /** When it happened, by Asterisk's clock where ARI told it (ring: channel creation). */
  at: Date;
  /** The leg's Asterisk channel id (the CDR's uniqueid). */
  channelId: string;
  direction: Direction;
  span: number | null;
  timeslot: number | null;
  group: string;
  /** Set on hangup only. */
  end: CallEnd | null;
}

export type CallEventListener = (event: CallEvent) => void;

/** The calls' events; `listenerErrors` counts listeners that threw (never passed on to the call). */
export class CallEvents extends Listeners<CallEvent> {
  get listenerErrors(): number {
    return this.errors;
  }
}

/** The payload of one event of `leg`. Pure. */
export function callEvent(leg: Leg<unknown>, parties: CallParties, kind: CallEventKind, at: Date, end: CallEnd | null): CallEvent {
  return {
    kind, at, ...parties, channelId: leg.id, direction: leg.direction, span: leg.span, timeslot: leg.timeslot, group: leg.groupName, end,
  };
}
