// Each span drawn as its frame: one cell per timeslot (E1: TS0 framing, TS16 D-channel or CAS,
// 30 bearers; T1: 24; an analog card: its ports), coloured by the channel's state through one
// class, and the span's header: line and signalling, condition, the alarms in the diag's plain
// words, D-channel, clock source and counter rates. A cell changes by its class only.

import type { ChannelSnapshot } from '../../../supervisor/trunk-map';
import type { PageTexts } from '../page-texts';
import type { LayoutSpan } from '../site-layout';
import { el, fillWith } from './dom';
import { duration, fill, t, type Lang } from './i18n';
import type { PageState } from './state';

export function cellClass(c: ChannelSnapshot): string {
  return `cell bearer s-${c.state}${c.direction ? ` dir-${c.direction}` : ''}`;
}

/** The span's card: header and frame. Cells of bearer channels are handed to `cells` by channel number. */
export function spanCard(s: LayoutSpan, state: PageState, texts: PageTexts, lang: Lang, cells: Map<number, HTMLElement>): HTMLElement {
  const frame = el('div', { class: `frame line-${s.line}` });
  // Through the CSSOM: the page's CSP allows no inline style attribute.
  frame.style.setProperty('--slots', String(s.timeslots.length));
  const special = new Map(s.special.map((x) => [x.timeslot, x.role]));
  for (const ts of s.timeslots) {
    const role = special.get(ts);
    const ch = role === undefined ? state.channelAt(s.span, ts) : undefined;
    const port = s.ports.find((p) => p.port === ts);
    const label = s.line === 'analog' ? `${ts}${port ? ` ${port.type.toUpperCase()}` : ''}` : String(ts);
    if (ch) {
      const cell = el('div', { class: cellClass(ch), 'data-channel': ch.channel, 'data-span': s.span, 'data-ts': ts, tabindex: 0, text: label });
      cells.set(ch.channel, cell);
      frame.append(cell);
    } else {
      frame.append(el('div', { class: `cell ${role ?? 'unused'}`, 'data-span': s.span, 'data-ts': ts, title: t(lang, role ?? 'unused'), text: label }));
    }
  }
  const head = el('header', { class: 'span-head' });
  spanHead(head, s, state, texts, lang);
  return el('article', { class: `span span-${s.line}`, id: `span-${s.span}`, 'data-span': s.span }, [head, frame]);
}

export function spanHead(head: HTMLElement, s: LayoutSpan, state: PageState, texts: PageTexts, lang: Lang): void {
  const sp = state.spans.get(s.span);
  const h = state.health.get(s.span);
  const condition = sp?.condition ?? 'in-service';
  const title = [t(lang, 'span', { span: s.span }), s.line === 'analog' ? t(lang, 'analogPorts') : s.line, s.line === 'analog' ? null : s.signalling, s.card]
    .filter((x): x is string => x !== null && x !== '').join(' · ');
  const badges: HTMLElement[] = [el('span', { class: `badge cond cond-${condition}`, text: t(lang, condition) })];
  if (h?.dchannel) badges.push(el('span', { class: `badge dch dch-${h.dchannel}`, text: t(lang, h.dchannel === 'up' ? 'dUp' : 'dDown') }));
  if (h && s.line !== 'analog') {
    const clock = h.syncSource > 0 ? fill(texts.labels[lang]['span-clock'], { sync: h.syncSource }) : texts.labels[lang].freeRun;
    badges.push(el('span', { class: 'badge clock', text: t(lang, 'clock', { clock }) }));
  }
  if (s.timing !== null && s.timing > 0) badges.push(el('span', { class: 'badge timing', text: t(lang, 'timing', { n: s.timing }) }));
  const facts: HTMLElement[] = [];
  if (h && s.line !== 'analog') facts.push(el('div', { class: 'rates', text: rateText(h.rates, lang) }));
  const findings = (h?.findings ?? []).map((key) => {
    const f = texts.findings[lang][key];
    const vars = { span: s.span, alarms: (h?.alarms ?? []).join('+') };
    return el('li', { class: 'finding', title: `${fill(f.cause, vars)}\n${fill(f.next, vars)}` }, [el('b', { text: fill(f.title, vars) }), ' ', el('span', { text: fill(f.meaning, vars) })]);
  });
  // The TrunkMap's reason (hold-down, a missing span) when the hardware shows no alarm of its own.
  if (findings.length === 0 && condition !== 'in-service' && sp) findings.push(el('li', { class: 'finding', text: sp.reason.join(', ') }));
  fillWith(head, [el('h2', { text: title }), el('div', { class: 'badges' }, badges), ...facts, findings.length > 0 ? el('ul', { class: 'findings' }, findings) : null]);
}

function rateText(rates: Partial<Record<string, number | null>>, lang: Lang): string {
  const entries = Object.entries(rates);
  if (entries.length === 0) return t(lang, 'notMeasured');
  const rising = entries.filter(([, v]) => typeof v === 'number' && v > 0).map(([k, v]) => `${k} ${v}/s`);
  const unknown = entries.filter(([, v]) => v === null).map(([k]) => k);
  return [rising.length > 0 ? rising.join(', ') : t(lang, 'noErrors'), unknown.length > 0 ? t(lang, 'notReported', { names: unknown.join(', ') }) : null]
    .filter((x): x is string => x !== null).join(' · ');
}

/** The tooltip's lines for a cell: where, state, and the call's numbers, direction and duration. */
export function cellTip(state: PageState, span: number, timeslot: number, lang: Lang, now: number): string[] {
  const ch = state.channelAt(span, timeslot);
  const where = `${t(lang, 'span', { span })} TS${timeslot}`;
  if (!ch) return [where];
  const groups = ch.groups.map((g) => state.layout.groups.find((x) => x.group === g)?.name ?? String(g)).join(', ');
  const lines = [`${where} · ${t(lang, 'channel', { n: ch.channel })}${groups ? ` · ${t(lang, 'group')} ${groups}` : ''}`];
  const dir = ch.direction === 'in' ? t(lang, 'inbound') : ch.direction === 'out' ? t(lang, 'outbound') : null;
  lines.push([t(lang, ch.state), dir, `${t(lang, 'duration')} ${duration((now - ch.since) / 1000)}`].filter((x) => x !== null).join(' · '));
  const call = state.callAt.get(`${span}:${timeslot}`);
  if (call && ch.state !== 'idle') lines.push(`${t(lang, 'caller')} ${call.caller || '-'} → ${t(lang, 'called')} ${call.called || '-'}${call.target ? ` (${call.target})` : ''}`);
  return lines;
}
