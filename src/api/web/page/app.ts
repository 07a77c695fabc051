// The status page's entry (bundled by esbuild into dist/web/app.js, its style sheet app.css beside it): the login form, then the
// board fed by the live event stream. The token lives in sessionStorage and goes as a bearer
// token on every request; a refused token brings the login form back with a message.

import type { PageTexts } from '../page-texts';
import { el, fillWith } from './dom';
import { pickLang, t, type Lang } from './i18n';
import { AuthRefused, Session } from './session';
import { EventReader } from './sse';
import { PageState, type CampaignProgressView } from './state';
import { BoardView } from './view';

const LANG_KEY = 'tdmgate.lang';

class App {
  private lang: Lang = pickLang(localStorage.getItem(LANG_KEY), navigator.language);
  private readonly session = new Session(sessionStorage);
  private reader: EventReader | null = null;
  private view: BoardView | null = null;
  private campaigns: CampaignLoader | null = null;

  constructor(private readonly texts: PageTexts) {}

  run(): void {
    if (this.session.token) void this.start();
    else this.login('');
  }

  private login(message: string): void {
    this.reader?.stop();
    this.reader = null;
    this.view?.destroy();
    this.view = null;
    const lang = this.lang;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t(lang, 'title');
    const input = el('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
    const msg = el('p', { id: 'login-message', class: 'message', role: 'alert', text: message });
    const langButton = el('button', { id: 'lang', type: 'button', text: t(lang, 'language') });
    langButton.addEventListener('click', () => {
      this.setLang(lang === 'zh' ? 'en' : 'zh');
      this.login(message);
    });
    const form = el('form', { id: 'login', class: 'login' }, [
      el('h1', { text: t(lang, 'title') }),
      el('label', { for: 'token', text: t(lang, 'tokenLabel') }), input,
      el('button', { type: 'submit', text: t(lang, 'signIn') }), langButton, msg,
      el('p', { class: 'help', text: t(lang, 'loginHelp') }),
    ]);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const token = input.value.trim();
      if (token === '') {
        msg.textContent = t(this.lang, 'tokenEmpty');
        return;
      }
      this.session.set(token);
      void this.start();
    });
    fillWith(document.body, [form]);
    input.focus();
  }

  private setLang(lang: Lang): void {
    this.lang = lang;
    localStorage.setItem(LANG_KEY, lang);
  }

  private refused(): void {
    this.session.clear();
    this.login(t(this.lang, 'tokenRefused'));
  }

  private async start(): Promise<void> {
    let me;
    try {
      me = await this.session.me();
    } catch (err) {
      if (err instanceof AuthRefused) return this.refused();
      this.session.clear();
      return this.login(t(this.lang, 'serverAway', { why: err instanceof Error ? err.message : String(err) }));
    }
    const state = new PageState();
    const view = new BoardView(state, this.texts, this.lang, me, {
      setLang: (lang) => {
        this.setLang(lang);
        view.setLang(lang);
      },
      signOut: () => {
        this.session.clear();
        this.login('');
      },
      originate: (body) => this.originate(body),
    });
    this.view = view;
    fillWith(document.body, [view.root]);
    this.reader = new EventReader('/api/v1/events', () => this.session.headers(), {
      onEvents: (events) => {
        for (const e of events) state.apply(e.event, JSON.parse(e.data) as unknown);
        // A queued call settled: a campaign's counts moved (read again, no polling).
        if (events.some((e) => e.event === 'job' && e.data.includes('"kind":"settled"'))) this.campaigns?.refresh();
        view.schedule();
      },
      onStatus: (status, why) => view.setStatus(status, why),
      onRefused: () => this.refused(),
    });
    this.reader.start();
    this.campaigns = new CampaignLoader(this.session, (list) => {
      state.setCampaigns(list);
      view.schedule();
    });
    this.campaigns.refresh();
  }

  private async originate(body: Record<string, string>): Promise<string> {
    try {
      const res = await this.session.request('/api/v1/calls', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
      const answer = (await res.json().catch(() => ({}))) as { detail?: string; title?: string; callId?: string; id?: string };
      if (!res.ok) return t(this.lang, 'refused', { why: answer.detail ?? answer.title ?? `HTTP ${res.status}` });
      return t(this.lang, 'placed', { id: answer.callId ?? answer.id ?? '' });
    } catch (err) {
      if (err instanceof AuthRefused) {
        this.refused();
        return '';
      }
      throw err;
    }
  }
}

async function boot(): Promise<void> {
  const res = await fetch('/assets/texts.json');
  new App((await res.json()) as PageTexts).run();
}

void boot();

/**
 * The newest campaigns (SHOWN_CAMPAIGNS) with their progress, read from the API at sign-in and
 * again after a queued call settles: one read at a time, one more if asked meanwhile. The queues
 * off (503) is no campaign.
 */
/** A panel to read, not the campaign list: the newest few. */
const SHOWN_CAMPAIGNS = 10;

class CampaignLoader {
  private busy = false;
  private again = false;

  constructor(private readonly session: Session, private readonly show: (list: CampaignProgressView[]) => void) {}

  refresh(): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.load().then(this.show, () => undefined).finally(() => {
      this.busy = false;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    });
  }

  private async load(): Promise<CampaignProgressView[]> {
    const res = await this.session.request('/api/v1/campaigns', { headers: { Accept: 'application/json' } });
    if (!res.ok) return [];
    const { campaigns } = (await res.json()) as { campaigns: { id: string; created: string }[] };
    const shown = [...campaigns].sort((a, b) => b.created.localeCompare(a.created)).slice(0, SHOWN_CAMPAIGNS);
    const progress = await Promise.all(shown.map(async (c) => {
      const r = await this.session.request(`/api/v1/campaigns/${encodeURIComponent(c.id)}`, { headers: { Accept: 'application/json' } });
      return r.ok ? [(await r.json()) as CampaignProgressView] : [];
    }));
    return progress.flat();
  }
}
