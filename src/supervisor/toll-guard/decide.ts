// The guard's rules that need no counting, as one pure function: is the destination's class
// allowed (by the token's rule and by the trunk group), its country (calls abroad), and - outside
// the open hours in the site's time zone - the off-hours classes. The first rule that refuses is
// the answer, with its limit in words; null lets the call on to the caps.

import type { GroupGuard } from '../../provisioning/site/guard-types';
import type { LocalMoment } from '../routing/local-time';
import type { Destination } from './classify';
import type { GuardRuleName } from './guard-errors';
import type { GuardRule, OffHours } from './guard-policy';

export interface Refusal {
  rule: GuardRuleName;
  limit: string;
  problem: string;
}

/** `who`: 'token crm' or 'calls without a token'; `group`: the trunk group's name and its guard. */
export function decideStatic(dest: Destination, rule: GuardRule, who: string, group: { name: string; guard: GroupGuard | undefined }, at: LocalMoment): Refusal | null {
  const classes = classRefusal(dest, rule.allow, `allow: ${list(rule.allow)}`, `for ${who}`);
  if (classes) return classes;
  const g = group.guard;
  if (g?.allow) {
    const byGroup = classRefusal(dest, g.allow, `group ${group.name} allow: ${list(g.allow)}`, `on trunk group ${group.name}`);
    if (byGroup) return byGroup;
  }
  if (dest.abroad) {
    if (rule.countries !== null && !rule.countries.includes(dest.country)) {
      return { rule: 'country', limit: `countries: ${codes(rule.countries)}`, problem: `country +${dest.country} is not allowed for ${who}` };
    }
    if (g?.countries && !g.countries.includes(dest.country)) {
      return { rule: 'country', limit: `group ${group.name} countries: ${codes(g.countries)}`, problem: `country +${dest.country} is not allowed on trunk group ${group.name}` };
    }
  }
  const off = rule.offHours;
  if (off !== null && !isOpen(off, at)) {
    const refusal = classRefusal(dest, off.allow, `offHours ${hhmm(off.from)}-${hhmm(off.to)} allow: ${list(off.allow)}`, `for ${who} outside the open hours`);
    if (refusal) return { ...refusal, rule: 'off-hours' };
  }
  return null;
}

/** A call abroad needs `international` allowed, and its own class too when a range made it premium or shared-cost. */
function classRefusal(dest: Destination, allow: readonly string[], limit: string, where: string): Refusal | null {
  if (dest.abroad && !allow.includes('international')) return { rule: 'class', limit, problem: `international calls are not allowed ${where}` };
  if (!allow.includes(dest.class)) return { rule: 'class', limit, problem: `${dest.class} numbers are not allowed ${where}` };
  return null;
}

/** Inside the open window: it starts on one of `days`; one past midnight ends on the next day. */
export function isOpen(off: OffHours, at: LocalMoment): boolean {
  const today = off.days.includes(at.day);
  if (off.from < off.to) return today && at.minutes >= off.from && at.minutes < off.to;
  const yesterday = off.days.includes((at.day + 6) % 7);
  return (today && at.minutes >= off.from) || (yesterday && at.minutes < off.to);
}

function list(classes: readonly string[]): string {
  return classes.length === 0 ? 'none' : classes.join(', ');
}

function codes(countries: readonly string[]): string {
  return countries.length === 0 ? 'none' : countries.map((c) => `+${c}`).join(', ');
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
