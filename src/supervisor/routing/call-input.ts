// Checking what the channel told us before any rule sees it. Numbers arrive from carriers,
// R2 registers and ARI events; anything that cannot be a number becomes a hangup with a
// cause (28 for numbers, 41 for call data we cannot place), never an exception.

import { E164_MAX_DIGITS } from '../numbering/numbering';
import type { InboundCall } from './types';

/** Texts carriers and Asterisk put in the caller ID when it is withheld: anonymous, not malformed. */
const WITHHELD = new Set(['', 'anonymous', 'unknown', 'private', 'restricted', 'unavailable', 'withheld']);
/** Longest international prefix in use (NANP 011, some 4-digit carrier selections). */
const MAX_PREFIX_DIGITS = 4;
const MAX_NUMBER_DIGITS = E164_MAX_DIGITS + MAX_PREFIX_DIGITS;
/** DAHDI's limits: 128 spans, 31 timeslots on E1 (32 with TS0 never a channel). */
const MAX_SPAN = 128;
const MAX_TIMESLOT = 31;

export type CheckedCall =
  | { ok: true; did: string; callerId: string; anonymous: boolean }
  | { ok: false; cause: number; reason: string };

export function checkCall(call: InboundCall): CheckedCall {
  const where = placeProblem(call);
  if (where !== null) return { ok: false, cause: 41, reason: `malformed call: ${where}` };
  // A number that is not text at all (a broken event) is malformed, not withheld.
  if (typeof call.did !== 'string') return { ok: false, cause: 28, reason: `called number ${String(call.did)} is not a text` };
  if (typeof call.callerId !== 'string') return { ok: false, cause: 28, reason: `caller ID ${String(call.callerId)} is not a text` };
  const didText = call.did.trim();
  const did = didText === 's' ? '' : didText;
  const didProblem = numberProblem(did);
  if (didProblem !== null) return { ok: false, cause: 28, reason: `called number ${JSON.stringify(call.did)} ${didProblem}` };
  const raw = call.callerId.trim();
  if (WITHHELD.has(raw.toLowerCase())) return { ok: true, did, callerId: '', anonymous: true };
  const cliProblem = numberProblem(raw);
  if (cliProblem !== null) return { ok: false, cause: 28, reason: `caller ID ${JSON.stringify(call.callerId)} ${cliProblem}` };
  return { ok: true, did, callerId: raw, anonymous: false };
}

function numberProblem(n: string): string | null {
  if (!/^\+?[0-9*#]*$/.test(n)) return 'has characters other than digits, * and # (invalid number format)';
  const digits = n.replace(/^\+/, '').length;
  if (digits > MAX_NUMBER_DIGITS) return `has ${digits} digits; more than E.164's ${E164_MAX_DIGITS} with a ${MAX_PREFIX_DIGITS}-digit prefix`;
  return null;
}

function placeProblem(call: InboundCall): string | null {
  if (!Number.isInteger(call.span) || call.span < 1 || call.span > MAX_SPAN) return `span ${String(call.span)} is not 1-${MAX_SPAN}`;
  if (!Number.isInteger(call.timeslot) || call.timeslot < 1 || call.timeslot > MAX_TIMESLOT) return `timeslot ${String(call.timeslot)} is not 1-${MAX_TIMESLOT}`;
  if (!Array.isArray(call.groups)) return 'groups is not a list of group numbers';
  const bad = call.groups.find((g) => !Number.isInteger(g));
  if (bad !== undefined) return `group ${String(bad)} is not a group number`;
  if (!(call.at instanceof Date) || Number.isNaN(call.at.getTime())) return 'no valid time';
  return null;
}
