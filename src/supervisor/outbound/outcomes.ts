// What the Q.850 cause of an unanswered outbound attempt means for the job, as data: the
// outcome per cause and what each outcome asks the dialler to do next. The cause of an
// answered call does not matter (16 after an answer is the normal end), so answered comes first.

export const OUTCOMES = ['answered', 'busy', 'no-answer', 'rejected', 'congestion', 'invalid-number', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Q.850 causes that decide something; every other cause is 'failed'. */
export const CAUSE_OUTCOMES: Readonly<Record<number, Outcome>> = {
  1: 'invalid-number', // unallocated number
  17: 'busy', // user busy
  18: 'no-answer', // no user responding
  19: 'no-answer', // no answer from user (user alerted)
  21: 'rejected', // call rejected
  28: 'invalid-number', // invalid number format
  34: 'congestion', // no circuit/channel available
  38: 'congestion', // network out of order
  41: 'congestion', // temporary failure
  42: 'congestion', // switching equipment congestion
  44: 'congestion', // requested circuit/channel not available
};

/**
 * next-span: the network or the span is the problem, so another span now may work;
 * retry-later: the called party is the problem, so wait the configured delay;
 * stop: do not call again (rejected: the party refused; invalid: the number can never work).
 */
export const OUTCOME_ACTIONS: Readonly<Record<Outcome, 'done' | 'next-span' | 'retry-later' | 'stop'>> = {
  answered: 'done',
  busy: 'retry-later',
  'no-answer': 'retry-later',
  rejected: 'stop',
  congestion: 'next-span',
  'invalid-number': 'stop',
  failed: 'retry-later',
};

/** Dial statuses that tell the outcome when the cause does not (a timeout ends with cause 0). */
const DIAL_STATUS_OUTCOMES: Readonly<Record<string, Outcome>> = {
  BUSY: 'busy',
  NOANSWER: 'no-answer',
  CONGESTION: 'congestion',
  // chan_dahdi found no channel to dial on: another span may have one.
  CHANUNAVAIL: 'congestion',
};

/** The outcome of an attempt: answered, else the Q.850 cause, else the last Dial status. */
export function outcomeOf(result: { answered: boolean; cause: number | null; dialStatus?: string }): Outcome {
  if (result.answered) return 'answered';
  const byCause = result.cause === null ? undefined : CAUSE_OUTCOMES[result.cause];
  if (byCause !== undefined) return byCause;
  return DIAL_STATUS_OUTCOMES[result.dialStatus ?? ''] ?? 'failed';
}
