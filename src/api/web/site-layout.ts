// The site as the status page draws it: each span's frame (E1 = 32 timeslots, T1/J1 = 24, BRI = 3,
// an analog card = its ports), which timeslot carries framing, the D-channel or CAS signalling,
// and each trunk group's direction and inbound reserve. Pure, built once from the validated site;
// the live states come from the TrunkMap.

import { dchannelTimeslot } from '../../provisioning/site/channels';
import type { InboundReserve } from '../../provisioning/site/routing-types';
import type { Direction, SiteConfig } from '../../provisioning/site/site-types';

export type SlotRole = 'framing' | 'dchannel' | 'cas' | 'bearer';

export interface LayoutSpan {
  span: number;
  card: string;
  /** 'analog' for an analog card's span. */
  line: 'E1' | 'T1' | 'J1' | 'BRI' | 'analog';
  /** The site's signalling (pri_cpe, mfcr2, cas, ...), 'analog' on an analog card. */
  signalling: string;
  /** The frame's timeslots as drawn: E1 0-31 (TS0 too, as `framing`), T1/J1 1-24, BRI 1-3, analog ports 1-n. */
  timeslots: number[];
  /** Timeslots that are not bearers: E1 TS0 framing, the D-channel, E1 TS16 carrying CAS. */
  special: { timeslot: number; role: Exclude<SlotRole, 'bearer'> }[];
  /** Clock priority from the site (0 = never a clock source); null on analog cards. */
  timing: number | null;
  /** Analog ports by position: fxo faces the exchange, fxs feeds a phone. */
  ports: { port: number; type: 'fxo' | 'fxs' }[];
}

export interface LayoutGroup {
  group: number;
  name: string;
  direction: Direction;
  /** Channels the job queues keep free for inbound calls; null when none is set. */
  inboundReserve: InboundReserve | null;
}

export interface StatusLayout {
  site: string;
  spans: LayoutSpan[];
  groups: LayoutGroup[];
}

const FRAME: Readonly<Record<'E1' | 'T1' | 'J1' | 'BRI', number[]>> = { E1: range(0, 31), T1: range(1, 24), J1: range(1, 24), BRI: range(1, 3) };

export function statusLayout(site: SiteConfig): StatusLayout {
  const spans: LayoutSpan[] = [];
  for (const card of site.cards) {
    for (const s of card.spans) {
      const special: LayoutSpan['special'] = [];
      if (s.line === 'E1') special.push({ timeslot: 0, role: 'framing' });
      const d = dchannelTimeslot(s.line, s.signalling.type);
      if (d !== null) special.push({ timeslot: d, role: 'dchannel' });
      // E1 CAS and MFC/R2 carry their ABCD bits in TS16, which is then no bearer either.
      else if (s.line === 'E1') special.push({ timeslot: 16, role: 'cas' });
      spans.push({ span: s.span, card: card.name, line: s.line, signalling: s.signalling.type, timeslots: FRAME[s.line], special, timing: s.timing, ports: [] });
    }
    if (card.analog) {
      const a = card.analog;
      const ports = a.ports.map((p) => ({ port: p.port, type: p.type }));
      spans.push({ span: a.span, card: card.name, line: 'analog', signalling: 'analog', timeslots: range(1, Math.max(0, ...ports.map((p) => p.port))), special: [], timing: null, ports });
    }
  }
  spans.sort((a, b) => a.span - b.span);
  const reserves = new Map((site.routing?.outbound ?? []).map((o) => [o.group, o.inboundReserve]));
  const groups = site.groups.map((g): LayoutGroup => {
    const reserve = reserves.get(g.number) ?? null;
    return { group: g.number, name: g.name, direction: g.direction, inboundReserve: reserve && isReserved(reserve) ? reserve : null };
  });
  return { site: site.name, spans, groups };
}

function isReserved(r: InboundReserve): boolean {
  return r.kind === 'channels' ? r.count > 0 : r.percent > 0;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
