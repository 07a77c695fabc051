// The fixed part of the map, built once from a validated site: which DAHDI channel numbers are
// bearer channels, on which span and timeslot, in which trunk group, and each group's hunt order.
// Also the pure check of that layout against the spans the hardware shows. No state, no time.

import type { SpanStatus } from '../../hardware/types';
import { dchannelTimeslot } from '../../provisioning/site/channels';
import type { HuntOrder, SiteConfig } from '../../provisioning/site/site-types';

export type SpanKind = 'pri' | 'bri' | 'mfcr2' | 'cas' | 'analog';

export interface ChannelInfo {
  /** Global DAHDI channel number. */
  channel: number;
  span: number;
  /** Position in the span: the E1/T1 timeslot, or the port number on an analog card. */
  timeslot: number;
  /** The channel's first group (its context's), null when in none; kept for events and logs. */
  group: number | null;
  /** Every group the channel is in (chan_dahdi `group=0,11`): hunting in any of them may pick it. */
  groups: number[];
  /** Analog port type (fxo faces the exchange, fxs feeds a phone), null on digital spans. */
  port: 'fxo' | 'fxs' | null;
}

export interface SpanInfo {
  span: number;
  baseChannel: number;
  kind: SpanKind;
  /** Line type, 'analog' for an analog card's span. */
  line: 'E1' | 'T1' | 'J1' | 'BRI' | 'analog';
  /** Global channel number of the D-channel (PRI/BRI), else null. */
  dchannel: number | null;
  /** Bearer channel numbers, ascending. */
  channels: number[];
  /** Every group a bearer channel of the span is in, ascending (a PRI name gives only the span). */
  groups: number[];
}

export interface GroupInfo {
  number: number;
  name: string;
  hunt: HuntOrder;
  /** Member channel numbers, ascending: chan_dahdi searches a group in channel order. */
  channels: number[];
}

export interface TrunkLayout {
  channels: ReadonlyMap<number, ChannelInfo>;
  spans: ReadonlyMap<number, SpanInfo>;
  groups: ReadonlyMap<number, GroupInfo>;
}

export function buildLayout(site: SiteConfig): TrunkLayout {
  const channels = new Map<number, ChannelInfo>();
  const spans = new Map<number, SpanInfo>();
  const groups = new Map<number, GroupInfo>();
  for (const g of site.groups) groups.set(g.number, { number: g.number, name: g.name, hunt: g.hunt, channels: [] });

  const add = (info: ChannelInfo, span: SpanInfo): void => {
    channels.set(info.channel, info);
    span.channels.push(info.channel);
    for (const g of info.groups) groups.get(g)?.channels.push(info.channel);
  };

  for (const card of site.cards) {
    for (const s of card.spans) {
      const d = dchannelTimeslot(s.line, s.signalling.type);
      const info: SpanInfo = {
        span: s.span,
        baseChannel: s.baseChannel,
        kind: spanKind(s.signalling.type),
        line: s.line,
        dchannel: d === null ? null : s.baseChannel + d - 1,
        channels: [],
        groups: [],
      };
      spans.set(s.span, info);
      for (const set of s.channels) {
        for (const ts of set.timeslots) add({ channel: s.baseChannel + ts - 1, span: s.span, timeslot: ts, ...memberOf(set.groups), port: null }, info);
      }
    }
    if (card.analog) {
      const a = card.analog;
      const info: SpanInfo = { span: a.span, baseChannel: a.baseChannel, kind: 'analog', line: 'analog', dchannel: null, channels: [], groups: [] };
      spans.set(a.span, info);
      for (const p of a.ports) add({ channel: a.baseChannel + p.port - 1, span: a.span, timeslot: p.port, ...memberOf(p.groups), port: p.type }, info);
    }
  }
  for (const s of spans.values()) {
    s.channels.sort((a, b) => a - b);
    s.groups = [...new Set(s.channels.flatMap((c) => channels.get(c)?.groups ?? []))].sort((a, b) => a - b);
  }
  for (const g of groups.values()) g.channels.sort((a, b) => a - b);
  return { channels, spans, groups };
}

function memberOf(groups: readonly number[]): Pick<ChannelInfo, 'group' | 'groups'> {
  return { group: groups[0] ?? null, groups: [...groups] };
}

function spanKind(signalling: string): SpanKind {
  if (signalling === 'pri_cpe' || signalling === 'pri_net') return 'pri';
  if (signalling === 'bri_cpe' || signalling === 'bri_net') return 'bri';
  return signalling === 'mfcr2' ? 'mfcr2' : 'cas';
}

/** Why a site span cannot carry calls on this hardware, or null when it matches. */
export function spanMismatch(site: SpanInfo, hw: SpanStatus | undefined): string | null {
  if (hw === undefined) return 'span missing';
  if (hw.baseChannel !== site.baseChannel) {
    // Asterisk would open other channels than the site means: calls would land on the wrong line.
    return `span numbering differs: hardware span ${site.span} starts at channel ${hw.baseChannel}, the site expects ${site.baseChannel}`;
  }
  const last = site.channels.length > 0 ? Math.max(...site.channels) : site.baseChannel;
  if (last > hw.baseChannel + hw.totalChannels - 1) {
    return `span too small: hardware span ${site.span} has ${hw.totalChannels} channels, the site uses up to channel ${last}`;
  }
  return null;
}
