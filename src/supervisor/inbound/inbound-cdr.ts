// One inbound call leg as a CDR: Asterisk's columns filled as Asterisk would for the leg (clid,
// src, dst, dcontext, disposition, amaflags...) plus tdmgate's span, timeslot, trunk group,
// Q.850 cause, ring/answer/end times and route. Pure: the leg and how it ended in, a CdrInput out.

import type { CdrDisposition, CdrInput } from '../cdr/cdr-record';
import { AMA_DOCUMENTATION, clidOf, clip, legTimes } from '../cdr/leg-fields';
import { CAUSE_NETWORK_OUT_OF_ORDER, interruptionNote, type Leg, type LegEnd } from '../calls/leg';

/** What inbound adds to a leg. */
export interface InboundData {
  did: string;
  callerId: string;
  callerName: string;
  /** The context the call was sent to (or the channel's own when not routed). */
  context: string;
  route: string;
  /** The routing target it was counted against (for per-target limits), once decided. */
  target: string | null;
  /** The DAHDI channel number the dialplan passed to Stasis, if it did (saves a REST call). */
  stasisHint: number | null;
  app: string;
  /** When its StasisStart reached us (monotonic ms), until its decision is timed; null for adopted calls. */
  offeredAt: number | null;
}

const CONGESTION_CAUSES = new Set([34, 41, 42, 44]);

export function inboundCdr(leg: Leg<InboundData>, end: LegEnd): CdrInput {
  const d = leg.data;
  const { end: endAt, answered, duration, billsec } = legTimes(leg.createdAt, leg.answeredAt, end.at);
  const notes = [...leg.notes, interruptionNote(leg)];
  return {
    calldate: leg.createdAt,
    clid: clidOf(d.callerName, d.callerId),
    src: clip(d.callerId, 80),
    dst: clip(d.did === '' ? 's' : d.did, 80),
    dcontext: clip(d.context, 80),
    channel: clip(leg.name, 80),
    lastapp: 'Stasis',
    lastdata: clip(d.app, 80),
    duration,
    billsec,
    disposition: disposition(answered !== null, leg.rejectCause, end),
    amaflags: AMA_DOCUMENTATION,
    uniqueid: leg.id,
    linkedid: leg.id,
    userfield: clip(notes.filter((n) => n !== '').join('; '), 255),
    sequence: 0,
    span: leg.span,
    timeslot: leg.timeslot,
    trunk_group: clip(leg.groupName, 80),
    direction: 'inbound',
    q850_cause: end.cause,
    ring_time: leg.createdAt,
    answer_time: answered,
    end_time: endAt,
    route: clip(d.route, 80),
  };
}

function disposition(answered: boolean, rejectCause: number | null, end: LegEnd): CdrDisposition {
  if (answered) return 'ANSWERED';
  if (rejectCause === 17) return 'BUSY';
  if (rejectCause !== null && CONGESTION_CAUSES.has(rejectCause)) return 'CONGESTION';
  if (rejectCause !== null || end.routingError || end.cause === CAUSE_NETWORK_OUT_OF_ORDER) return 'FAILED';
  // The caller went away before anyone answered (an abandon).
  return 'NO ANSWER';
}
