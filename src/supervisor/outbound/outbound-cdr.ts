// One outbound attempt (one originated channel) as a CDR: Asterisk's columns as its cdr table
// shows a Dial on a trunk (lastapp Dial, lastdata the dial string and timeout, dst the number as
// dialled, amaflags DOCUMENTATION), every attempt of one call sharing the linkedid, plus span,
// timeslot, group, cause, times and route. A notification's result is a `key=value` note in the
// userfield (digit, plays, end). Pure: the attempt and how it ended in, a CdrInput out.

import type { CdrDisposition, CdrInput } from '../cdr/cdr-record';
import { AMA_DOCUMENTATION, clidOf, clip, legTimes } from '../cdr/leg-fields';
import { interruptionNote, type DialplanPlace, type Leg, type LegEnd } from '../calls/leg';
import type { GuardTicket } from '../toll-guard/toll-guard';
import type { NotificationState } from './notification-calls';
import { notificationNote, type NotificationResult } from './notification-steps';
import type { Outcome } from './outcomes';

/** What outbound adds to a leg: the attempt's request and how its caller waits for it. */
export interface OutboundData {
  /** The call's id, shared by its attempts: the record's linkedid. */
  callId: string;
  callerName: string;
  callerNumber: string;
  /** The number as dialled (the carrier's form). */
  dialNumber: string;
  dial: string;
  timeoutSeconds: number;
  /** Where an answer is sent; null for a notification (it stays with us). */
  target: DialplanPlace | null;
  /** A notification's prompt and how far it got; null for a call sent to a target. */
  notification: NotificationState | null;
  route: string;
  /** The routing target's name ('' for a place given as context/extension). */
  targetName: string;
  /** The request's reference (a job id), '' when none. */
  reference: string;
  accountcode: string;
  /** Resolves the caller's wait for this attempt's outcome; null once told (or nobody waits). */
  settle: ((r: { outcome: Outcome; cause: number | null; notification: NotificationResult | null }) => void) | null;
  /** The trunk channel lookup, started as soon as the channel's name is known; null before. */
  located: Promise<void> | null;
  /** Our own end of an attempt Asterisk should have ended (ringing timeout + grace). */
  guard: NodeJS.Timeout | null;
  /** The toll guard's ticket of a call abroad whose talk minutes count against a cap; null otherwise. */
  toll: GuardTicket | null;
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

export function outboundCdr(leg: Leg<OutboundData>, end: LegEnd, outcome: Outcome): CdrInput {
  const d = leg.data;
  const { end: endAt, answered, duration, billsec } = legTimes(leg.createdAt, leg.answeredAt, end.at);
  const notes = [...leg.notes, interruptionNote(leg), d.notification && leg.answeredAt !== null ? notificationNote(d.notification.progress) : ''];
  return {
    calldate: leg.createdAt,
    clid: clidOf(d.callerName, d.callerNumber),
    src: clip(d.callerNumber, 80),
    dst: clip(d.dialNumber, 80),
    dcontext: clip(d.target?.context ?? '', 80),
    channel: clip(leg.name, 80),
    lastapp: 'Dial',
    lastdata: clip(`${d.dial},${d.timeoutSeconds}`, 80),
    duration,
    billsec,
    disposition: DISPOSITIONS[answered === null ? outcome : 'answered'],
    amaflags: AMA_DOCUMENTATION,
    accountcode: clip(d.accountcode, 80),
    uniqueid: leg.id,
    linkedid: d.callId,
    userfield: clip(notes.filter((n) => n !== '').join('; '), 255),
    sequence: 0,
    span: leg.span,
    timeslot: leg.timeslot,
    trunk_group: clip(leg.groupName, 80),
    direction: 'outbound',
    q850_cause: end.cause,
    ring_time: leg.createdAt,
    answer_time: answered,
    end_time: endAt,
    route: clip(d.route, 80),
  };
}
