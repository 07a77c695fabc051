// The side panels: trunk groups (free / in use / blocked, and the channels the job queues keep
// for inbound calls), the active calls, the queued calls dialled since the page opened, the
// campaigns' progress, the last span events as a timeline, and - for operators only - the form
// that places a call.

import { reservedChannels } from '../../../jobs/capacity';
import { el, fillWith } from './dom';
import { duration, t, type Lang } from './i18n';
import type { PageState } from './state';

/** Rows drawn: a table to read, not a second copy of the frames (those show every call). */
const MAX_CALL_ROWS = 50;

export function groupsPanel(box: HTMLElement, state: PageState, lang: Lang): void {
  const rows = state.layout.groups.map((g) => {
    let free = 0;
    let used = 0;
    let blocked = 0;
    for (const c of state.channels.values()) {
      if (!c.groups.includes(g.group)) continue;
      if (c.state === 'idle') free++;
      else if (c.state === 'ringing' || c.state === 'in-call') used++;
      else blocked++;
    }
    const reserve = g.inboundReserve ? reservedChannels(g.inboundReserve, { free, inUse: used, unplaced: 0 }) : null;
    return el('tr', { 'data-group': g.name }, [
      el('th', { text: `${g.group} ${g.name}` }), el('td', { class: 'n free', text: free }), el('td', { class: 'n used', text: used }),
      el('td', { class: 'n blocked', text: blocked }), el('td', { class: 'n reserved', text: reserve ?? '-' }),
    ]);
  });
  fillWith(box, [
    el('h3', { text: t(lang, 'groups') }),
    el('table', {}, [
      el('thead', {}, [el('tr', {}, [el('th', { text: t(lang, 'group') }), el('th', { text: t(lang, 'free') }), el('th', { text: t(lang, 'used') }), el('th', { text: t(lang, 'blocked') }), el('th', { text: t(lang, 'reserved') })])]),
      el('tbody', {}, rows),
    ]),
  ]);
}

export function callsPanel(box: HTMLElement, state: PageState, lang: Lang, now: number): void {
  const calls = [...state.calls.values()].sort((a, b) => (a.span ?? 0) - (b.span ?? 0) || (a.timeslot ?? 0) - (b.timeslot ?? 0));
  const rows = calls.slice(0, MAX_CALL_ROWS).map((c) => el('tr', { 'data-call': c.channelId }, [
    el('td', { text: `${c.span ?? '-'} / ${c.timeslot ?? '-'}` }),
    el('td', { text: t(lang, c.direction) }),
    el('td', { text: c.caller || '-' }),
    el('td', { text: c.called || '-' }),
    el('td', { text: c.target || '-' }),
    el('td', { class: 'n', text: duration((now - (c.answerAt ?? c.ringAt)) / 1000) }),
  ]));
  fillWith(box, [
    el('h3', { text: `${t(lang, 'calls')} (${calls.length})` }),
    calls.length === 0 ? el('p', { class: 'empty', text: t(lang, 'noCalls') }) : el('div', { class: 'rows' }, [el('table', {}, [
      el('thead', {}, [el('tr', {}, (['where', 'direction', 'caller', 'called', 'target', 'duration'] as const).map((k) => el('th', { text: t(lang, k) })))]),
      el('tbody', {}, rows),
    ])]),
    calls.length > MAX_CALL_ROWS ? el('p', { class: 'more', text: t(lang, 'more', { n: calls.length - MAX_CALL_ROWS }) }) : null,
  ]);
}

export function timelinePanel(box: HTMLElement, state: PageState, lang: Lang): void {
  const items = [...state.timeline].reverse().map((e) => el('li', { class: `tl tl-${e.state}` }, [
    el('time', { text: new Date(e.at).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB') }), ' ',
    el('b', { text: t(lang, 'span', { span: e.span }) }), ' ',
    e.state === 'in-service' ? t(lang, 'backInService') : `${t(lang, e.state)}: ${e.reason.join(', ')}`,
  ]));
  fillWith(box, [el('h3', { text: t(lang, 'timeline') }), items.length === 0 ? el('p', { class: 'empty', text: t(lang, 'noAlarms') }) : el('ol', {}, items)]);
}

export function jobsPanel(box: HTMLElement, state: PageState, lang: Lang): void {
  const rows = [...state.jobs.entries()].map(([group, c]) => el('li', {}, [
    el('b', { text: group }), ` ${t(lang, 'dialling')} ${c.dialling.size}`,
    ...[...c.settled.entries()].map(([outcome, n]) => ` · ${outcome} ${n}`),
  ]));
  fillWith(box, [el('h3', { text: t(lang, 'jobs') }), rows.length === 0 ? el('p', { class: 'empty', text: t(lang, 'noJobs') }) : el('ul', {}, rows)]);
}

export function campaignsPanel(box: HTMLElement, state: PageState, lang: Lang): void {
  const rows = state.campaigns.map((p) => el('tr', { 'data-campaign': p.campaign.id }, [
    el('th', { text: `${p.campaign.name} (${p.campaign.group})` }), el('td', { class: 'status', text: t(lang, `campaign-${p.campaign.status}` as const) }),
    el('td', { class: 'n pending', text: p.pending }), el('td', { class: 'n in-progress', text: p.inProgress }),
    el('td', { class: 'n answered', text: p.answered }), el('td', { class: 'n failed', text: p.failed }),
  ]));
  fillWith(box, [
    el('h3', { text: t(lang, 'campaigns') }),
    rows.length === 0 ? el('p', { class: 'empty', text: t(lang, 'noCampaigns') }) : el('table', {}, [
      el('tr', {}, ['', t(lang, 'status'), t(lang, 'pending'), t(lang, 'inProgress'), t(lang, 'answered'), t(lang, 'failed')].map((h) => el('th', { text: h }))),
      ...rows,
    ]),
  ]);
}

/** The originate form (operators and admins; the server refuses viewers whatever the page shows). */
export function originateForm(state: PageState, lang: Lang, submit: (body: Record<string, string>) => Promise<string>): HTMLElement {
  const groups = state.layout.groups.filter((g) => g.direction !== 'in');
  const out = el('p', { class: 'result', role: 'status' });
  const form = el('form', { id: 'originate', class: 'originate' }, [
    el('h3', { text: t(lang, 'originate') }),
    el('label', {}, [t(lang, 'group'), el('select', { name: 'group', required: true }, groups.map((g) => el('option', { value: g.name, text: g.name })))]),
    el('label', {}, [t(lang, 'number'), el('input', { name: 'number', required: true, autocomplete: 'off', inputmode: 'tel' })]),
    el('label', {}, [t(lang, 'callerId'), el('input', { name: 'callerId', autocomplete: 'off' })]),
    el('label', {}, [t(lang, 'targetOpt'), el('input', { name: 'target', autocomplete: 'off' })]),
    el('button', { type: 'submit', text: t(lang, 'place') }),
    out,
  ]);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const body: Record<string, string> = {};
    for (const key of ['group', 'number', 'callerId', 'target']) {
      const v = String(data.get(key) ?? '').trim();
      if (v !== '') body[key] = v;
    }
    out.textContent = '…';
    submit(body).then((text) => (out.textContent = text), (err: unknown) => (out.textContent = err instanceof Error ? err.message : String(err)));
  });
  return form;
}
