// The trunk description the stand-in works from: which DAHDI channels exist, their span,
// timeslot, trunk group, chan_dahdi signalling type and inbound context. Built from a simple
// `{ groups: [{ number, spans, hunt }] }` over a hardware backend, or from the site file's groups
// and channel sets (what the supervisor loads, with the dialplan its routing targets need), or
// given as is.

import type { HardwareBackend } from '../../hardware/types';
import type { HuntOrder, SiteConfig } from '../../provisioning/site/site-types';
import type { RoutingTarget } from '../../provisioning/site/routing-types';
import type { DialplanExtension, DialplanSpec } from './dialplan';
import { StandinError } from './errors';

/** What CHANNEL(dahdi_type) answers: chan_dahdi says "pri" for PRI and BRI, "mfc/r2", else "analog". */
export type DahdiType = 'pri' | 'mfc/r2' | 'analog';

export interface TrunkChannel {
  /** Global DAHDI channel number. */
  channel: number;
  span: number;
  /** Timeslot (position in the span). */
  position: number;
  /** Its trunk groups (chan_dahdi `group=1,11`), its own first (whose context it has); [] for none. */
  groups: number[];
  type: DahdiType;
  /** Dialplan context inbound calls on this channel start in. */
  context: string;
}

export interface TrunkGroupSpec {
  number: number;
  hunt: HuntOrder;
  context: string;
}

export interface TrunkPlan {
  channels: TrunkChannel[];
  groups: TrunkGroupSpec[];
  /** Contexts beyond the trunks' inbound ones that the Asterisk behind this plan has. */
  dialplan?: DialplanSpec;
}

export interface SimpleTrunkConfig {
  groups: { number: number; spans: number[]; hunt?: HuntOrder; context?: string }[];
}

const DEFAULT_CONTEXT = 'from-pstn';

/**
 * Reads the spans and channels of a backend: bearer (CLEAR) channels are "pri", CAS channels
 * "mfc/r2", E&M and FXO ports (FXS signalling) "analog"; D-channels, unconfigured timeslots and
 * FXS ports (phones) are no trunks. Without `config`, group 1 is every digital span (ascending)
 * and group 2 every FXO port.
 */
export async function planFromHardware(backend: HardwareBackend, config?: SimpleTrunkConfig): Promise<TrunkPlan> {
  const spans = await backend.spans();
  const all: TrunkChannel[] = [];
  for (const span of spans) {
    for (const ch of await backend.channels(span.span)) {
      const type = trunkType(ch.sigtypeName);
      if (type) all.push({ channel: ch.channel, span: ch.span, position: ch.position, groups: [], type, context: DEFAULT_CONTEXT });
    }
  }
  const groupsConfig = config?.groups ?? defaultGroups(all);
  const groups: TrunkGroupSpec[] = [];
  for (const g of groupsConfig) {
    const context = g.context ?? DEFAULT_CONTEXT;
    groups.push({ number: g.number, hunt: g.hunt ?? 'ascending', context });
    for (const ch of all) {
      if (!g.spans.includes(ch.span)) continue;
      if (ch.groups.length > 0) throw new StandinError('BAD_CONFIG', `span ${ch.span} is in groups ${ch.groups[0]} and ${g.number}`);
      ch.groups = [g.number];
      ch.context = context;
    }
  }
  return { channels: all, groups };
}

function trunkType(sigtypeName: string): DahdiType | null {
  if (sigtypeName === 'CLEAR') return 'pri';
  if (sigtypeName === 'CAS') return 'mfc/r2';
  if (sigtypeName === 'EM' || sigtypeName === 'EM_E1' || sigtypeName.startsWith('FXS')) return 'analog';
  return null;
}

function defaultGroups(all: readonly TrunkChannel[]): SimpleTrunkConfig['groups'] {
  const digital = [...new Set(all.filter((c) => c.type !== 'analog').map((c) => c.span))];
  const analog = [...new Set(all.filter((c) => c.type === 'analog').map((c) => c.span))];
  const groups: SimpleTrunkConfig['groups'] = [];
  if (digital.length > 0) groups.push({ number: 1, spans: digital });
  if (analog.length > 0) groups.push({ number: 2, spans: analog });
  return groups;
}

/** The site file's trunk groups and channel sets, as chan_dahdi.conf generated from it says. */
export function planFromSite(site: SiteConfig): TrunkPlan {
  const contextOf = (group: number | null): string => site.groups.find((g) => g.number === group)?.context ?? site.defaultContext;
  const channels: TrunkChannel[] = [];
  for (const card of site.cards) {
    for (const span of card.spans) {
      const t = span.signalling.type;
      const type: DahdiType = t === 'mfcr2' ? 'mfc/r2' : t === 'cas' ? 'analog' : 'pri';
      for (const set of span.channels) {
        for (const ts of set.timeslots) {
          channels.push({ channel: span.baseChannel + ts - 1, span: span.span, position: ts, groups: [...set.groups], type, context: contextOf(set.groups[0] ?? null) });
        }
      }
    }
    if (card.analog) {
      for (const port of card.analog.ports) {
        if (port.type !== 'fxo') continue;
        channels.push({
          channel: card.analog.baseChannel + port.port - 1, span: card.analog.span, position: port.port,
          groups: [...port.groups], type: 'analog', context: contextOf(port.groups[0] ?? null),
        });
      }
    }
  }
  channels.sort((a, b) => a.channel - b.channel);
  return { channels, groups: site.groups.map((g) => ({ number: g.number, hunt: g.hunt, context: g.context })), dialplan: targetsDialplan(site.routing?.targets ?? []) };
}

/**
 * The dialplan the site's routing targets assume: each target's context has its extension,
 * starting with Answer() as a call-centre dialplan does before its queue or IVR (the stand-in
 * runs that first application, so the call is answered as on a real box). `{did}` is the called number, or "s" when none came, so such a target has the
 * pattern for digits there and the "s" form - not the literal text "{did}", which no dialplan has.
 */
export function targetsDialplan(targets: readonly RoutingTarget[]): DialplanSpec {
  const out: Record<string, DialplanExtension[]> = {};
  for (const t of targets) {
    const extens = t.extension.includes('{did}') ? [`_${t.extension.replace('{did}', 'X.')}`, t.extension.replace('{did}', 's')] : [t.extension];
    for (const exten of extens) (out[t.context] ??= []).push({ exten, app: 'Answer', appData: '' });
  }
  return out;
}

/** Every trunk's inbound context, with the extensions the recommended dialplan gives it. */
export function inboundDialplan(plan: TrunkPlan, app: string): DialplanSpec {
  const out: Record<string, DialplanExtension[]> = {};
  for (const context of new Set([...plan.channels.map((c) => c.context), ...plan.groups.map((g) => g.context)])) {
    out[context] = [{ exten: '_X.', app: 'Stasis', appData: app }, { exten: 's', app: 'Stasis', appData: app }];
  }
  return out;
}
