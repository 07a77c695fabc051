// The map as plain data for the API and the web status page: every channel's state, and
// counts per state, per group and per span. Pure: built from the layout and the live records.

import { CHANNEL_STATES, type ChannelState } from './channel-states';
import type { ChannelInfo, TrunkLayout } from './layout';
import { IN_SERVICE, type SpanAvailability, type SpanCondition } from './span-condition';

export interface ChannelRecord {
  state: ChannelState;
  callRef: string | null;
  direction: 'in' | 'out' | null;
  /** Epoch ms of the last state change. */
  since: number;
}

export interface ChannelSnapshot {
  channel: number;
  span: number;
  timeslot: number;
  /** The first group (the channel's context); `groups` lists every group it is in. */
  group: number | null;
  groups: number[];
  port: 'fxo' | 'fxs' | null;
  state: ChannelState;
  callRef: string | null;
  direction: 'in' | 'out' | null;
  since: number;
}

export type StateCounts = Record<ChannelState, number>;

export interface SpanSnapshot {
  span: number;
  /** in-service, alarm or maintenance. */
  condition: SpanAvailability;
  reason: string[];
  counts: StateCounts;
}

export interface GroupSnapshot {
  group: number;
  name: string;
  hunt: string;
  counts: StateCounts;
}

export interface TrunkMapSnapshot {
  at: number;
  channels: ChannelSnapshot[];
  spans: SpanSnapshot[];
  groups: GroupSnapshot[];
  counts: StateCounts;
}

export function emptyCounts(): StateCounts {
  return Object.fromEntries(CHANNEL_STATES.map((s) => [s, 0])) as StateCounts;
}

/**
 * One channel as the snapshot shows it. Written out, not `{ ...info, state, ... }`: on this
 * node (V8 11.3) a spread followed by more properties takes a slow path costing microseconds,
 * and this runs several times a call (claim, answer, release) and for every channel of a snapshot.
 */
export function channelSnapshot(info: ChannelInfo, r: ChannelRecord): ChannelSnapshot {
  return { channel: info.channel, span: info.span, timeslot: info.timeslot, group: info.group, groups: info.groups, port: info.port, state: r.state, callRef: r.callRef, direction: r.direction, since: r.since };
}

export function buildSnapshot(
  layout: TrunkLayout,
  records: ReadonlyMap<number, ChannelRecord>,
  conditions: ReadonlyMap<number, SpanCondition>,
  at: number,
): TrunkMapSnapshot {
  const channels: ChannelSnapshot[] = [];
  const counts = emptyCounts();
  const bySpan = new Map<number, StateCounts>();
  const byGroup = new Map<number, StateCounts>();
  for (const info of [...layout.channels.values()].sort((a, b) => a.channel - b.channel)) {
    const r = records.get(info.channel);
    if (!r) continue;
    channels.push(channelSnapshot(info, r));
    counts[r.state]++;
    bump(bySpan, info.span, r.state);
    // A channel in several groups counts in each: each group's figures say what it can hunt.
    for (const g of info.groups) bump(byGroup, g, r.state);
  }
  const spans = [...layout.spans.keys()].sort((a, b) => a - b).map((span): SpanSnapshot => {
    const c = conditions.get(span) ?? IN_SERVICE;
    return { span, condition: c.state, reason: c.state === 'in-service' ? [] : [...c.reason], counts: bySpan.get(span) ?? emptyCounts() };
  });
  const groups = [...layout.groups.values()].sort((a, b) => a.number - b.number).map((g): GroupSnapshot => ({
    group: g.number, name: g.name, hunt: g.hunt, counts: byGroup.get(g.number) ?? emptyCounts(),
  }));
  return { at, channels, spans, groups, counts };
}

function bump(map: Map<number, StateCounts>, key: number, state: ChannelState): void {
  let c = map.get(key);
  if (!c) map.set(key, (c = emptyCounts()));
  c[state]++;
}
