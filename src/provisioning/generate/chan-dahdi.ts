// chan_dahdi configuration: one block per channel set (per span, or per run of analog ports),
// each setting every option it relies on, because chan_dahdi carries options over from one
// `channel =>` line to the next - so an option any block sets (a modelled option or the
// chanDahdi escape hatch) is written in every block, with chan_dahdi's default where the block
// does not set it. Written as a whole chan_dahdi.conf, or as an include file the existing
// chan_dahdi.conf pulls into its [channels] section. The header carries what import needs to
// give the site back: its name, the default context, each group's name and settings.

import { sameGroups } from '../site/channels';
import { CHAN_DAHDI_KEYS } from '../site/chan-dahdi-keys';
import { OPTIONS, sameSettings } from '../site/line-options';
import { analogSignalling } from '../site/read-analog';
import {
  HUNT_LETTERS, type AnalogPort, type CardConfig, type ChanDahdiSettings, type DigitalSpan, type SiteConfig, type SiteSource, type TrunkGroup,
} from '../site/site-types';
import { header, ranges, render, siteNameFact } from './layout';
import { describeSignalling } from './system-conf';

export const CHAN_DAHDI_INCLUDE = 'dahdi-channels-tdmgate.conf';

/** A block's chan_dahdi settings before the keys every block writes are added. */
interface Block {
  comment: string;
  lines: string[];
  card: CardConfig;
  settings: ChanDahdiSettings;
  channels: string;
}

/** The dial-string prefix Asterisk needs for a group's hunt order: DAHDI/r1/<number>. */
export function groupDialString(group: TrunkGroup): string {
  return `DAHDI/${HUNT_LETTERS[group.hunt]}${group.number}`;
}

export function chanDahdiConf(site: SiteConfig, source: SiteSource, mode: 'full' | 'include'): string {
  const what = mode === 'full' ? 'Asterisk chan_dahdi configuration' : `Asterisk chan_dahdi channels, pulled into [channels] by "#include ${CHAN_DAHDI_INCLUDE}"`;
  const blocks: string[][] = [[header(';', what, source, importFacts(site)).trimEnd()]];
  const global = Object.entries(site.chanDahdi).map(([k, v]) => setting(k, v));
  if (mode === 'full') blocks.push(['[trunkgroups]'], ['[channels]', 'usecallerid=yes', ...global]);
  else blocks.push(global);
  blocks.push(groupNotes(site));
  const channelBlocks: Block[] = [];
  for (const card of site.cards) {
    for (const span of [...card.spans].sort((a, b) => a.span - b.span)) channelBlocks.push(...spanBlocks(site, card, span));
    if (card.analog) channelBlocks.push(...analogBlocks(site, card));
  }
  const keys = writtenKeys(site, channelBlocks);
  for (const b of channelBlocks) {
    blocks.push([b.comment, ...b.lines, ...echoLines(b.card, keys.whenBridged), ...keys.settings.map((k) => setting(k, b.settings[k] ?? CHAN_DAHDI_KEYS[k]?.default ?? '')), `channel => ${b.channels}`]);
  }
  return render(blocks);
}

/** key=value, a ";" in the value escaped so Asterisk does not read a comment. */
function setting(key: string, value: string): string {
  return `${key}=${value.replace(/;/g, '\\;')}`;
}

/**
 * Header lines for import: the site's name and the context of channels in no group, and what the
 * site file holds that no generated file does (so import can say what it cannot give back).
 */
function importFacts(site: SiteConfig): string[] {
  const kept = [
    site.routes.length > 0 ? `routes (${site.routes.length})` : '',
    site.routing !== null ? `routing (${site.routing.inbound.length} inbound rule${site.routing.inbound.length === 1 ? '' : 's'})` : '',
    site.timezone !== 'UTC' ? `timezone ${site.timezone}` : '',
  ].filter((k) => k !== '');
  return [
    siteNameFact(site),
    `default context (channels in no group): ${site.defaultContext}`,
    ...(kept.length > 0 ? [`kept only in the site file: ${kept.join(', ')}`] : []),
  ];
}

/**
 * The settings keys every block writes: those any block sets, modelled options first in the
 * table's order, then escape-hatch keys by name; and whether echocancelwhenbridged is written.
 */
function writtenKeys(site: SiteConfig, blocks: readonly Block[]): { settings: string[]; whenBridged: boolean } {
  const used = new Set(blocks.flatMap((b) => Object.keys(b.settings)));
  const modelled = OPTIONS.map((o) => o.key).filter((k) => used.has(k));
  const others = [...used].filter((k) => !modelled.includes(k)).sort();
  return { settings: [...modelled, ...others], whenBridged: site.cards.some((c) => c.echoCancelWhenBridged) };
}

/** How each group is dialled, so the dialplan author does not have to work out g/G/r/R. */
function groupNotes(site: SiteConfig): string[] {
  if (site.groups.length === 0) return [];
  return ['; Trunk groups:', ...[...site.groups].sort((a, b) => a.number - b.number).map((g) =>
    `;   ${g.number} ${JSON.stringify(g.name)} (${g.direction}, ${g.hunt}${g.presentation === 'allowed' ? '' : `, ${g.presentation}`}): ` +
    `dial ${groupDialString(g)}/<number>, inbound to ${g.context}`)];
}

function spanBlocks(site: SiteConfig, card: CardConfig, span: DigitalSpan): Block[] {
  return span.channels.filter((set) => set.timeslots.length > 0).map((set) => ({
    comment: `; Span ${span.span}: ${card.name} port ${span.port} - ${span.line} ${describeSignalling(span)}`,
    lines: [...signallingLines(span), ...groupLines(site, set.groups)],
    card,
    settings: span.settings,
    channels: ranges(span, set.timeslots),
  }));
}

function signallingLines(span: DigitalSpan): string[] {
  const sig = span.signalling;
  switch (sig.type) {
    case 'pri_cpe':
    case 'pri_net':
      return [`signalling=${sig.type}`, `switchtype=${sig.switchtype}`];
    case 'bri_cpe':
    case 'bri_net':
      return [`signalling=${sig.type}${sig.ptmp ? '_ptmp' : ''}`, `switchtype=${sig.switchtype}`];
    case 'mfcr2':
      return ['signalling=mfcr2', `mfcr2_variant=${sig.variant}`, `mfcr2_category=${sig.category}`,
        `mfcr2_max_ani=${sig.maxAni}`, `mfcr2_max_dnis=${sig.maxDnis}`];
    case 'cas':
      return [`signalling=${sig.protocol}`];
  }
}

function analogBlocks(site: SiteConfig, card: CardConfig): Block[] {
  const analog = card.analog;
  if (!analog) return [];
  return runs(analog.ports).map((run) => {
    const first = run[0] as AnalogPort;
    const sig = analogSignalling(first.type, first.start);
    const what = first.type === 'fxo' ? 'FXO port(s), exchange lines' : 'FXS port(s), phones';
    return {
      comment: `; Span ${analog.span}: ${card.name} ports ${run.map((p) => p.port).join(', ')} - ${what}`,
      // chan_dahdi spells it fxs_ks where system.conf says fxsks.
      lines: [`signalling=${sig.slice(0, 3)}_${sig.slice(3)}`, ...groupLines(site, first.groups)],
      card,
      settings: first.settings,
      channels: ranges(analog, run.map((p) => p.port)),
    };
  });
}

/** Consecutive ports that share type, start, groups and settings become one block. */
function runs(ports: readonly AnalogPort[]): AnalogPort[][] {
  const out: AnalogPort[][] = [];
  for (const p of ports) {
    const run = out[out.length - 1];
    const last = run?.[run.length - 1];
    if (run && last && last.port + 1 === p.port && last.type === p.type && last.start === p.start && sameGroups(last.groups, p.groups) &&
      sameSettings(last.settings, p.settings)) run.push(p);
    else out.push([p]);
  }
  return out;
}

/** group=1,3 and the settings chan_dahdi keeps once per channel, taken from the first group. */
function groupLines(site: SiteConfig, groupNumbers: readonly number[]): string[] {
  const members = groupNumbers.filter((n) => site.groups.some((g) => g.number === n));
  const group = site.groups.find((g) => g.number === members[0]);
  if (!group) return ['group=', `context=${site.defaultContext}`, 'hidecallerid=no', 'usecallingpres=no'];
  return [
    `group=${members.join(',')}`,
    `context=${group.context}`,
    `hidecallerid=${group.presentation === 'restricted' ? 'yes' : 'no'}`,
    `usecallingpres=${group.presentation === 'passthrough' ? 'yes' : 'no'}`,
  ];
}

function echoLines(card: CardConfig, whenBridged: boolean): string[] {
  const lines = [`echocancel=${card.echoCanceller === 'none' ? 'no' : 'yes'}`];
  if (whenBridged) lines.push(`echocancelwhenbridged=${card.echoCancelWhenBridged ? 'yes' : 'no'}`);
  return lines;
}
