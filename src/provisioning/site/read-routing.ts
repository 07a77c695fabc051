// Reading the `routing:` section of the site file: numbering, holiday calendars, targets, VIP
// lists, blacklist, inbound rules, the default target and outbound settings. Calendars and
// targets are read first so every reference to them is checked where it is written.

import { describe, isMapping, type Checker } from '../../validation/checker';
import { readBlacklist, readRules, readTargets, readVip, refersTo, type DirectionOf, type InboundScope } from './read-inbound';
import { readNumbering, readOutbound } from './read-outbound';
import type { GroupResolver } from './read-spans';
import { readCalendar } from './read-time';
import { checkOverflowCycles, checkReachability } from './routing-checks';
import type { RoutingConfig } from './routing-types';

export const ROUTING_KEYS = ['numbering', 'holidays', 'targets', 'vip', 'blacklist', 'inbound', 'default', 'outbound'] as const;

/** The routing section, or null when the file has none. */
export function readRouting(c: Checker, value: unknown, group: GroupResolver, directionOf: DirectionOf): RoutingConfig | null {
  if (value === undefined) return null;
  const m = c.mapping(value, 'routing', ROUTING_KEYS);
  if (m === null) return null;
  const holidays = readHolidays(c, m.holidays);
  const targets = readTargets(c, m.targets, 'routing.targets');
  const scope: InboundScope = { group, directionOf, calendars: Object.keys(holidays), targets: targets.map((t) => t.target.name) };
  for (const { target, path } of targets) {
    if (target.overflow !== null) refersTo(c, target.overflow, `${path}.overflow`, scope.targets, 'target');
    if (target.overflow !== null && target.limit === null) {
      c.warn(`${path}.overflow`, `target "${target.name}" has no limit, so its overflow "${target.overflow}" is never used`);
    }
  }
  checkOverflowCycles(c, targets);
  const rules = readRules(c, m.inbound, 'routing.inbound', scope);
  const defaultTarget = m.default === undefined ? null : refersTo(c, m.default, 'routing.default', scope.targets, 'target');
  checkReachability(c, rules, defaultTarget !== null);
  return {
    numbering: readNumbering(c, m.numbering, 'routing.numbering'),
    holidays,
    targets: targets.map((t) => t.target),
    vip: readVip(c, m.vip, 'routing.vip', scope),
    blacklist: readBlacklist(c, m.blacklist, 'routing.blacklist'),
    inbound: rules.map((r) => r.rule),
    defaultTarget,
    outbound: readOutbound(c, m.outbound, 'routing.outbound', group, directionOf),
  };
}

function readHolidays(c: Checker, value: unknown): Record<string, string[]> {
  if (value === undefined) return {};
  // Calendar names are the user's, so this mapping has no fixed keys to check.
  if (!isMapping(value)) {
    c.fail('routing.holidays', `expected a mapping of calendar name -> list of dates, got ${describe(value)}`);
    return {};
  }
  return Object.fromEntries(Object.entries(value).map(([name, dates]) => {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) c.fail(`routing.holidays.${name}`, `"${name}" is not a usable calendar name (letters, digits, _ . -)`);
    return [name, readCalendar(c, dates, `routing.holidays.${name}`)];
  }));
}
