// Checks that look across the site file: clocking (unique priorities, a CPE site taking clock
// from the carrier, NET spans offered as clock sources), trunk groups against the channels and
// routes that use them, DAHDI's span/channel limits, routing numbers longer than an MFC/R2
// span delivers, and routing that the generated dialplan would loop or over-block.

import type { Checker } from '../../validation/checker';
import { DAHDI_MAX_CHANNELS, DAHDI_MAX_SPANS } from '../../hardware/dahdi-constants';
import { analogChannels, channelsPerSpan, facesNetwork } from './channels';
import { checkDigitLimits } from './digit-limits';
import { inboundContexts, phoneGroups } from './inbound-contexts';
import type { SiteDraft } from './read-site';
import { checkBlacklistPrefixes, checkPhonesInTrunkContexts, checkTargetLoops } from './routing-checks';

export function crossCheck(c: Checker, site: SiteDraft): void {
  checkTiming(c, site);
  checkGroups(c, site);
  checkLimits(c, site);
  checkDigitLimits(c, site);
  checkRoutingAgainstDialplan(c, site);
  checkVariantChoice(c, site);
}

/** Routing against what the generated dialplan does: contexts it hands to the supervisor (targets, phones), blacklist prefixes. */
function checkRoutingAgainstDialplan(c: Checker, site: SiteDraft): void {
  if (site.routing === null) return;
  const contexts = inboundContexts(site);
  checkTargetLoops(c, site.routing.targets, contexts);
  checkPhonesInTrunkContexts(c, phoneGroups(site), site.groups, contexts);
  checkBlacklistPrefixes(c, site.routing.blacklist.callers, 'routing.blacklist.callers');
}

/**
 * Left out, mfcr2_get_ani_first is OpenR2's choice for the variant, which no chan_dahdi value
 * restores: once one span sets it, the R2 spans written after it that do not get "no".
 */
function checkVariantChoice(c: Checker, site: SiteDraft): void {
  const r2 = digitalSpans(site).filter((s) => s.signalling.type === 'mfcr2');
  if (!r2.some((s) => s.settings.mfcr2_get_ani_first !== undefined)) return;
  for (const s of r2.filter((x) => x.settings.mfcr2_get_ani_first === undefined)) {
    c.warn(`${s.path}.mfcr2`, 'has no getAniFirst while another MFC/R2 span sets it: chan_dahdi carries it over and cannot go back to ' +
      'the variant\'s own order, so this span is written mfcr2_get_ani_first= (read as no); say getAniFirst here too');
  }
}

function digitalSpans(site: SiteDraft): SiteDraft['cards'][number]['spans'] {
  return site.cards.flatMap((card) => card.spans);
}

function checkTiming(c: Checker, site: SiteDraft): void {
  const spans = digitalSpans(site);
  const byPriority = new Map<number, string>();
  for (const s of spans) {
    const timing = s.timing ?? 0;
    if (timing === 0) continue;
    const first = byPriority.get(timing);
    if (first !== undefined) {
      c.fail(`${s.path}.timing`, `timing priority ${timing} is also given to ${first}; each clock source needs its own priority (1 first, 2 fallback, ...; 0 = never)`);
    } else {
      byPriority.set(timing, s.path);
    }
    if (!facesNetwork(s.signalling.type)) {
      c.warn(`${s.path}.timing`, `a ${s.signalling.type} span faces equipment that takes clock from us; offering it as clock source ${timing} invites timing slips - use 0`);
    } else if (site.clock === 'internal') {
      c.warn(`${s.path}.timing`, `clock is internal but this span offers itself as clock source ${timing}; DAHDI will follow it`);
    }
  }
  const facing = spans.filter((s) => facesNetwork(s.signalling.type));
  if (site.clock === 'network' && facing.length > 0 && !facing.some((s) => (s.timing ?? 0) > 0)) {
    c.fail(`${facing[0]?.path ?? 'cards'}.timing`, `no carrier-facing span (${facing.map((s) => s.path).join(', ')}) is a clock source: ` +
      'a CPE site must recover clock from the network, or calls click and drop on slips. Give one timing: 1 ' +
      '(or set clock: internal when this box really is the master)');
  }
}

function checkGroups(c: Checker, site: SiteDraft): void {
  const used = new Map<number, Set<string>>();
  const note = (groups: readonly number[], kind: string): void => {
    for (const group of groups) used.set(group, (used.get(group) ?? new Set()).add(kind));
  };
  for (const card of site.cards) {
    for (const s of card.spans) {
      for (const set of s.channels) {
        note(set.groups, s.signalling.type.startsWith('pri') ? 'pri' : s.signalling.type);
        checkContexts(c, site, set.groups, `${s.path}.channels`);
      }
    }
    const portLists = new Map<string, readonly number[]>();
    for (const p of card.analog?.ports ?? []) {
      note(p.groups, p.type === 'fxs' ? 'phone' : 'fxo');
      portLists.set(p.groups.join(','), p.groups);
    }
    // Once per distinct list: ports of one entry share their groups.
    for (const groups of portLists.values()) checkContexts(c, site, groups, `${card.path}.ports`);
  }
  site.groups.forEach((g, i) => {
    const kinds = used.get(g.number);
    if (!kinds) {
      c.warn(`groups[${i}]`, `group ${g.number} (${g.name}) has no channels`);
      return;
    }
    if (kinds.has('phone') && kinds.size > 1) {
      c.fail(`groups[${i}]`, `group ${g.number} (${g.name}) mixes FXS ports (phones) with trunks: dialling DAHDI/g${g.number} would ring a desk phone instead of seizing a line`);
    }
    if (g.presentation === 'passthrough' && [...kinds].some((k) => k !== 'pri' && !k.startsWith('bri'))) {
      c.warn(`groups[${i}].presentation`, 'passthrough (usecallingpres) only works on PRI/BRI channels; the other channels of this group send caller ID as configured');
    }
  });
  site.routes.forEach((r, i) => {
    r.groups.forEach((n, j) => {
      const g = site.groups.find((x) => x.number === n);
      if (g?.direction === 'in') c.fail(`routes[${i}].groups[${j}]`, `group ${g.number} (${g.name}) is inbound-only (direction: in); a route places outbound calls`);
    });
  });
}

/**
 * chan_dahdi keeps one context per channel: a channel in several groups answers in its first
 * group's context, so a later group's different context never applies to it.
 */
function checkContexts(c: Checker, site: SiteDraft, groups: readonly number[], path: string): void {
  const [first, ...rest] = groups.map((n) => site.groups.find((g) => g.number === n));
  if (!first) return;
  for (const other of rest) {
    if (other && other.context !== first.context) {
      c.warn(path, `channels in groups ${groups.join(', ')} answer in ${first.context}, their first group's context; ` +
        `group ${other.number}'s context ${other.context} does not apply to them`);
    }
  }
}

function checkLimits(c: Checker, site: SiteDraft): void {
  // Unused ports count: DAHDI registers them all the same.
  const ports = site.cards.flatMap((card) => [...card.spans, ...card.unused]);
  const spans = ports.length + site.cards.filter((card) => card.analog).length;
  const channels = ports.reduce((n, s) => n + channelsPerSpan(s.line), 0) + site.cards.reduce((n, card) => n + analogChannels(card), 0);
  if (spans > DAHDI_MAX_SPANS) c.fail('cards', `${spans} spans exceed DAHDI's limit of ${DAHDI_MAX_SPANS}`);
  if (channels > DAHDI_MAX_CHANNELS) c.fail('cards', `${channels} channels exceed DAHDI's limit of ${DAHDI_MAX_CHANNELS}`);
}
