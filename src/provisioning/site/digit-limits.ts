// Numbers the routing expects against the digits the spans deliver. An MFC/R2 span asks the
// carrier for at most maxAni caller digits and maxDnis called digits (OpenR2 stops there), so a
// caller ID is cut to maxAni digits: a VIP, blacklist or rule pattern that needs more never
// matches calls from that span. PRI and analog lines carry the whole number and set no limit.

import type { Checker } from '../../validation/checker';
import type { SiteDraft } from './read-site';

type SpanDraft = SiteDraft['cards'][number]['spans'][number];

/**
 * The fewest digits a number as received needs for the pattern to match it: a plain prefix its
 * length, an Asterisk pattern one per position ('.' one, '!' none). A '+' pattern is matched in
 * E.164 form, which the site's numbering builds by adding the country code the carrier leaves
 * out; null when there is no country code to count.
 */
export function minDigits(pattern: string, countryCode: string | null): number | null {
  let body = pattern.startsWith('_') ? pattern.slice(1) : pattern;
  const e164 = body.startsWith('+');
  if (e164) body = body.slice(1);
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '!') continue;
    if (body[i] === '[') i = Math.max(i, body.indexOf(']', i));
    n++;
  }
  if (!e164) return n;
  return countryCode === null ? null : n - countryCode.length;
}

interface Limited {
  span: SpanDraft;
  maxAni: number;
  maxDnis: number;
}

/** MFC/R2 spans that take inbound calls, with the groups their channels are in. */
function r2Spans(site: SiteDraft): Limited[] {
  const outOnly = new Set(site.groups.filter((g) => g.direction === 'out').map((g) => g.number));
  return site.cards.flatMap((card) => card.spans).flatMap((span): Limited[] => {
    const sig = span.signalling;
    if (sig.type !== 'mfcr2') return [];
    const groups = span.channels.flatMap((set) => set.groups);
    if (groups.length > 0 && groups.every((g) => outOnly.has(g))) return [];
    return [{ span, maxAni: sig.maxAni, maxDnis: sig.maxDnis }];
  });
}

function reaches(span: SpanDraft, groups: readonly number[]): boolean {
  return groups.length === 0 || span.channels.some((set) => set.groups.some((g) => groups.includes(g)));
}

export function checkDigitLimits(c: Checker, site: SiteDraft): void {
  const routing = site.routing;
  const spans = r2Spans(site);
  if (routing === null || spans.length === 0) return;
  const country = routing.numbering?.country ?? null;
  const check = (patterns: readonly string[], path: string, groups: readonly number[], kind: 'ani' | 'dnis'): void => {
    patterns.forEach((pattern, i) => {
      const needed = minDigits(pattern, country);
      if (needed === null) return;
      const short = spans.filter((s) => reaches(s.span, groups) && (kind === 'ani' ? s.maxAni : s.maxDnis) < needed);
      if (short.length === 0) return;
      const key = kind === 'ani' ? 'maxAni' : 'maxDnis';
      const what = kind === 'ani' ? 'caller-ID' : 'called-number';
      const where = short.map((s) => `span ${s.span.span} (${s.span.path}.mfcr2.${key}: ${kind === 'ani' ? s.maxAni : s.maxDnis})`).join(', ');
      c.warn(`${path}[${i}]`, `"${pattern}" needs at least ${needed} digits but MFC/R2 ${where} deliver${short.length === 1 ? 's' : ''} fewer ${what} digits: ` +
        `those calls are cut short and never match; raise ${key} to ${needed} or more`);
    });
  };
  routing.inbound.forEach((rule, i) => {
    check(rule.callerId, `routing.inbound[${i}].callerId`, rule.groups, 'ani');
    check(rule.did, `routing.inbound[${i}].did`, rule.groups, 'dnis');
  });
  routing.vip.forEach((list, i) => check(list.callers, `routing.vip[${i}].callers`, [], 'ani'));
  check(routing.blacklist.callers, 'routing.blacklist.callers', [], 'ani');
}
