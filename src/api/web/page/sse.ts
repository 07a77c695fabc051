// The live event stream read with fetch() and a stream reader rather than EventSource, which
// cannot send an Authorization header. Parses server-sent events (id, event, data, retry) and
// reconnects after the server's `retry` with Last-Event-ID, so the server resumes where the page
// left off (or sends a fresh snapshot when that is gone). A browser that goes offline (a tablet
// off the Wi-Fi) drops the stream at once rather than showing a stale page as live, and
// reconnects as soon as it is back online.

export interface SseEvent {
  event: string;
  data: string;
}

export type StreamStatus = 'connecting' | 'live' | 'retrying';

export interface StreamHandlers {
  onEvents(events: SseEvent[]): void;
  onStatus(status: StreamStatus, why?: string): void;
  /** The token was refused: the reader stops. */
  onRefused(): void;
}

export class EventReader {
  private lastId: string | null = null;
  private retryMs = 2000;
  private abort: AbortController | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private readonly offline = (): void => this.abort?.abort();
  private readonly online = (): void => this.wake?.();

  constructor(private readonly url: string, private readonly headers: () => Record<string, string>, private readonly h: StreamHandlers) {}

  start(): void {
    window.addEventListener('offline', this.offline);
    window.addEventListener('online', this.online);
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('offline', this.offline);
    window.removeEventListener('online', this.online);
    this.abort?.abort();
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.h.onStatus('connecting');
      let why = 'the stream ended';
      try {
        this.abort = new AbortController();
        const headers = { ...this.headers(), Accept: 'text/event-stream', ...(this.lastId === null ? {} : { 'Last-Event-ID': this.lastId }) };
        const res = await fetch(this.url, { headers, signal: this.abort.signal, cache: 'no-store' });
        if (res.status === 401) {
          this.stopped = true;
          this.h.onRefused();
          return;
        }
        if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status}`);
        this.h.onStatus('live');
        await this.read(res.body);
      } catch (err) {
        why = err instanceof Error ? err.message : String(err);
      }
      if (this.stopped) return;
      this.h.onStatus('retrying', why);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.wake?.(), this.retryMs);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let event = 'message';
    let data: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const out: SseEvent[] = [];
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        if (line === '') {
          if (data.length > 0) out.push({ event, data: data.join('\n') });
          event = 'message';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const v = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = v;
        else if (field === 'data') data.push(v);
        else if (field === 'id') this.lastId = v;
        else if (field === 'retry' && /^\d+$/.test(v)) this.retryMs = Number(v);
      }
      // One hand-over per chunk read: a burst of events becomes one batch for the page.
      if (out.length > 0) this.h.onEvents(out);
    }
  }
}
