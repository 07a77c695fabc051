// chan_dahdi configuration: one block per channel set (per span, or per run of analog ports),
// each setting every option it relies on, because chan_dahdi carries options over from one
// `channel =>` line to the next. Written as a whole chan_dahdi.conf, or as an include file
// the existing chan_dahdi.conf pulls into its [channels] section.

import { sameGroups } from '../site/channels';
import { analogSignalling } from '../site/read-analog';
import { HUNT_LETTERS, type AnalogPort, type CardConfig, type DigitalSpan, type SiteConfig, type SiteSource, type TrunkGroup } from '../site/site-types';
import { header, ranges, render } from './layout';
import { describeSignalling } from './system-conf';

export const CHAN_DAHDI_INCLUDE = 'dahdi-channels-tdmgate.conf';

/** The dial-string prefix Asterisk needs for a group's hunt order: DAHDI/r1/<number>. */
export function groupDialString(group: TrunkGroup): string {
  return `DAHDI/${HUNT_LETTERS[group.hunt]}${group.number}`;
}

export function chanDahdiConf(site: SiteConfig, source: SiteSource, mode: 'full' | 'include'): string {
  const intro = mode === 'full'
    ? [header(';', 'Asterisk chan_dahdi configuration', source).trimEnd()]
    : [header(';', `Asterisk chan_dahdi channels, pulled into [channels] by "#include ${CHAN_DAHDI_INCLUDE}"`, source).trimEnd()];
  const blocks: string[][] = [intro];
  if (mode === 'full') blocks.push(['[trunkgroups]'], ['[channels]', 'usecallerid=yes']);
  blocks.push(groupNotes(site));
  for (const card of site.cards) {
    for (const span of [...card.spans].sort((a, b) => a.span - b.span)) blocks.push(...spanBlocks(site, card, span));
    if (card.analog) blocks.push(...analogBlocks(site, card));
  }
  return render(blocks);
}

/** How each group is dialled, so the dialplan author does not have to work out g/G/r/R. */
function groupNotes(site: SiteConfig): string[] {
  if (site.groups.length === 0) return [];
  return ['; Trunk groups:', ...[...site.groups].sort((a, b) => a.number - b.number).map((g) =>
    `;   ${g.number} "${g.name}" (${g.direction}, ${g.hunt}): dial ${groupDialString(g)}/<number>, inbound to ${g.context}`)];
}

function spanBlocks(site: SiteConfig, card: CardConfig, span: DigitalSpan): string[][] {
  return span.channels.filter((set) => set.timeslots.length > 0).map((set) => [
    `; Span ${span.span}: ${card.name} port ${span.port} - ${span.line} ${describeSignalling(span)}`,
    ...signallingLines(span),
    ...groupLines(site, set.groups),
    ...echoLines(site),
    `channel => ${ranges(span, set.timeslots)}`,
  ]);
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

function analogBlocks(site: SiteConfig, card: CardConfig): string[][] {
  const analog = card.analog;
  if (!analog) return [];
  return runs(analog.ports).map((run) => {
    const first = run[0] as AnalogPort;
    const sig = analogSignalling(first.type, first.start);
    const what = first.type === 'fxo' ? 'FXO port(s), exchange lines' : 'FXS port(s), phones';
    return [
      `; Span ${analog.span}: ${card.name} ports ${run.map((p) => p.port).join(', ')} - ${what}`,
      // chan_dahdi spells it fxs_ks where system.conf says fxsks.
      `signalling=${sig.slice(0, 3)}_${sig.slice(3)}`,
      ...groupLines(site, first.groups),
      ...echoLines(site),
      `channel => ${ranges(analog, run.map((p) => p.port))}`,
    ];
  });
}

/** Consecutive ports that share type, start and group become one block. */
function runs(ports: readonly AnalogPort[]): AnalogPort[][] {
  const out: AnalogPort[][] = [];
  for (const p of ports) {
    const run = out[out.length - 1];
    const last = run?.[run.length - 1];
    if (run && last && last.port + 1 === p.port && last.type === p.type && last.start === p.start && sameGroups(last.groups, p.groups)) run.push(p);
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

function echoLines(site: SiteConfig): string[] {
  return [`echocancel=${site.echoCanceller === 'none' ? 'no' : 'yes'}`];
}
