// The attempts of one outbound call on a trunk group and the step after each outcome. The
// spans come in hunt order with their state (the TrunkMap knows the live side); spans in
// alarm or maintenance get no attempt. Pure: no clock, no ARI, the retry count is a value.

import type { OutboundSettings } from '../../provisioning/site/routing-types';
import type { HuntOrder } from '../../provisioning/site/site-types';
import { OUTCOME_ACTIONS, type Outcome } from './outcomes';

export type SpanState = 'in-service' | 'alarm' | 'maintenance';

export interface GroupSpan {
  span: number;
  state: SpanState;
  /** PRI/BRI: chan_dahdi can be told to use this span only (`i<span>-`); R2/CAS/analog cannot. */
  isdn: boolean;
}

export interface Attempt {
  /** The span this attempt is held to, or null (chan_dahdi picks among the whole group). */
  span: number | null;
  /** Asterisk dial string: DAHDI/i<span>-g<n>/NUM or DAHDI/g<n>/NUM (G, r, R per hunt order). */
  dial: string;
}

/** chan_dahdi's group letters: g lowest channel first, G highest, r/R round robin up/down. */
const HUNT_LETTERS: Readonly<Record<HuntOrder, string>> = {
  ascending: 'g',
  descending: 'G',
  'round-robin': 'r',
  'round-robin-descending': 'R',
};

/**
 * One attempt per in-service span when every one is ISDN (chan_dahdi's `i<span>-` restriction
 * works on PRI/BRI spans only); otherwise one group-wide attempt, where chan_dahdi itself skips
 * channels in alarm. No span in service: no attempt (the caller treats it as congestion).
 */
export function planAttempts(group: number, hunt: HuntOrder, spans: readonly GroupSpan[], number: string): Attempt[] {
  const usable = spans.filter((s) => s.state === 'in-service');
  if (usable.length === 0) return [];
  const letter = `${HUNT_LETTERS[hunt]}${group}`;
  if (usable.every((s) => s.isdn)) return usable.map((s) => ({ span: s.span, dial: `DAHDI/i${s.span}-${letter}/${number}` }));
  return [{ span: null, dial: `DAHDI/${letter}/${number}` }];
}

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
