// What a call job's try means for the job, as data: the outbound outcome (or the error that kept
// the call from being placed) decides. Answered -> completed; busy / no answer / failed -> tried
// again after the delay for that outcome (the job's own, else the group's retryDelay), while
// tries are left; congestion on every span -> the same, after the congestion delay; invalid
// number or rejected -> failed, never retried, and so is a call the toll-fraud guard refused
// (GUARD_REFUSED: its rule and limit are the job's failure reason); nothing dialled because Asterisk is away -> back
// to the queue without using a try. Pure: BullMQ counts the tries and applies the delay.

import type { RetryDelays } from '../provisioning/site/routing-types';
import { isTransientAriError } from '../supervisor/ari/ari-errors';
import { isOutboundError } from '../supervisor/outbound/errors';
import { OUTCOME_ACTIONS, type Outcome } from '../supervisor/outbound/outcomes';
import type { RetryDelaysOverride } from './call-job';

/** `outcome`: the try's, when it is known without the call's own result (a taken-over try). */
export type CallFate =
  | { kind: 'completed'; outcome?: Outcome }
  /** Another try after the delay, if the job has tries left (BullMQ decides). */
  | { kind: 'retry'; delayMs: number; reason: string; outcome?: Outcome }
  /** Never tried again: the number or the party will not change. */
  | { kind: 'failed'; reason: string; outcome?: Outcome }
  /** Nothing was dialled: back to the queue after the delay, no try used. */
  | { kind: 'requeue'; delayMs: number; reason: string; outcome?: undefined };

/** Asterisk away: look again soon; the connection's own backoff decides when calls flow. */
export const REQUEUE_DELAY_MS = 3_000;

export function fateOfOutcome(outcome: Outcome, cause: number | null, delays: RetryDelays, override: RetryDelaysOverride): CallFate {
  const action = OUTCOME_ACTIONS[outcome];
  const said = cause === null ? outcome : `${outcome} (cause ${cause})`;
  if (action === 'done') return { kind: 'completed', outcome };
  if (action === 'stop') return { kind: 'failed', reason: `${said}: not tried again`, outcome };
  const key = outcome === 'busy' ? 'busy' : outcome === 'no-answer' ? 'noAnswer' : outcome === 'congestion' ? 'congestion' : 'failed';
  return { kind: 'retry', delayMs: (override[key] ?? delays[key]) * 1000, reason: said, outcome };
}

/** The fate of a try that threw instead of returning an outcome. */
export function fateOfError(err: unknown, delays: RetryDelays, override: RetryDelaysOverride): CallFate {
  const message = err instanceof Error ? err.message : String(err);
  // The request itself can never be dialled (a bad number, a group gone from the site).
  if (isOutboundError(err)) return { kind: 'failed', reason: `${err.code}: ${message}` };
  if (isTransientAriError(err)) return { kind: 'requeue', delayMs: REQUEUE_DELAY_MS, reason: message };
  return { kind: 'retry', delayMs: (override.failed ?? delays.failed) * 1000, reason: message };
}
