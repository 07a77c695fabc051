// The `guard:` section of the supervisor's config file: `defaults` and `tokens.<name>`, each a
// rule of allow, countries, callsPerHour, destinationsPerDay, internationalMinutesPerDay and
// offHours { open: "08:00-20:00", days: mon-fri, allow: [...] }. Read with the site file's
// checker so every problem names its key and what is allowed; all of them are reported at once,
// as one CONFIG_INVALID that stops `tdmgate supervise` before any call is placed.

import { readClassList, readCountries } from '../../provisioning/site/read-guard';
import { readDays, readTime } from '../../provisioning/site/read-time';
import { Checker, isMapping, describe } from '../../validation/checker';
import { SupervisorError } from '../supervisor-errors';
import { EMPTY_POLICY, type GuardPolicy, type GuardRule, type OffHours } from './guard-policy';

const TOP_KEYS = ['defaults', 'tokens'] as const;
export const RULE_KEYS = ['allow', 'countries', 'callsPerHour', 'destinationsPerDay', 'internationalMinutesPerDay', 'offHours'] as const;
const OFF_HOURS_KEYS = ['open', 'days', 'allow'] as const;
const TOKEN_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;
const OPEN = /^(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})$/;
/** Far above any real traffic of a 16-E1 box; a bigger number is a typo. */
const MAX_CAP = 10_000_000;

/** The policy of the file's `guard` value (undefined = none: the built-in rule for every call). */
export function parseGuardConfig(value: unknown, file: string): GuardPolicy {
  if (value === undefined || value === null) return EMPTY_POLICY;
  const c = new Checker();
  const top = c.mapping(value, 'guard', TOP_KEYS) ?? {};
  const policy: GuardPolicy = { defaults: top.defaults === undefined ? {} : readRule(c, top.defaults, 'guard.defaults'), tokens: {} };
  if (top.tokens !== undefined) {
    if (!isMapping(top.tokens)) c.fail('guard.tokens', `expected a mapping of token name -> rule, got ${describe(top.tokens)}`);
    else {
      for (const [name, rule] of Object.entries(top.tokens)) {
        if (!TOKEN_NAME.test(name)) c.fail(`guard.tokens.${name}`, `"${name}" is not a token name (letters, digits, _ . @ -, at most 64)`);
        policy.tokens[name] = readRule(c, rule, `guard.tokens.${name}`);
      }
    }
  }
  const errors = c.errors;
  const first = errors[0];
  if (first !== undefined) {
    throw new SupervisorError('CONFIG_INVALID', errors.map((e) => `${file}: ${e.message}`).join('\n'), { key: `${file}: ${first.path}`, allowed: 'the guard keys and values of docs/toll-guard.md' });
  }
  return policy;
}

function readRule(c: Checker, value: unknown, path: string): Partial<GuardRule> {
  const m = c.mapping(value, path, RULE_KEYS);
  if (m === null) return {};
  const cap = (key: 'callsPerHour' | 'destinationsPerDay' | 'internationalMinutesPerDay'): number | undefined =>
    m[key] === undefined ? undefined : c.int(m[key], `${path}.${key}`, 0, MAX_CAP, undefined);
  const rule: Partial<GuardRule> = {
    allow: readClassList(c, m.allow, `${path}.allow`) ?? undefined,
    countries: readCountries(c, m.countries, `${path}.countries`) ?? undefined,
    callsPerHour: cap('callsPerHour'),
    destinationsPerDay: cap('destinationsPerDay'),
    internationalMinutesPerDay: cap('internationalMinutesPerDay'),
    offHours: m.offHours === undefined ? undefined : readOffHours(c, m.offHours, `${path}.offHours`),
  };
  return rule;
}

function readOffHours(c: Checker, value: unknown, path: string): OffHours | null {
  const m = c.mapping(value, path, OFF_HOURS_KEYS);
  if (m === null) return null;
  const open = typeof m.open === 'string' ? OPEN.exec(m.open.trim()) : null;
  if (open === null) {
    c.fail(`${path}.open`, `${JSON.stringify(m.open) ?? 'nothing'} is not the open hours; write "HH:MM-HH:MM" in the site's time zone, e.g. "08:00-20:00" (22:00-06:00 runs past midnight)`);
    return null;
  }
  const from = readTime(c, open[1], `${path}.open`, false);
  const to = readTime(c, open[2], `${path}.open`, true);
  const allow = readClassList(c, m.allow, `${path}.allow`);
  if (m.allow === undefined) c.fail(`${path}.allow`, 'is required: the classes that may still be called outside the open hours, e.g. [local, national]');
  if (from === null || to === null) return null;
  if (from === to) c.fail(`${path}.open`, `${m.open as string} is empty; for no off-hours leave offHours out`);
  return { from, to, days: readDays(c, m.days, `${path}.days`), allow: allow ?? [] };
}
