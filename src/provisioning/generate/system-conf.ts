// /etc/dahdi/system.conf for dahdi_cfg: one span= line per digital span, then its channels
// (bchan + hardhdlc/dchan for PRI/BRI, cas= with idle bits for MFC/R2, e&m/e&me1 for E&M), a
// comment for each unused port,
// analog ports with the far end's signalling (an FXO port runs fxs*), each card's echo canceller, tone zone.

import { analogSignalling } from '../site/read-analog';
import { channelsPerSpan, dchannelTimeslot } from '../site/channels';
import type { AnalogSpan, CardConfig, DigitalSpan, SiteConfig, SiteSource, UnusedSpan } from '../site/site-types';
import { cardPorts, header, globalChannels, ranges, render, siteNameFact, usedTimeslots } from './layout';

/** ABCD bits an idle MFC/R2 channel sends, as OpenR2 expects dahdi_cfg to set them. */
const MFCR2_IDLE_BITS = '1101';

export function systemConf(site: SiteConfig, source: SiteSource): string {
  const blocks: string[][] = [[header('#', 'DAHDI span and channel configuration (dahdi_cfg)', source, [siteNameFact(site), ...echoFact(site)]).trimEnd()]];
  for (const card of site.cards) {
    for (const port of cardPorts(card)) blocks.push(port.kind === 'span' ? digitalSpan(card, port.span) : unusedSpan(card, port.span));
    if (card.analog) blocks.push(analogSpan(card, card.analog));
  }
  blocks.push([`loadzone=${site.toneZone}`, `defaultzone=${site.toneZone}`]);
  return render(blocks);
}

function digitalSpan(card: CardConfig, span: DigitalSpan): string[] {
  const clock = span.timing === 0 ? 'never a clock source' : `clock source priority ${span.timing}`;
  const lines = [
    `# Span ${span.span}: ${card.name} port ${span.port} - ${span.line} ${describeSignalling(span)}, ${clock}`,
    `span=${span.span},${span.timing},${span.lbo},${span.framing},${span.coding}${span.crc4 ? ',crc4' : ''}`,
  ];
  const used = usedTimeslots(span);
  const bearers = ranges(span, used);
  const sig = span.signalling;
  if (sig.type === 'mfcr2') {
    // dahdi_cfg takes one contiguous range per cas= line; TS16 splits an E1 in two.
    for (const run of bearers.split(',')) if (run) lines.push(`cas=${run}:${MFCR2_IDLE_BITS}`);
  } else if (sig.type === 'cas') {
    if (bearers) lines.push(`${sig.protocol === 'em_e1' ? 'e&me1' : 'e&m'}=${bearers}`);
  } else {
    if (bearers) lines.push(`bchan=${bearers}`);
    const d = dchannelTimeslot(span.line, sig.type);
    if (d !== null) lines.push(`${span.dchannel}=${globalChannels(span, [d]).join(',')}`);
  }
  lines.push(...echoCanceller(card, bearers));
  return lines;
}

/**
 * A port out of service: no span= line, so dahdi_cfg leaves it unconfigured, but DAHDI still
 * numbers it. Not written "# Span N:", which import reads as dahdi_genconf's card hint.
 */
function unusedSpan(card: CardConfig, span: UnusedSpan): string[] {
  const last = span.baseChannel + channelsPerSpan(span.line) - 1;
  return [`# Unused: span ${span.span}, ${card.name} port ${span.port} - ${span.line}, channels ${span.baseChannel}-${last} left unconfigured ` +
    '(pinned in assigned-spans.conf, so the numbers after it stay when it goes into service)'];
}

function analogSpan(card: CardConfig, analog: AnalogSpan): string[] {
  const lines = [`# Span ${analog.span}: ${card.name} - analog, ${analog.ports.length} port(s); DAHDI names signalling from the far end`];
  const bySignalling = new Map<string, number[]>();
  for (const p of analog.ports) {
    const sig = analogSignalling(p.type, p.start);
    bySignalling.set(sig, [...(bySignalling.get(sig) ?? []), p.port]);
  }
  // Ports are sorted, so blocks come in port order.
  for (const [sig, ports] of bySignalling) {
    const what = sig.startsWith('fxs') ? 'FXO ports (exchange lines)' : 'FXS ports (phones)';
    lines.push(`# ${what}: port(s) ${ports.join(', ')}`, `${sig}=${ranges(analog, ports)}`);
  }
  lines.push(...echoCanceller(card, ranges(analog, analog.ports.map((p) => p.port))));
  return lines;
}

/**
 * Where a card has its own echo settings, the site's default is in no configuration line: the
 * header says it, so import gives the site back its default and each card its own.
 */
function echoFact(site: SiteConfig): string[] {
  const differs = site.cards.some((c) => c.echoCanceller !== site.echoCanceller || c.echoCancelWhenBridged !== site.echoCancelWhenBridged);
  return differs ? [`${ECHO_FACT} ${site.echoCanceller} (echocancelwhenbridged=${site.echoCancelWhenBridged ? 'yes' : 'no'})`] : [];
}

/** The header line's words, shared with import. */
export const ECHO_FACT = 'echo canceller of cards that do not name one:';

function echoCanceller(card: CardConfig, channels: string): string[] {
  if (!channels || card.echoCanceller === 'none') return [];
  // dahdi_cfg calls the hardware echo canceller "hwec".
  const name = card.echoCanceller === 'hardware' ? 'hwec' : card.echoCanceller;
  return [`echocanceller=${name},${channels}`];
}

export function describeSignalling(span: DigitalSpan): string {
  const sig = span.signalling;
  switch (sig.type) {
    case 'mfcr2':
      return `MFC/R2 (${sig.variant})`;
    case 'cas':
      return `CAS ${sig.protocol}`;
    case 'bri_cpe':
    case 'bri_net':
      return `${sig.type}${sig.ptmp ? ' PTMP' : ''} (${sig.switchtype})`;
    default:
      return `${sig.type} (${sig.switchtype})`;
  }
}
