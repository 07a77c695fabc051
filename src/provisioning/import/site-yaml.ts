// Writes a SiteConfig as a site file (the YAML parseSite reads), for `provision import --out`.
// Spans and ports are written out in full, so the file says what the imported system did
// rather than leaning on defaults that may change; runs of identical ports collapse to a range.
// The import notes go on top as comments, where the person editing the file will see them.

import { stringify } from 'yaml';
import { bearerTimeslots, sameGroups } from '../site/channels';
import { CHAN_DAHDI_FIELD, sameSettings, settingsToYaml } from '../site/line-options';
import type { AnalogPort, CardConfig, ChanDahdiSettings, DigitalSpan, SiteConfig } from '../site/site-types';
import { formatChannelList } from './channel-list';
import type { ImportNote } from './import-notes';

function spanToPlain(span: DigitalSpan): Record<string, unknown> {
  const out: Record<string, unknown> = {
    port: span.port, line: span.line, framing: span.framing, coding: span.coding, crc4: span.crc4, lbo: span.lbo, timing: span.timing,
    signalling: span.signalling.type,
  };
  const sig = span.signalling;
  if (sig.type === 'pri_cpe' || sig.type === 'pri_net') Object.assign(out, { switchtype: sig.switchtype, dchannel: span.dchannel });
  if (sig.type === 'bri_cpe' || sig.type === 'bri_net') Object.assign(out, { switchtype: sig.switchtype, ptmp: sig.ptmp, dchannel: span.dchannel });
  if (sig.type === 'mfcr2') {
    out.mfcr2 = { variant: sig.variant, category: sig.category, maxAni: sig.maxAni, maxDnis: sig.maxDnis, ...settingsToYaml(span.settings, 'mfcr2').fields };
  }
  if (sig.type === 'cas') out.protocol = sig.protocol;
  const only = span.channels[0];
  const all = formatChannelList(bearerTimeslots(span.line, sig.type));
  if (span.channels.length === 1 && only && formatChannelList(only.timeslots) === all) {
    if (only.groups.length > 0) out.group = groupValue(only.groups);
  } else {
    out.channels = span.channels.map((set) => (set.groups.length === 0
      ? { timeslots: formatChannelList(set.timeslots) }
      : { timeslots: formatChannelList(set.timeslots), group: groupValue(set.groups) }));
  }
  return withSettings(out, span.settings, 'span');
}

/** The modelled options as their fields, every other setting under chanDahdi. */
function withSettings(out: Record<string, unknown>, settings: ChanDahdiSettings, place: 'span' | 'port'): Record<string, unknown> {
  const { fields, chanDahdi } = settingsToYaml(settings, place);
  Object.assign(out, fields);
  if (Object.keys(chanDahdi).length > 0) out[CHAN_DAHDI_FIELD] = chanDahdi;
  return out;
}

/** One group as a number (the form every existing site file uses), several as a list. */
function groupValue(groups: readonly number[]): number | number[] {
  return groups.length === 1 ? (groups[0] as number) : [...groups];
}

/** Consecutive ports of one kind and group as one entry ("1-4"). */
function portsToPlain(ports: readonly AnalogPort[]): Record<string, unknown>[] {
  const runs: AnalogPort[][] = [];
  for (const p of [...ports].sort((a, b) => a.port - b.port)) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run && last && last.port + 1 === p.port && last.type === p.type && last.start === p.start && sameGroups(last.groups, p.groups) &&
      sameSettings(last.settings, p.settings)) run.push(p);
    else runs.push([p]);
  }
  return runs.map((run) => {
    const first = run[0] as AnalogPort;
    const port = run.length === 1 ? first.port : `${first.port}-${first.port + run.length - 1}`;
    const entry: Record<string, unknown> = first.groups.length === 0
      ? { port, type: first.type, start: first.start }
      : { port, type: first.type, start: first.start, group: groupValue(first.groups) };
    return withSettings(entry, first.settings, 'port');
  });
}

function cardToPlain(site: SiteConfig, card: CardConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { name: card.name };
  if (card.pin.kind === 'hardwareId') out.hardwareId = card.pin.hardwareId;
  else out.location = card.pin.location;
  if (card.portCount !== null) out.portCount = card.portCount;
  // The site's echo settings are every card's default; a card says only where it differs.
  if (card.echoCanceller !== site.echoCanceller) out.echoCanceller = card.echoCanceller;
  if (card.echoCancelWhenBridged !== site.echoCancelWhenBridged) out.echoCancelWhenBridged = card.echoCancelWhenBridged;
  if (card.analog) out.ports = portsToPlain(card.analog.ports);
  else {
    const unused = card.unused.map((u) => ({ port: u.port, plain: { port: u.port, line: u.line, signalling: 'unused' } as Record<string, unknown> }));
    const spans = card.spans.map((s) => ({ port: s.port, plain: spanToPlain(s) }));
    out.spans = [...spans, ...unused].sort((a, b) => a.port - b.port).map((s) => s.plain);
  }
  return out;
}

export function siteToPlain(site: SiteConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    site: site.name,
    toneZone: site.toneZone,
    echoCanceller: site.echoCanceller,
    ...(site.echoCancelWhenBridged ? { echoCancelWhenBridged: true } : {}),
    clock: site.clock,
    defaultContext: site.defaultContext,
    ...(Object.keys(site.chanDahdi).length > 0 ? { [CHAN_DAHDI_FIELD]: { ...site.chanDahdi } } : {}),
    cards: site.cards.map((card) => cardToPlain(site, card)),
  };
  if (site.groups.length > 0) {
    out.groups = site.groups.map((g) => ({ number: g.number, name: g.name, context: g.context, direction: g.direction, presentation: g.presentation, hunt: g.hunt }));
  }
  if (site.routes.length > 0) {
    out.routes = site.routes.map((r) => (r.pattern === null ? { name: r.name, groups: r.groups } : { name: r.name, pattern: r.pattern, groups: r.groups }));
  }
  return out;
}

/** The site file text; notes, when given, become a comment block on top. */
export function siteToYaml(site: SiteConfig, notes: readonly ImportNote[] = []): string {
  const header = notes.length === 0
    ? ''
    : ['# Written by tdmgate provision import. Not carried over from the imported files:', ...notes.map((n) => `#   ${n.file}:${n.line}: ${n.message}`), ''].join('\n') + '\n';
  return header + stringify(siteToPlain(site), { lineWidth: 0 });
}
