// The toll guard's refusal: an OutboundError with code GUARD_REFUSED (so the API answers 403 and
// a job fails at once, never retried, as for every request that cannot be dialled) that also
// names the rule that refused and its limit. Codes and rules are stable; the message is for people.

import { OutboundError } from '../outbound/errors';

export const GUARD_RULES = ['suspended', 'class', 'country', 'off-hours', 'calls-per-hour', 'destinations-per-day', 'international-minutes'] as const;
export type GuardRuleName = (typeof GUARD_RULES)[number];

/** The rules that are caps: a token that runs into one is suspended. */
export const CAP_RULES: ReadonlySet<GuardRuleName> = new Set(['calls-per-hour', 'destinations-per-day', 'international-minutes']);

export class GuardError extends OutboundError {
  readonly rule: GuardRuleName;
  /** The limit as configured, for people and logs: "allow: local, national", "3 calls per hour". */
  readonly limit: string;
  /** The API token the call was for, or null (CLI, demo). */
  readonly token: string | null;

  constructor(e164: string, rule: GuardRuleName, limit: string, problem: string, token: string | null) {
    super('GUARD_REFUSED', e164, `refused by the toll-fraud guard, rule ${rule} (${limit}): ${problem}`);
    this.name = 'GuardError';
    this.rule = rule;
    this.limit = limit;
    this.token = token;
  }
}

export function isGuardError(err: unknown): err is GuardError {
  return err instanceof GuardError;
}
