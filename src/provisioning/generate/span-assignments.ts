// /etc/dahdi/assigned-spans.conf and /etc/dahdi/span-types.conf: the files that pin each card's
// spans to fixed span and channel numbers (dahdi_span_assignments) and set E1/T1/J1 before
// assignment (dahdi_span_types). Both take "<device key> <spec>" lines, the key being the
// card's hardware_id or @location. And the modprobe option without which both are ignored:
// dahdi-tools' udev hook runs the two tools only when the dahdi module leaves span assignment
// to user space (auto_assign_spans=0); with the default 1 the kernel numbers spans in probe order.

import type { SiteConfig, SiteSource } from '../site/site-types';
import { cardPorts, deviceKey, header, render, siteNameFact } from './layout';

const KEY_WIDTH = 30;

export function assignedSpansConf(site: SiteConfig, source: SiteSource): string {
  const blocks: string[][] = [[header('#', 'DAHDI span assignments (dahdi_span_assignments add)', source, [siteNameFact(site)]).trimEnd(),
    '# <device key> <local span>:<span number>:<first channel>']];
  for (const card of site.cards) {
    const key = deviceKey(card).padEnd(KEY_WIDTH);
    const lines = [`# ${card.name}`];
    for (const { kind, span: s } of cardPorts(card)) {
      // An unused port is assigned all the same: its numbers stay its own when it goes into service.
      if (kind === 'unused') lines.push(`# port ${s.port} unused: assigned, not configured`);
      lines.push(`${key} ${s.port}:${s.span}:${s.baseChannel}`);
    }
    // An analog card registers one span, its local span 1.
    if (card.analog) lines.push(`${key} 1:${card.analog.span}:${card.analog.baseChannel}`);
    blocks.push(lines);
  }
  return render(blocks);
}

export function spanTypesConf(site: SiteConfig, source: SiteSource): string {
  const blocks: string[][] = [[header('#', 'DAHDI span types (dahdi_span_types set), applied before spans are assigned', source, [siteNameFact(site)]).trimEnd(),
    '# <device key> <local span>:<E1|T1|J1>']];
  for (const card of site.cards) {
    // Unused ports too: DAHDI registers them with their type's channel count.
    const spans = cardPorts(card).map((p) => p.span).filter((s) => s.line !== 'BRI');
    if (spans.length === 0) continue;
    const key = deviceKey(card).padEnd(KEY_WIDTH);
    blocks.push([`# ${card.name}`, ...spans.map((s) => `${key} ${s.port}:${s.line}`)]);
  }
  return render(blocks);
}

export const MODPROBE_LINE = 'options dahdi auto_assign_spans=0';

export function modprobeConf(source: SiteSource): string {
  return render([
    [header('#', 'dahdi module options: span numbers from /etc/dahdi/assigned-spans.conf', source).trimEnd()],
    [
      '# auto_assign_spans=0: the driver leaves span assignment to dahdi-tools\' udev hook, which runs',
      '# dahdi_span_types and dahdi_span_assignments (span-types.conf, assigned-spans.conf) as each card',
      '# registers. Read when the dahdi module next loads (driver reload or boot), not before.',
      '# A card missing from assigned-spans.conf is then left unassigned: it gets no span at all.',
      MODPROBE_LINE,
    ],
  ]);
}
