// Checks across the routing section: overflow chains that loop (a call would bounce between
// full targets forever), rules that can never be reached behind a catch-all, and a section
// that routes nothing by default.

import type { Checker } from '../../validation/checker';
import type { InboundRule, RoutingTarget } from './routing-types';

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
