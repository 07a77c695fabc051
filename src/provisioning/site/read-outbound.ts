// Reading the numbering plan and the per-group outbound settings of the routing section.
// Digits are asked for as quoted text: a YAML number would drop the leading 0 of '0086'.

import { suggestion, type Checker } from '../../validation/checker';
import { COUNTRY_CODES, isCountryCode } from './country-codes';
import { readGroupGuard, readNumberClasses } from './read-guard';
import { readPatterns, type DirectionOf } from './read-inbound';
import type { GroupResolver } from './read-spans';
import { DIAL_FORMS, type InboundReserve, type Numbering, type OutboundSettings, type RetryDelays } from './routing-types';

export const NUMBERING_KEYS = ['country', 'nationalPrefix', 'internationalPrefix', 'localAreaCode', 'nationalPatterns', 'classes'] as const;
export const OUTBOUND_KEYS = ['group', 'callerId', 'timeout', 'maxRetries', 'retryDelay', 'dial', 'inboundReserve', 'attemptsPerSecond', 'attemptsPerSecondPerSpan', 'guard'] as const;
export const NO_RESERVE: InboundReserve = { kind: 'channels', count: 0 };
const RETRY_KEYS = ['busy', 'noAnswer', 'congestion', 'failed'] as const;
/** Seconds; a busy line is tried again after 5 minutes, an unanswered one after 15. */
export const DEFAULT_RETRY_DELAYS: RetryDelays = { busy: 300, noAnswer: 900, congestion: 60, failed: 600 };
export const DEFAULT_TIMEOUT = 45;
export const DEFAULT_MAX_RETRIES = 2;
const DAY_SECONDS = 86_400;

/** Digits only, as a quoted text; `max` digits at most. */
export function readDigits(c: Checker, value: unknown, path: string, max: number): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || value.length > max) {
    const hint = typeof value === 'number' ? ' (quote it so leading zeros stay: "00")' : '';
    c.fail(path, `${JSON.stringify(value) ?? 'nothing'} is not 1 to ${max} digits as a quoted text${hint}`);
    return null;
  }
  return value;
}

export function readNumbering(c: Checker, value: unknown, path: string): Numbering | null {
  if (value === undefined) return null;
  const m = c.mapping(value, path, NUMBERING_KEYS);
  if (m === null) return null;
  let country = readDigits(c, m.country, `${path}.country`, 3);
  if (m.country === undefined) c.fail(`${path}.country`, 'is required (the E.164 country code, e.g. "86")');
  if (country !== null && !isCountryCode(country)) {
    c.fail(`${path}.country`, `"${country}" is not an assigned E.164 country code${suggestion(country, COUNTRY_CODES.filter((code) => code.length === country?.length))}`);
    country = null;
  }
  const national = readDigits(c, m.nationalPrefix, `${path}.nationalPrefix`, 4);
  const international = readDigits(c, m.internationalPrefix, `${path}.internationalPrefix`, 4) ?? '00';
  if (national !== null && national === international) {
    c.fail(`${path}.nationalPrefix`, `"${national}" is also the international prefix; the two must differ`);
  }
  return {
    country: country ?? '',
    nationalPrefix: national,
    internationalPrefix: international,
    localAreaCode: readDigits(c, m.localAreaCode, `${path}.localAreaCode`, 6),
    nationalPatterns: readPatterns(c, m.nationalPatterns, `${path}.nationalPatterns`),
    ...optional('classes', readNumberClasses(c, m.classes, `${path}.classes`, national)),
  };
}

export function readOutbound(c: Checker, value: unknown, path: string, group: GroupResolver, directionOf: DirectionOf): OutboundSettings[] {
  if (value === undefined) return [];
  const seen = new Map<number, string>();
  return (c.list(value, path) ?? []).flatMap((item, i) => {
    const p = `${path}[${i}]`;
    const m = c.mapping(item, p, OUTBOUND_KEYS);
    if (m === null) return [];
    if (m.group === undefined) c.fail(`${p}.group`, 'is required (a group number or name)');
    const n = m.group === undefined ? null : group(m.group, `${p}.group`);
    if (n === null) return [];
    if (directionOf(n) === 'in') c.fail(`${p}.group`, `group ${n} is inbound-only (direction: in); no call is placed on it`);
    const twin = seen.get(n);
    if (twin !== undefined) c.fail(`${p}.group`, `group ${n} already has outbound settings in ${twin}`);
    seen.set(n, p);
    const callerId = m.callerId === undefined ? null : readDigits(c, m.callerId, `${p}.callerId`, 20);
    return [{
      group: n,
      callerId,
      timeout: c.int(m.timeout, `${p}.timeout`, 5, 300, DEFAULT_TIMEOUT),
      maxRetries: c.int(m.maxRetries, `${p}.maxRetries`, 0, 20, DEFAULT_MAX_RETRIES),
      retryDelay: readRetryDelays(c, m.retryDelay, `${p}.retryDelay`),
      dial: c.oneOf(m.dial, `${p}.dial`, DIAL_FORMS, 'national') ?? 'national',
      inboundReserve: readReserve(c, m.inboundReserve, `${p}.inboundReserve`),
      attemptsPerSecond: m.attemptsPerSecond === undefined ? null : c.number(m.attemptsPerSecond, `${p}.attemptsPerSecond`, 0.1, 1000, undefined),
      attemptsPerSecondPerSpan: m.attemptsPerSecondPerSpan === undefined ? null : c.number(m.attemptsPerSecondPerSpan, `${p}.attemptsPerSecondPerSpan`, 0.1, 1000, undefined),
      ...optional('guard', readGroupGuard(c, m.guard, `${p}.guard`)),
    }];
  });
}

/** The toll guard's keys stay out of the model when the file leaves them out. */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function readRetryDelays(c: Checker, value: unknown, path: string): RetryDelays {
  if (value === undefined) return { ...DEFAULT_RETRY_DELAYS };
  const m = c.mapping(value, path, RETRY_KEYS) ?? {};
  const read = (key: (typeof RETRY_KEYS)[number]): number => c.int(m[key], `${path}.${key}`, 0, DAY_SECONDS, DEFAULT_RETRY_DELAYS[key]);
  return { busy: read('busy'), noAnswer: read('noAnswer'), congestion: read('congestion'), failed: read('failed') };
}

/** A channel count (6) or a share of the group's usable channels ("20%"). */
function readReserve(c: Checker, value: unknown, path: string): InboundReserve {
  if (value === undefined) return NO_RESERVE;
  if (typeof value === 'number') return { kind: 'channels', count: c.int(value, path, 0, 3840, 0) };
  const m = typeof value === 'string' ? /^(\d{1,3})%$/.exec(value.trim()) : null;
  if (m === null || Number(m[1]) > 100) {
    c.fail(path, `${JSON.stringify(value) ?? 'nothing'} is neither a channel count nor a share; allowed: a whole number of channels (e.g. 6) or a percentage from "0%" to "100%"`);
    return NO_RESERVE;
  }
  return { kind: 'percent', percent: Number(m[1]) };
}
