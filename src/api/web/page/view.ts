// The signed-in page: the span frames and the side panels, drawn from the PageState. Events only
// mark what changed; one requestAnimationFrame a frame draws the cells (a class each) and span
// headers, so 960 cells churning at full load cost a few class changes per frame, not a layout
// per event. The panels (groups, calls, jobs, timeline) are tables a person reads, redrawn at
// most every PANEL_MS; the tooltip and the call durations tick once a second.

import type { PageTexts } from '../page-texts';
import { el, fillWith } from './dom';
import { cellClass, cellTip, spanCard, spanHead } from './frames';
import { t, type Lang } from './i18n';
import { callsPanel, campaignsPanel, groupsPanel, jobsPanel, originateForm, timelinePanel } from './panels';
import type { Me } from './session';
import type { StreamStatus } from './sse';
import type { PageState } from './state';

const PANEL_MS = 250;

export interface ViewActions {
  setLang(lang: Lang): void;
  signOut(): void;
  originate(body: Record<string, string>): Promise<string>;
}

export class BoardView {
  readonly root: HTMLElement;
  private readonly cells = new Map<number, HTMLElement>();
  private readonly heads = new Map<number, HTMLElement>();
  private readonly spansBox = el('section', { id: 'spans', class: 'spans' });
  private readonly groupsBox = el('section', { id: 'groups', class: 'panel' });
  private readonly callsBox = el('section', { id: 'calls', class: 'panel' });
  private readonly jobsBox = el('section', { id: 'jobs', class: 'panel' });
  private readonly campaignsBox = el('section', { id: 'campaigns', class: 'panel' });
  private readonly timelineBox = el('section', { id: 'timeline', class: 'panel' });
  private readonly formBox = el('section', { id: 'operator', class: 'panel' });
  private readonly conn = el('span', { id: 'conn', class: 'conn' });
  private readonly tip = el('div', { id: 'tip', class: 'tip', role: 'tooltip', hidden: true });
  private tipAt: { span: number; ts: number; cell: HTMLElement } | null = null;
  private frameRequested = false;
  private readonly ticker: number;
  private ticks = 0;
  private groupsDirty = false;
  private status: StreamStatus = 'connecting';

  constructor(private readonly state: PageState, private readonly texts: PageTexts, private lang: Lang, private readonly me: Me, private readonly actions: ViewActions) {
    this.root = el('div', { id: 'board', class: 'board' });
    this.spansBox.addEventListener('pointerover', (e) => this.hover(e));
    // A finger lifted also "leaves": a tapped cell keeps its tooltip until the next tap.
    this.spansBox.addEventListener('pointerleave', (e) => e.pointerType === 'mouse' && this.hideTip());
    this.spansBox.addEventListener('click', (e) => this.hover(e));
    this.spansBox.addEventListener('focusin', (e) => this.hover(e));
    this.ticker = window.setInterval(() => this.tick(), PANEL_MS);
    this.drawAll();
  }

  destroy(): void {
    window.clearInterval(this.ticker);
    this.root.remove();
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.state.full = true;
    this.schedule();
  }

  setStatus(status: StreamStatus, why?: string): void {
    this.status = status;
    this.conn.className = `conn conn-${status}`;
    this.conn.textContent = t(this.lang, status === 'live' ? 'live' : status === 'connecting' ? 'connecting' : 'retrying');
    this.conn.title = why ?? '';
  }

  /** Asks for one drawing at the next animation frame (several events, one drawing). */
  schedule(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.draw();
    });
  }

  private draw(): void {
    const s = this.state;
    if (s.full) {
      this.drawAll();
      return;
    }
    const channelsChanged = s.dirtyChannels.size > 0;
    for (const n of s.dirtyChannels) {
      const c = s.channels.get(n);
      const cell = this.cells.get(n);
      if (c && cell) cell.className = cellClass(c);
    }
    s.dirtyChannels.clear();
    for (const span of s.dirtySpans) {
      const head = this.heads.get(span);
      const layout = s.layout.spans.find((x) => x.span === span);
      if (head && layout) spanHead(head, layout, s, this.texts, this.lang);
    }
    s.dirtySpans.clear();
    this.groupsDirty ||= channelsChanged;
    if (this.tipAt && (channelsChanged || s.dirtyCalls)) this.showTip();
  }

  /** Every PANEL_MS: the panels that changed; once a second, the durations shown. */
  private tick(): void {
    const s = this.state;
    const second = ++this.ticks % Math.round(1000 / PANEL_MS) === 0;
    if (this.groupsDirty) groupsPanel(this.groupsBox, s, this.lang);
    if (s.dirtyCalls || (second && s.calls.size > 0)) callsPanel(this.callsBox, s, this.lang, Date.now());
    if (s.dirtyTimeline) timelinePanel(this.timelineBox, s, this.lang);
    if (s.dirtyJobs) jobsPanel(this.jobsBox, s, this.lang);
    if (s.dirtyCampaigns) campaignsPanel(this.campaignsBox, s, this.lang);
    this.groupsDirty = s.dirtyCalls = s.dirtyTimeline = s.dirtyJobs = s.dirtyCampaigns = false;
    if (second && this.tipAt) this.showTip();
  }

  private drawAll(): void {
    const s = this.state;
    const lang = this.lang;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${t(lang, 'title')}${s.layout.site ? ` - ${s.layout.site}` : ''}`;
    this.cells.clear();
    this.heads.clear();
    fillWith(this.spansBox, s.layout.spans.map((sp) => {
      const card = spanCard(sp, s, this.texts, lang, this.cells);
      this.heads.set(sp.span, card.querySelector('header') as HTMLElement);
      return card;
    }));
    groupsPanel(this.groupsBox, s, lang);
    callsPanel(this.callsBox, s, lang, Date.now());
    timelinePanel(this.timelineBox, s, lang);
    jobsPanel(this.jobsBox, s, lang);
    campaignsPanel(this.campaignsBox, s, lang);
    const operator = this.me.role === 'operator' || this.me.role === 'admin';
    fillWith(this.formBox, [operator ? originateForm(s, lang, this.actions.originate) : null]);
    this.formBox.hidden = !operator;
    const who = `${this.me.name} (${this.me.role}${operator ? '' : `, ${t(lang, 'readOnly')}`})`;
    const langButton = el('button', { id: 'lang', type: 'button', text: t(lang, 'language') });
    langButton.addEventListener('click', () => this.actions.setLang(lang === 'zh' ? 'en' : 'zh'));
    const out = el('button', { id: 'signout', type: 'button', text: t(lang, 'signOut') });
    out.addEventListener('click', () => this.actions.signOut());
    this.setStatus(this.status, this.conn.title);
    fillWith(this.root, [
      el('header', { class: 'top' }, [el('h1', { text: t(lang, 'title') }), el('span', { class: 'site', text: s.layout.site }), this.conn, el('span', { id: 'who', class: 'who', text: who }), langButton, out]),
      legend(lang),
      el('main', { class: 'main' }, [this.spansBox, el('aside', { class: 'side' }, [this.groupsBox, this.formBox, this.callsBox, this.jobsBox, this.campaignsBox, this.timelineBox])]),
      this.tip,
    ]);
    s.full = false;
    s.dirtyChannels.clear();
    s.dirtySpans.clear();
    this.groupsDirty = s.dirtyCalls = s.dirtyTimeline = s.dirtyJobs = s.dirtyCampaigns = false;
    if (this.tipAt) {
      const cell = this.spansBox.querySelector<HTMLElement>(`.cell[data-span="${this.tipAt.span}"][data-ts="${this.tipAt.ts}"]`);
      if (cell) this.tipAt.cell = cell;
      else this.hideTip();
      this.showTip();
    }
  }

  private hover(e: Event): void {
    const cell = (e.target as Element | null)?.closest<HTMLElement>('.cell');
    if (!cell) {
      if (e.type === 'click') this.hideTip();
      return;
    }
    this.tipAt = { span: Number(cell.dataset.span), ts: Number(cell.dataset.ts), cell };
    this.showTip();
  }

  private showTip(): void {
    const at = this.tipAt;
    if (!at) return;
    fillWith(this.tip, cellTip(this.state, at.span, at.ts, this.lang, Date.now()).map((line) => el('div', { text: line })));
    const r = at.cell.getBoundingClientRect();
    this.tip.style.left = `${Math.round(r.left + window.scrollX)}px`;
    this.tip.style.top = `${Math.round(r.bottom + window.scrollY + 4)}px`;
    this.tip.hidden = false;
  }

  private hideTip(): void {
    this.tipAt = null;
    this.tip.hidden = true;
  }

}

function legend(lang: Lang): HTMLElement {
  const items = (['idle', 'ringing', 'in-call', 'blocked-alarm', 'maintenance'] as const).map((k) => el('span', { class: 'key' }, [el('i', { class: `cell bearer s-${k}` }), t(lang, k)]));
  const fixed = (['framing', 'dchannel', 'cas', 'unused'] as const).map((k) => el('span', { class: 'key' }, [el('i', { class: `cell ${k}` }), t(lang, k)]));
  return el('div', { class: 'legend', 'aria-label': t(lang, 'legend') }, [...items, ...fixed]);
}
