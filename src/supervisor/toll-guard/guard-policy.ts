// The toll guard's policy as data: the rule a token's calls follow (the config file's
// guard.defaults, overridden key by key by guard.tokens.<name>), a trunk group's share of it
// (the site file), and the built-in rule when neither says anything. Types and one pure merge.

import { DESTINATION_CLASSES, type DestinationClass } from '../../provisioning/site/guard-types';

/** Outside the open hours (site's time zone) only `allow` classes may be called. */
export interface OffHours {
  /** Minutes after local midnight; from > to runs past midnight. */
  from: number;
  to: number;
  /** Days the open window starts on, 0 = Sunday. */
  days: number[];
  allow: DestinationClass[];
}

export interface GuardRule {
  allow: DestinationClass[];
  /** Country codes calls abroad may reach; null = any. */
  countries: string[] | null;
  /** Caps; null = none. */
  callsPerHour: number | null;
  destinationsPerDay: number | null;
  internationalMinutesPerDay: number | null;
  offHours: OffHours | null;
}

/** The config file's `guard:` section; every key of a rule optional. */
export interface GuardPolicy {
  defaults: Partial<GuardRule>;
  tokens: Record<string, Partial<GuardRule>>;
}

/** With no guard section: every class but premium, any country, no caps, no off-hours rule. */
export const BUILT_IN_RULE: GuardRule = {
  allow: DESTINATION_CLASSES.filter((k) => k !== 'premium'),
  countries: null,
  callsPerHour: null,
  destinationsPerDay: null,
  internationalMinutesPerDay: null,
  offHours: null,
};

export const EMPTY_POLICY: GuardPolicy = { defaults: {}, tokens: {} };

/** The rule for `token` (null: an originate with no API token - the CLI, the demo). */
export function ruleFor(policy: GuardPolicy, token: string | null): GuardRule {
  const own = token === null ? {} : (policy.tokens[token] ?? {});
  return { ...BUILT_IN_RULE, ...defined(policy.defaults), ...defined(own) };
}

function defined(rule: Partial<GuardRule>): Partial<GuardRule> {
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)) as Partial<GuardRule>;
}
