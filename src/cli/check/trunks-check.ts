// `check trunks` judged: free channels per trunk group, read from the supervisor's /metrics
// (tdmgate_trunk_channels{group,state}), against -w/-c. Free = idle; busy = ringing + in call;
// blocked = in alarm or maintenance. A group with no free channel turns callers away (busy
// tone), which is what the thresholds are for. Pure.

import type { Sample } from './exposition';
import { judge, worse, type PerfDatum, type PluginResult, type PluginState } from './plugin-output';
import type { PluginRange } from './plugin-range';

export interface GroupChannels {
  group: string;
  free: number;
  busy: number;
  blocked: number;
  total: number;
}

export const TRUNK_METRIC = 'tdmgate_trunk_channels';

/** Channel counts per group from the samples, groups in the order they first appear. */
export function groupChannels(samples: readonly Sample[]): GroupChannels[] {
  const groups = new Map<string, GroupChannels>();
  for (const s of samples) {
    if (s.name !== TRUNK_METRIC) continue;
    const name = s.labels.group ?? '';
    const g = groups.get(name) ?? { group: name, free: 0, busy: 0, blocked: 0, total: 0 };
    groups.set(name, g);
    const state = s.labels.state ?? '';
    if (state === 'idle') g.free += s.value;
    else if (state === 'ringing' || state === 'in-call') g.busy += s.value;
    else g.blocked += s.value;
    g.total += s.value;
  }
  return [...groups.values()];
}

export interface TrunksCheckInput {
  groups: readonly GroupChannels[];
  /** Only these groups (by name); all when empty. */
  only: readonly string[];
  warn: PluginRange | null;
  crit: PluginRange | null;
}

export function checkTrunks(input: TrunksCheckInput): PluginResult {
  const { warn, crit } = input;
  if (input.groups.length === 0) return { state: 'UNKNOWN', summary: `no ${TRUNK_METRIC} in the metrics: is this a tdmgate supervisor?`, perfdata: [], details: [] };
  const unknown = input.only.filter((name) => !input.groups.some((g) => g.group === name));
  if (unknown.length > 0) {
    return { state: 'UNKNOWN', summary: `no trunk group ${unknown.join(', ')}; groups: ${input.groups.map((g) => g.group).join(', ')}`, perfdata: [], details: [] };
  }
  const groups = input.only.length === 0 ? input.groups : input.groups.filter((g) => input.only.includes(g.group));
  let state: PluginState = 'OK';
  const critical: string[] = [];
  const warning: string[] = [];
  const perfdata: PerfDatum[] = [];
  for (const g of groups) {
    const groupState = judge(g.free, warn, crit);
    state = worse(state, groupState);
    if (groupState !== 'OK') (groupState === 'CRITICAL' ? critical : warning).push(describe(g));
    perfdata.push(
      { label: `${g.group}_free`, value: g.free, warn, crit, min: 0, max: g.total },
      { label: `${g.group}_busy`, value: g.busy, min: 0, max: g.total },
      { label: `${g.group}_blocked`, value: g.blocked, min: 0, max: g.total },
    );
  }
  // Critical groups first: the line may be cut short on a small screen.
  const summary = state === 'OK' ? groups.map(describe).join(', ') : [...critical, ...warning].join(', ');
  return { state, summary, perfdata, details: groups.map((g) => `${g.group}: ${g.free} free, ${g.busy} busy, ${g.blocked} blocked (alarm or maintenance) of ${g.total}`) };
}

function describe(g: GroupChannels): string {
  return `${g.group} ${g.free} free of ${g.total}`;
}
