// Number normalisation with the site's numbering plan: any form a user, a CRM or a carrier
// writes (+8613800138000, 008613800138000, 013800138000, 13800138000, 64001234) -> E.164, and
// E.164 -> the form a carrier wants in the dial string. Both directions read it: inbound routing
// matches callers in E.164, outbound writes the carrier's dial form. Pure; invalid input is a
// NumberingError with code INVALID_NUMBER naming the input.

import { countryCodeOf } from '../../provisioning/site/country-codes';
import { compilePattern, type NumberPattern } from '../../provisioning/site/number-pattern';
import type { DialForm, Numbering } from '../../provisioning/site/routing-types';
import { NumberingError } from './errors';

/** E.164: country code + national significant number, 15 digits at most (ITU-T E.164 6.1). */
export const E164_MAX_DIGITS = 15;
/** Separators people and CRMs write inside numbers; nothing else is accepted. */
const SEPARATORS = /[\s\-().]/g;

export interface E164Number {
  /** '+8613800138000' */
  e164: string;
  country: string;
  /** National significant number: the digits after the country code. */
  national: string;
}

/** A numbering plan with its patterns compiled once (build it per site, not per call). */
export interface NumberingPlan {
  numbering: Numbering;
  national: NumberPattern[];
}

export function compileNumbering(numbering: Numbering): NumberingPlan {
  return { numbering, national: numbering.nationalPatterns.map(compilePattern) };
}

/** E.164 form of `input`, or throws NumberingError (INVALID_NUMBER / NO_NUMBERING). */
export function toE164(input: string, plan: NumberingPlan | null): E164Number {
  const text = typeof input === 'string' ? input.trim().replace(SEPARATORS, '') : '';
  if (text === '') throw new NumberingError('INVALID_NUMBER', String(input), 'is empty');
  const body = text.startsWith('+') ? text.slice(1) : text;
  const bad = [...body].find((ch) => ch < '0' || ch > '9');
  if (bad !== undefined) throw new NumberingError('INVALID_NUMBER', input, `has "${bad}"; a number holds digits only (a leading + and separators - ( ) . space allowed)`);
  if (body === '') throw new NumberingError('INVALID_NUMBER', input, 'has no digits');
  if (text.startsWith('+')) return international(input, body);
  if (plan === null) throw new NumberingError('NO_NUMBERING', input, 'is not in +E.164 form and the site has no routing.numbering to complete it');
  const n = plan.numbering;
  if (body.startsWith(n.internationalPrefix)) return international(input, body.slice(n.internationalPrefix.length));
  if (n.nationalPrefix !== null && body.startsWith(n.nationalPrefix)) return national(input, n.country, body.slice(n.nationalPrefix.length));
  if (plan.national.some((p) => p.test(body))) return national(input, n.country, body);
  if (n.localAreaCode !== null) return national(input, n.country, n.localAreaCode + body);
  // Without a trunk prefix (Italy, Spain, ...) every number is dialled in full, so it is national.
  if (n.nationalPrefix === null) return national(input, n.country, body);
  throw new NumberingError('INVALID_NUMBER', input,
    `is not international (+ or ${n.internationalPrefix}), not national (${n.nationalPrefix}) and the site has no localAreaCode to complete it`);
}

/** Like toE164, but a result instead of a throw (for deciders that must never throw). */
export function parseNumber(input: string, plan: NumberingPlan | null): { ok: true; number: E164Number } | { ok: false; error: NumberingError } {
  try {
    return { ok: true, number: toE164(input, plan) };
  } catch (err) {
    if (err instanceof NumberingError) return { ok: false, error: err };
    throw err;
  }
}

/** The called number as the carrier wants it (docs/routing.md, "Dial forms"). */
export function dialForm(number: E164Number, plan: NumberingPlan, form: DialForm): string {
  const n = plan.numbering;
  const asInternational = `${n.internationalPrefix}${number.country}${number.national}`;
  if (form === 'e164') return number.e164;
  if (form === 'international' || number.country !== n.country) return asInternational;
  const bare = plan.national.some((p) => p.test(number.national));
  if (bare) return number.national;
  if (form === 'local' && n.localAreaCode !== null && number.national.startsWith(n.localAreaCode) && number.national.length > n.localAreaCode.length) {
    return number.national.slice(n.localAreaCode.length);
  }
  return `${n.nationalPrefix ?? ''}${number.national}`;
}

function international(input: string, digits: string): E164Number {
  const country = countryCodeOf(digits);
  if (country === null) throw new NumberingError('INVALID_NUMBER', input, `starts with no assigned country code (${digits.slice(0, 3)}...)`);
  return national(input, country, digits.slice(country.length));
}

function national(input: string, country: string, nsn: string): E164Number {
  if (nsn === '') throw new NumberingError('INVALID_NUMBER', input, `has no digits after the country code ${country}`);
  const length = country.length + nsn.length;
  if (length > E164_MAX_DIGITS) throw new NumberingError('INVALID_NUMBER', input, `has ${length} digits as +${country}${nsn}; E.164 allows ${E164_MAX_DIGITS}`);
  return { e164: `+${country}${nsn}`, country, national: nsn };
}
