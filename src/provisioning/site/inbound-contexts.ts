// The dialplan contexts inbound trunk calls arrive in, as chan_dahdi sends them: each channel's
// first group gives its `context=` (chan_dahdi keeps one per channel). One definition for the
// generated extensions_tdmgate.conf, which hands these contexts to the supervisor's Stasis app,
// and for the checks that no routing target points back into one of them (a loop) and that no
// phone answers in one (phoneGroups).
//   - FXS ports are phones: their context is the office's own dialplan, never the supervisor's.
//   - A channel whose first group is outbound-only takes no inbound calls: its context is left
//     out, so a call arriving there anyway is refused by Asterisk (no such extension).
//   - A channel in no group lands in defaultContext (often FreePBX's from-pstn): left out, the
//     site owns no such context.

import type { Direction, PortType } from './site-types';

/** What the computation reads; both SiteConfig and the validator's draft fit it. */
export interface ContextSite {
  groups: readonly { number: number; name: string; context: string; direction: Direction }[];
  cards: readonly {
    spans: readonly { channels: readonly { timeslots: readonly number[]; groups: readonly number[] }[] }[];
    analog: { ports: readonly { type: PortType; groups: readonly number[] }[] } | null;
  }[];
}

export interface InboundContext {
  context: string;
  /** The groups whose channels land here (their first group), by number. */
  groups: { number: number; name: string; direction: Direction }[];
}

/** The first group of each FXS port (a phone) that has one: phones answer in its context. */
export function phoneGroups(site: ContextSite): ContextSite['groups'][number][] {
  const groups = site.cards.flatMap((card) => (card.analog?.ports ?? []).filter((p) => p.type === 'fxs'))
    .map((p) => p.groups.map((n) => site.groups.find((g) => g.number === n)).find((g) => g !== undefined))
    .filter((g) => g !== undefined);
  return [...new Set(groups)];
}

/** Contexts taking inbound trunk calls, ordered by the lowest group number landing in each. */
export function inboundContexts(site: ContextSite): InboundContext[] {
  const firstGroups = [
    ...site.cards.flatMap((card) => card.spans.flatMap((span) => span.channels.filter((set) => set.timeslots.length > 0).map((set) => set.groups))),
    ...site.cards.flatMap((card) => (card.analog?.ports ?? []).filter((p) => p.type === 'fxo').map((p) => p.groups)),
  ].map((groups) => groups.map((n) => site.groups.find((g) => g.number === n)).find((g) => g !== undefined));
  const byContext = new Map<string, Map<number, InboundContext['groups'][number]>>();
  for (const group of firstGroups) {
    if (group === undefined || group.direction === 'out') continue;
    const groups = byContext.get(group.context) ?? new Map();
    groups.set(group.number, { number: group.number, name: group.name, direction: group.direction });
    byContext.set(group.context, groups);
  }
  return [...byContext.entries()]
    .map(([context, groups]) => ({ context, groups: [...groups.values()].sort((a, b) => a.number - b.number) }))
    .sort((a, b) => (a.groups[0]?.number ?? 0) - (b.groups[0]?.number ?? 0));
}
