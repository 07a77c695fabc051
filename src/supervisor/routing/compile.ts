// Turning the site's routing section into what the decider reads per call: patterns compiled,
// calendars as sets, targets by name, the zone's clock built. Done once per site load, so a
// decision costs pattern tests and one Intl format, nothing more.

import { compilePattern, type NumberPattern } from '../../provisioning/site/number-pattern';
import type { InboundRule, RoutingConfig, RoutingTarget } from '../../provisioning/site/routing-types';
import type { SiteConfig, TrunkGroup } from '../../provisioning/site/site-types';
import { compileNumbering, type NumberingPlan } from '../numbering/numbering';
import { localClock, type LocalMoment } from './local-time';

export interface CompiledRule {
  rule: InboundRule;
  did: NumberPattern[];
  callerId: NumberPattern[];
}

export interface InboundRules {
  clock: (at: Date) => LocalMoment;
  numbering: NumberingPlan | null;
  calendars: ReadonlyMap<string, ReadonlySet<string>>;
  targets: ReadonlyMap<string, RoutingTarget>;
  vip: { name: string; callers: NumberPattern[]; target: string }[];
  blacklist: { callers: NumberPattern[]; anonymous: boolean };
  rules: CompiledRule[];
  defaultTarget: string | null;
  /** The site's trunk groups: a call on any other group is refused, and without a routing
   *  section calls go to their group's context (what chan_dahdi would have done). */
  groups: ReadonlyMap<number, TrunkGroup>;
  /** False when the site has no routing section. */
  routed: boolean;
}

const EMPTY: RoutingConfig = {
  numbering: null, holidays: {}, targets: [], vip: [], blacklist: { callers: [], anonymous: false }, inbound: [], defaultTarget: null, outbound: [],
};

export function compileInbound(site: Pick<SiteConfig, 'timezone' | 'routing' | 'groups'>): InboundRules {
  const r = site.routing ?? EMPTY;
  const patterns = (list: readonly string[]): NumberPattern[] => list.map(compilePattern);
  return {
    clock: localClock(site.timezone),
    numbering: r.numbering === null ? null : compileNumbering(r.numbering),
    calendars: new Map(Object.entries(r.holidays).map(([name, dates]) => [name, new Set(dates)])),
    targets: new Map(r.targets.map((t) => [t.name, t])),
    vip: r.vip.map((v) => ({ name: v.name, callers: patterns(v.callers), target: v.target })),
    blacklist: { callers: patterns(r.blacklist.callers), anonymous: r.blacklist.anonymous },
    rules: r.inbound.map((rule) => ({ rule, did: patterns(rule.did), callerId: patterns(rule.callerId) })),
    defaultTarget: r.defaultTarget,
    groups: new Map(site.groups.map((g) => [g.number, g])),
    routed: site.routing !== null,
  };
}
