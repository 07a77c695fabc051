// How long each inbound setup decision took, from the StasisStart reaching us to our answer
// being accepted by Asterisk (`continue` for a routed call, the hangup for a rejected one): the
// figure the bench's "decision p99" measures, handed to listeners (the /metrics histogram) as
// it happens. Calls adopted after a restart are not timed: we never saw their StasisStart.

import { Listeners } from '../../listeners';

export type DecisionOutcome = 'routed' | 'rejected';

export interface DecisionTiming {
  outcome: DecisionOutcome;
  seconds: number;
}

export type DecisionListener = (timing: DecisionTiming) => void;

/** Runs inside the call path: a listener that throws is ignored, never passed on to the call. */
export class DecisionTimings extends Listeners<DecisionTiming> {}
