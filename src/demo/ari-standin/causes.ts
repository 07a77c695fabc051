// Q.850 causes as Asterisk names them (main/channel.c causes[] / ast_cause2str), the hangup
// reasons of DELETE /channels/{id} (res/ari/resource_channels.c), the soft-hangup flags that
// ChannelHangupRequest carries for a local hangup, and how a clearing before answer shows up
// as a Dial status - which depends on the channel's signalling (see dialStatusForCause).

import type { DahdiType } from './trunk-plan';

const CAUSE_TEXT: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  2: 'No route to specified transmit network',
  3: 'No route to destination',
  5: 'Misdialed trunk prefix',
  6: 'Channel unacceptable',
  7: 'Call awarded and being delivered in an established channel',
  8: 'Pre-empted',
  14: 'Number ported elsewhere',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  20: 'Subscriber absent',
  21: 'Call Rejected',
  22: 'Number changed',
  23: 'Redirected to new destination',
  26: 'Answered elsewhere',
  27: 'Destination out of order',
  28: 'Invalid number format',
  29: 'Facility rejected',
  30: 'Response to STATus ENQuiry',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  43: 'Access information discarded',
  44: 'Requested channel not available',
  50: 'Facility not subscribed',
  52: 'Outgoing call barred',
  54: 'Incoming call barred',
  57: 'Bearer capability not authorized',
  58: 'Bearer capability not available',
  65: 'Bearer capability not implemented',
  66: 'Channel not implemented',
  69: 'Facility not implemented',
  81: 'Invalid call reference value',
  88: 'Incompatible destination',
  95: 'Invalid message unspecified',
  96: 'Mandatory information element is missing',
  97: 'Message type nonexist.',
  98: 'Wrong message',
  99: 'Info. element nonexist or not implemented',
  100: 'Invalid information element contents',
  101: 'Message not compatible with call state',
  102: 'Recover on timer expiry',
  103: 'Mandatory IE length error',
  111: 'Protocol error, unspecified',
  127: 'Interworking, unspecified',
};

/** Every cause Asterisk has a text for (the rest print "Unknown"). */
export const NAMED_CAUSES: readonly number[] = Object.keys(CAUSE_TEXT).map(Number).filter((c) => c !== 0);

export function causeText(cause: number): string {
  return CAUSE_TEXT[cause] ?? 'Unknown';
}

/** DELETE /channels/{id}?reason= -> Q.850 cause, as ast_ari_channels_hangup maps it. */
export const HANGUP_REASONS: Readonly<Record<string, number>> = {
  normal: 16,
  busy: 17,
  congestion: 34,
  no_answer: 19,
  timeout: 18,
  rejected: 21,
  unallocated: 1,
  normal_unspecified: 31,
  number_incomplete: 28,
  codec_mismatch: 58,
  interworking: 127,
  failure: 38,
  answered_elsewhere: 26,
};

/**
 * ast_softhangup's flags: ChannelHangupRequest.cause for a hangup Asterisk itself requests is
 * this flag with soft=true, not a Q.850 cause (a far-end clearing carries the Q.850 cause and
 * no soft). A REST DELETE is EXPLICIT whatever its reason; `core restart` is SHUTDOWN.
 */
export const SOFT_HANGUP = { SHUTDOWN: 4, EXPLICIT: 32 } as const;

/** Cause 19 (no answer): what the originate's dial timeout leaves on the channel. */
export const CAUSE_NO_ANSWER = 19;

export type DialStatus = '' | 'RINGING' | 'PROGRESS' | 'PROCEEDING' | 'ANSWER' | 'BUSY' | 'CONGESTION' | 'CANCEL' | 'CHANUNAVAIL' | 'NOANSWER';

/**
 * ast_hangup_cause_to_dial_status: what Dial reports for a channel that went away before
 * answer with this cause, when the channel driver queued no BUSY/CONGESTION control of its own.
 * Seen on Asterisk 22.10.1 with Local channels: 17 BUSY, 34 CONGESTION, 3 and 20 CHANUNAVAIL,
 * every other cause (2, 16, 19, 21, 27, 38, 41, 42, ...) NOANSWER. A REST DELETE of a ringing
 * originated channel takes this path with the reason's cause, on any signalling.
 */
const GENERIC_DIAL_STATUS: Readonly<Record<number, DialStatus>> = {
  17: 'BUSY',
  34: 'CONGESTION',
  3: 'CHANUNAVAIL',
  20: 'CHANUNAVAIL',
};

/**
 * What a channel driver turns a far-end clearing into before answer, by signalling. sig_pri
 * queues AST_CONTROL_BUSY for 17 and AST_CONTROL_CONGESTION for 21/27/34/38/41/42 (read in
 * sig_pri.c, not run against a card); MFC/R2 and analog are taken as the generic mapping
 * (unverified). Causes not listed fall through to GENERIC_DIAL_STATUS.
 */
const FAR_END_DIAL_STATUS: Readonly<Record<DahdiType, Readonly<Record<number, DialStatus>>>> = {
  pri: { 17: 'BUSY', 21: 'CONGESTION', 27: 'CONGESTION', 34: 'CONGESTION', 38: 'CONGESTION', 41: 'CONGESTION', 42: 'CONGESTION' },
  'mfc/r2': {},
  analog: {},
};

/** The Dial status of a hangup with `cause` before answer, requested here (REST) or by the far end. */
export function dialStatusForCause(cause: number, signalling: DahdiType | null = null): DialStatus {
  const own = signalling === null ? undefined : FAR_END_DIAL_STATUS[signalling][cause];
  return own ?? GENERIC_DIAL_STATUS[cause] ?? 'NOANSWER';
}
