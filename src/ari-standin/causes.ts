// Q.850 causes as Asterisk names them (main/channel.c causes[] / ast_cause2str), the hangup
// reasons of DELETE /channels/{id} (res/ari/resource_channels.c), and how a far-end clearing
// before answer shows up as a Dial status (sig_pri queues BUSY/CONGESTION controls, any other
// cause is a plain hangup that ast_hangup_cause_to_dial_status turns into a status).

const CAUSE_TEXT: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  2: 'No route to specified transmit network',
  3: 'No route to destination',
  6: 'Channel unacceptable',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  21: 'Call Rejected',
  22: 'Number changed',
  26: 'Answered elsewhere',
  27: 'Destination out of order',
  28: 'Invalid number format',
  29: 'Facility rejected',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  44: 'Requested channel not available',
  58: 'Bearer capability not available',
  102: 'Recover on timer expiry',
  127: 'Interworking, unspecified',
};

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

export type DialStatus = '' | 'RINGING' | 'PROGRESS' | 'PROCEEDING' | 'ANSWER' | 'BUSY' | 'CONGESTION' | 'CANCEL' | 'CHANUNAVAIL' | 'NOANSWER';

/** The Dial status a far-end clearing with `cause` gives before answer. */
export function dialStatusForCause(cause: number): DialStatus {
  if (cause === 17) return 'BUSY';
  // sig_pri queues AST_CONTROL_CONGESTION for these.
  if ([21, 27, 34, 38, 41, 42].includes(cause)) return 'CONGESTION';
  if (cause === 3 || cause === 2) return 'CHANUNAVAIL';
  return 'NOANSWER';
}
