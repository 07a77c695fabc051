// Checks across the routing section: overflow chains that loop (a call would bounce between
// full targets forever), rules that can never be reached behind a catch-all, a section that
// routes nothing by default, targets pointing back into the contexts the generated dialplan hands
// to the supervisor, and blacklist numbers that block more than they seem to.

import type { Checker } from '../../validation/checker';
import type { InboundContext } from './inbound-contexts';
import type { InboundRule, RoutingTarget } from './routing-types';

/**
 * Below this many digits a plain number is as likely a whole short number (10086, 95588, 11833)
 * as the start of a range (400...): subscriber numbers are 7 digits or more almost everywhere.
 */
export const SHORT_NUMBER_DIGITS = 7;

export function checkOverflowCycles(c: Checker, targets: readonly { target: RoutingTarget; path: string }[]): void {
  const byName = new Map(targets.map((t) => [t.target.name, t]));
  const reported = new Set<string>();
  for (const start of targets) {
    const chain: string[] = [];
    let at: { target: RoutingTarget; path: string } | undefined = start;
    while (at !== undefined && !chain.includes(at.target.name)) {
      chain.push(at.target.name);
      at = at.target.overflow === null ? undefined : byName.get(at.target.overflow);
    }
    if (at === undefined || reported.has(at.target.name)) continue;
    const loop = chain.slice(chain.indexOf(at.target.name));
    loop.forEach((n) => reported.add(n));
    c.fail(`${at.path}.overflow`, `overflow loops: ${[...loop, at.target.name].join(' -> ')}; end the chain at a target without overflow (calls past it are refused as busy)`);
  }
}

/** A rule with no condition takes every call: rules after it and the default are dead. */
export function checkReachability(c: Checker, rules: readonly { rule: InboundRule; path: string }[], hasDefault: boolean): void {
  const catchAll = rules.findIndex(({ rule: r }) =>
    r.did.length === 0 && r.callerId.length === 0 && r.groups.length === 0 && r.time.length === 0 && r.holidays === null);
  const first = rules[catchAll];
  if (first !== undefined) {
    rules.slice(catchAll + 1).forEach((r) => c.warn(r.path, `rule "${r.rule.name}" is never reached: rule "${first.rule.name}" before it has no condition and takes every call`));
    if (hasDefault) c.warn('routing.default', `never used: rule "${first.rule.name}" has no condition and takes every call`);
  } else if (!hasDefault && rules.length > 0) {
    c.warn('routing.inbound', 'no default: calls that match no rule are refused with cause 1 (unallocated number); set routing.default to a target to take them');
  }
}

/**
 * A plain blacklist number is a prefix: "10086" also blocks 1008611. Short ones are warned about,
 * naming both explicit forms, which say what is meant and silence the warning: `_10086` (that
 * number alone) and `_10086.` (every longer number starting with it). `+` numbers are E.164 forms,
 * which short codes never take, so a short one is a range on purpose.
 */
export function checkBlacklistPrefixes(c: Checker, callers: readonly string[], path: string): void {
  callers.forEach((pattern, i) => {
    if (pattern.startsWith('_') || pattern.startsWith('+') || pattern.length >= SHORT_NUMBER_DIGITS) return;
    c.warn(`${path}[${i}]`, `"${pattern}" is a prefix: it blocks every caller whose number starts with ${pattern} (${pattern}11 too), not only ${pattern}. ` +
      `Write "_${pattern}" to block that number alone, or "_${pattern}." to block the numbers that start with it`);
  });
}

/** A target in a context the dialplan sends to Stasis would bring every call straight back. */
export function checkTargetLoops(c: Checker, targets: readonly RoutingTarget[], contexts: readonly InboundContext[]): void {
  targets.forEach((target, i) => {
    const ctx = contexts.find((x) => x.context === target.context);
    if (ctx === undefined) return;
    const groups = ctx.groups.map((g) => `${g.number} "${g.name}"`).join(', ');
    c.fail(`routing.targets[${i}].context`, `"${target.context}" is where trunk group ${groups} delivers inbound calls, which the generated ` +
      'extensions_tdmgate.conf hands to the supervisor: a call continued there would come straight back (a loop). Name a context of your own dialplan');
  });
}

/**
 * Phones whose context is also a trunk's: the generated dialplan would hand every off-hook
 * phone to the supervisor as an inbound trunk call. Their group needs a context of its own.
 */
export function checkPhonesInTrunkContexts(c: Checker, phones: readonly { number: number; name: string; context: string }[], groups: readonly { number: number }[], contexts: readonly InboundContext[]): void {
  for (const phone of phones) {
    if (!contexts.some((x) => x.context === phone.context)) continue;
    c.warn(`groups[${groups.findIndex((g) => g.number === phone.number)}].context`, `FXS ports (phones) of group ${phone.number} "${phone.name}" answer in ${phone.context}, ` +
      'where trunks deliver inbound calls: the generated extensions_tdmgate.conf would send every phone going off-hook to the supervisor as a trunk call. Give the phones a context of their own');
  }
}
