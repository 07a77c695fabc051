// The step after each outcome of an outbound attempt: the next span now, a retry later, or
// give up. The attempts come from the TrunkMap (trunkMap.planAttempts). Pure: no clock, no
// ARI, the retry count is a value.

import type { OutboundSettings } from '../../provisioning/site/routing-types';
import type { DialAttempt as Attempt } from '../trunk-map';
import { OUTCOME_ACTIONS, type Outcome } from './outcomes';

export interface HuntProgress {
  /** Index of the attempt that just ended. */
  attempt: number;
  /** Retries already used (0 on the first round). */
  retries: number;
}

export type NextStep =
  | { kind: 'done' }
  | { kind: 'next-span'; attempt: Attempt; progress: HuntProgress }
  /** Plan again after the delay (span states will have changed) with `retries` used. */
  | { kind: 'retry-later'; delaySeconds: number; retries: number; outcome: Outcome }
  | { kind: 'give-up'; outcome: Outcome; reason: string };

/** What to do after `outcome` ended attempt `progress.attempt` of `attempts`. */
export function nextStep(attempts: readonly Attempt[], progress: HuntProgress, outcome: Outcome, settings: OutboundSettings): NextStep {
  const action = OUTCOME_ACTIONS[outcome];
  if (action === 'done') return { kind: 'done' };
  if (action === 'stop') {
    return { kind: 'give-up', outcome, reason: outcome === 'invalid-number' ? 'the number can never be reached (cause 1/28): never retried' : 'the called party rejected the call (cause 21): not retried' };
  }
  if (action === 'next-span') {
    const next = attempts[progress.attempt + 1];
    if (next !== undefined) return { kind: 'next-span', attempt: next, progress: { attempt: progress.attempt + 1, retries: progress.retries } };
  }
  if (progress.retries >= settings.maxRetries) {
    return { kind: 'give-up', outcome, reason: `${outcome} after ${progress.retries + 1} tr${progress.retries === 0 ? 'y' : 'ies'}; maxRetries ${settings.maxRetries} used up` };
  }
  return { kind: 'retry-later', delaySeconds: delayFor(outcome, settings), retries: progress.retries + 1, outcome };
}

function delayFor(outcome: Outcome, settings: OutboundSettings): number {
  const d = settings.retryDelay;
  if (outcome === 'busy') return d.busy;
  if (outcome === 'no-answer') return d.noAnswer;
  if (outcome === 'congestion') return d.congestion;
  return d.failed;
}
