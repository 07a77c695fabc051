// One outbound attempt (one originated channel) as a CDR: Asterisk's columns as its cdr table
// shows a Dial on a trunk (lastapp Dial, lastdata the dial string and timeout, dst the number as
// dialled), every attempt of one call sharing the linkedid, plus span, timeslot, group, cause,
// times and route. Pure: the attempt's facts in, a CdrInput out.

import type { CdrDisposition, CdrInput } from '../cdr/cdr-record';
import { clidOf, clip, legTimes } from '../cdr/leg-fields';
import type { Outcome } from './outcomes';

export interface OutboundLeg {
  /** The channel id we gave the originate: the record's uniqueid. */
  id: string;
  /** The call's id, shared by its attempts: the record's linkedid. */
  callId: string;
  name: string;
  createdAt: Date;
  answeredAt: Date | null;
  callerName: string;
  callerNumber: string;
  /** The number as dialled (the carrier's form). */
  dialNumber: string;
  dial: string;
  timeoutSeconds: number;
  /** Where an answer was sent (the dialplan context). */
  context: string;
  route: string;
  accountcode: string;
  span: number | null;
  timeslot: number | null;
  groupName: string;
  /** Notes for the userfield: the caller's reference, the attempt, how the record was closed. */
  notes: string[];
}

const DISPOSITIONS: Readonly<Record<Outcome, CdrDisposition>> = {
  answered: 'ANSWERED',
  busy: 'BUSY',
  'no-answer': 'NO ANSWER',
  congestion: 'CONGESTION',
  rejected: 'FAILED',
  'invalid-number': 'FAILED',
  failed: 'FAILED',
};

export function outboundCdr(leg: OutboundLeg, endAt: Date, outcome: Outcome, cause: number | null): CdrInput {
  const { end, answered, duration, billsec } = legTimes(leg.createdAt, leg.answeredAt, endAt);
  return {
    calldate: leg.createdAt,
    clid: clidOf(leg.callerName, leg.callerNumber),
    src: clip(leg.callerNumber, 80),
    dst: clip(leg.dialNumber, 80),
    dcontext: clip(leg.context, 80),
    channel: clip(leg.name, 80),
    lastapp: 'Dial',
    lastdata: clip(`${leg.dial},${leg.timeoutSeconds}`, 80),
    duration,
    billsec,
    disposition: DISPOSITIONS[answered === null ? outcome : 'answered'],
    accountcode: clip(leg.accountcode, 80),
    uniqueid: leg.id,
    linkedid: leg.callId,
    userfield: clip(leg.notes.filter((n) => n !== '').join('; '), 255),
    sequence: 0,
    span: leg.span,
    timeslot: leg.timeslot,
    trunk_group: clip(leg.groupName, 80),
    direction: 'outbound',
    q850_cause: cause === null || cause === 0 ? null : cause,
    ring_time: leg.createdAt,
    answer_time: answered,
    end_time: end,
    route: clip(leg.route, 80),
  };
}
