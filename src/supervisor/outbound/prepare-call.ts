// Everything an originate on a trunk group needs, decided before ARI is touched: the number
// in E.164 (for the CDR and the job) and in the carrier's dial form, the caller ID, the
// timeout, the group's settings (defaults when the site gives none) and the attempts.

import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_DELAYS, NO_RESERVE, DEFAULT_TIMEOUT } from '../../provisioning/site/read-outbound';
import type { OutboundSettings } from '../../provisioning/site/routing-types';
import type { TrunkGroup } from '../../provisioning/site/site-types';
import { isNumberingError } from '../numbering/errors';
import { dialForm, toE164, type E164Number, type NumberingPlan } from '../numbering/numbering';
import type { DialAttempt } from '../trunk-map';
import { OutboundError } from './errors';

export interface PreparedCall {
  number: E164Number;
  dialNumber: string;
  callerId: string | null;
  timeoutSeconds: number;
  settings: OutboundSettings;
  attempts: DialAttempt[];
}

export function settingsFor(group: number, configured: readonly OutboundSettings[]): OutboundSettings {
  return configured.find((s) => s.group === group)
    ?? { group, callerId: null, timeout: DEFAULT_TIMEOUT, maxRetries: DEFAULT_MAX_RETRIES, retryDelay: { ...DEFAULT_RETRY_DELAYS }, dial: 'national', inboundReserve: NO_RESERVE, attemptsPerSecond: null, attemptsPerSecondPerSpan: null };
}

/**
 * Throws OutboundError (INVALID_NUMBER / NO_NUMBERING) for a number that cannot be called.
 * `planAttempts` is the TrunkMap's: the attempts for the number in the carrier's dial form.
 */
export function prepareCall(input: string, group: TrunkGroup, plan: NumberingPlan | null, configured: readonly OutboundSettings[], planAttempts: (dialNumber: string) => DialAttempt[]): PreparedCall {
  const settings = settingsFor(group.number, configured);
  const number = e164Of(input, plan);
  // Without a numbering plan only e164 can be written; carriers that want + get it as given.
  const dialNumber = plan === null ? number.e164 : dialForm(number, plan, settings.dial);
  return {
    number,
    dialNumber,
    callerId: settings.callerId,
    timeoutSeconds: settings.timeout,
    settings,
    attempts: planAttempts(dialNumber),
  };
}

/** The number in E.164; a refusal becomes the OutboundError the queues and the API map. */
export function e164Of(input: string, plan: NumberingPlan | null): E164Number {
  try {
    return toE164(input, plan);
  } catch (err) {
    if (isNumberingError(err)) throw new OutboundError(err.code, err.input, err.problem);
    throw err;
  }
}
