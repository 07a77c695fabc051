// The inbound decision for one call, in the order the site file promises: call data checked,
// VIP lists (straight to their target, before anything can refuse the caller), the blacklist
// (cause 21), the rules in file order with their time and holiday conditions, the default.
// A target at its limit passes the call to its overflow chain; a full chain refuses it busy.

import type { NumberPattern } from '../../provisioning/site/number-pattern';
import type { CompiledRule, InboundRules } from './compile';
import { checkCall } from './call-input';
import { holidayMatches, inAnyWindow } from './conditions';
import type { LocalMoment } from './local-time';
import type { InboundCall, InboundDecision, InboundState } from './types';
import { parseNumber } from '../numbering/numbering';

/** Q.850 causes of the refusals decided here. */
export const CAUSES = {
  /** No rule and no default takes the number. */
  unallocated: 1,
  /** Every target of the chain is at its limit: busy is what the caller should hear. */
  busy: 17,
  blacklisted: 21,
  invalidNumber: 28,
  /** Call data we cannot place (unknown group, bad span); the network may try another route. */
  temporaryFailure: 41,
} as const;

/** What the rules see of a call once checked: raw numbers and, lazily, their E.164 forms. */
interface Subject {
  did: string;
  callerId: string;
  anonymous: boolean;
  groups: number[];
  e164: (n: string) => string | null;
}

export function decideInbound(call: InboundCall, rules: InboundRules, state: InboundState): InboundDecision {
  const checked = checkCall(call);
  if (!checked.ok) return { action: 'hangup', cause: checked.cause, route: null, reason: checked.reason };
  const unknown = call.groups.find((g) => !rules.groups.has(g));
  if (unknown !== undefined) {
    return { action: 'hangup', cause: CAUSES.temporaryFailure, route: null, reason: `group ${unknown} is not in the site file` };
  }
  // Written out: a spread followed by more properties is a slow path on this node (V8 11.3).
  const s: Subject = { did: checked.did, callerId: checked.callerId, anonymous: checked.anonymous, groups: call.groups, e164: e164Of(rules) };
  if (!rules.routed) return groupContext(call, s, rules);

  if (!s.anonymous) {
    const vip = rules.vip.find((v) => matchesAny(v.callers, s.callerId, s));
    if (vip !== undefined) return toTarget(call, s, rules, state, vip.target, vip.name, `caller ${s.callerId} is on VIP list ${vip.name}`);
  }
  if (s.anonymous && rules.blacklist.anonymous) {
    return { action: 'hangup', cause: CAUSES.blacklisted, route: 'blacklist', reason: 'withheld caller ID refused (blacklist.anonymous)' };
  }
  if (!s.anonymous && matchesAny(rules.blacklist.callers, s.callerId, s)) {
    return { action: 'hangup', cause: CAUSES.blacklisted, route: 'blacklist', reason: `caller ${s.callerId} is on the blacklist` };
  }
  const now = rules.clock(call.at);
  const rule = rules.rules.find((r) => ruleMatches(r, s, rules, now));
  if (rule !== undefined) {
    const action = rule.rule.action;
    if (action.kind === 'reject') return { action: 'hangup', cause: action.cause, route: rule.rule.name, reason: `rule ${rule.rule.name} rejects with cause ${action.cause}` };
    return toTarget(call, s, rules, state, action.target, rule.rule.name, `rule ${rule.rule.name} matched`);
  }
  if (rules.defaultTarget !== null) return toTarget(call, s, rules, state, rules.defaultTarget, 'default', 'no rule matched');
  return { action: 'hangup', cause: CAUSES.unallocated, route: null, reason: `no rule takes called number ${JSON.stringify(s.did)} and there is no default` };
}

function ruleMatches(r: CompiledRule, s: Subject, rules: InboundRules, now: LocalMoment): boolean {
  if (r.rule.groups.length > 0 && !r.rule.groups.some((g) => s.groups.includes(g))) return false;
  if (r.did.length > 0 && !matchesAny(r.did, s.did, s)) return false;
  if (r.callerId.length > 0 && (s.anonymous || !matchesAny(r.callerId, s.callerId, s))) return false;
  return inAnyWindow(r.rule.time, now) && holidayMatches(r.rule.holidays, rules.calendars, now);
}

function matchesAny(patterns: readonly NumberPattern[], number: string, s: Subject): boolean {
  return patterns.some((p) => {
    if (!p.e164) return p.test(number);
    const e164 = s.e164(number);
    return e164 !== null && p.test(e164);
  });
}

/** E.164 forms, memoised per call: a list of + patterns parses the number once. */
function e164Of(rules: InboundRules): (n: string) => string | null {
  const seen = new Map<string, string | null>();
  return (n) => {
    if (!seen.has(n)) {
      const parsed = n === '' ? null : parseNumber(n, rules.numbering);
      seen.set(n, parsed?.ok === true ? parsed.number.e164 : null);
    }
    return seen.get(n) ?? null;
  };
}

/** Follows the overflow chain from `name` to the first target under its limit. */
function toTarget(call: InboundCall, s: Subject, rules: InboundRules, state: InboundState, name: string, route: string, why: string): InboundDecision {
  const full: string[] = [];
  // The checker refuses overflow loops; the visited set keeps a hand-built config from spinning.
  const visited = new Set<string>();
  let at = rules.targets.get(name);
  while (at !== undefined && !visited.has(at.name)) {
    visited.add(at.name);
    const active = state.activeCallsByTarget[at.name] ?? 0;
    if (at.limit === null || active < at.limit) {
      const overflow = full.length === 0 ? '' : `; over limit: ${full.join(', ')}`;
      return {
        action: 'continue',
        context: at.context,
        extension: at.extension.replaceAll('{did}', s.did === '' ? 's' : s.did),
        priority: at.priority,
        route,
        target: at.name,
        variables: variables(call, route),
        reason: `${why} -> target ${at.name}${overflow}`,
      };
    }
    full.push(`${at.name} (${active}/${at.limit})`);
    at = at.overflow === null ? undefined : rules.targets.get(at.overflow);
  }
  const what = full.length === 0 ? `target ${name} does not exist` : `every target is at its limit: ${full.join(', ')}`;
  return { action: 'hangup', cause: CAUSES.busy, route, reason: `${why}, but ${what}` };
}

/** No routing section: the call goes where chan_dahdi would have sent it, its group's context. */
function groupContext(call: InboundCall, s: Subject, rules: InboundRules): InboundDecision {
  const own = call.groups[0];
  const group = own === undefined ? undefined : rules.groups.get(own);
  if (group === undefined) {
    return { action: 'hangup', cause: CAUSES.unallocated, route: null, reason: 'no routing section and the channel is in no trunk group' };
  }
  const route = `group-${group.name}`;
  return {
    action: 'continue', context: group.context, extension: s.did === '' ? 's' : s.did, priority: 1, route, target: route,
    variables: variables(call, route), reason: `no routing section: group ${group.name}'s context`,
  };
}

function variables(call: InboundCall, route: string): { TDMGATE_SPAN: string; TDMGATE_TIMESLOT: string; TDMGATE_GROUP: string; TDMGATE_ROUTE: string } {
  return { TDMGATE_SPAN: String(call.span), TDMGATE_TIMESLOT: String(call.timeslot), TDMGATE_GROUP: call.groups[0] === undefined ? '' : String(call.groups[0]), TDMGATE_ROUTE: route };
}
