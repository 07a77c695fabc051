// One inbound call leg as a CDR: Asterisk's columns filled as Asterisk would for the leg (clid,
// src, dst, dcontext, disposition...) plus tdmgate's span, timeslot, trunk group, Q.850 cause,
// ring/answer/end times and route. Pure: the call facts in, a CdrInput out.

import type { CdrDisposition, CdrInput } from './cdr/cdr-record';
import { clidOf, clip, legTimes } from './cdr/leg-fields';

export interface InboundLeg {
  id: string;
  name: string;
  createdAt: Date;
  did: string;
  callerId: string;
  callerName: string;
  span: number | null;
  timeslot: number | null;
  groupName: string;
  /** The context the call was sent to (or the channel's own when not routed). */
  context: string;
  route: string;
  answeredAt: Date | null;
  /** The cause we hung up with (rejection), if we did. */
  rejectCause: number | null;
  /** Interrupted by the span: alarm names, or maintenance. */
  interrupted: { cause: 'alarm' | 'maintenance'; alarms: string[] } | null;
  /** Why the record was closed without a ChannelDestroyed (reconciliation), if so. */
  note: string;
  app: string;
}

/** Q.850 38 "network out of order": what chan_dahdi/sig_pri gives calls on a span that fails. */
export const CAUSE_NETWORK_OUT_OF_ORDER = 38;
const CONGESTION_CAUSES = new Set([34, 41, 42, 44]);

export function inboundCdr(leg: InboundLeg, endAt: Date, cause: number | null): CdrInput {
  const created = leg.createdAt;
  const { end, answered, duration, billsec } = legTimes(created, leg.answeredAt, endAt);
  const q850 = leg.interrupted?.cause === 'alarm' ? CAUSE_NETWORK_OUT_OF_ORDER : (leg.rejectCause ?? (cause === null || cause === 0 ? null : cause));
  const notes = [leg.note];
  if (leg.interrupted) notes.push(leg.interrupted.cause === 'alarm' ? `interrupted by span alarm: ${leg.interrupted.alarms.join(',') || 'alarm'}` : 'interrupted by span maintenance');
  return {
    calldate: created,
    clid: clidOf(leg.callerName, leg.callerId),
    src: clip(leg.callerId, 80),
    dst: clip(leg.did === '' ? 's' : leg.did, 80),
    dcontext: clip(leg.context, 80),
    channel: clip(leg.name, 80),
    lastapp: 'Stasis',
    lastdata: clip(leg.app, 80),
    duration,
    billsec,
    disposition: disposition(answered !== null, leg.rejectCause, q850),
    uniqueid: leg.id,
    linkedid: leg.id,
    userfield: clip(notes.filter((n) => n !== '').join('; '), 255),
    sequence: 0,
    span: leg.span,
    timeslot: leg.timeslot,
    trunk_group: clip(leg.groupName, 80),
    direction: 'inbound',
    q850_cause: q850,
    ring_time: created,
    answer_time: answered,
    end_time: end,
    route: clip(leg.route, 80),
  };
}

function disposition(answered: boolean, rejectCause: number | null, cause: number | null): CdrDisposition {
  if (answered) return 'ANSWERED';
  if (rejectCause === 17) return 'BUSY';
  if (rejectCause !== null && CONGESTION_CAUSES.has(rejectCause)) return 'CONGESTION';
  if (rejectCause !== null || cause === CAUSE_NETWORK_OUT_OF_ORDER) return 'FAILED';
  // The caller went away before anyone answered (an abandon).
  return 'NO ANSWER';
}
