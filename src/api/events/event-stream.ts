// GET /api/v1/events: the live event stream as server-sent events. A new client first gets a
// `snapshot` event (the state to draw, under the newest event's id), then every event; a client
// that reconnects with Last-Event-ID gets what it missed from the journal, or - when that is
// gone (too old, or the supervisor restarted) - a fresh snapshot. Slow clients are dropped, not
// waited for: once more than `maxBufferedBytes` still wait in a client's socket from earlier
// turns its connection is closed (it reconnects and resumes), so memory stays bounded by the journal plus that limit
// per client. A comment line every `heartbeatMs` keeps proxies from closing an idle stream.

import type { Request, Response } from 'express';
import type { EventJournal, StreamEvent } from './event-journal';

export interface EventStreamOptions {
  journal: EventJournal;
  /** The state a client starts from: the TrunkMap snapshot (spans, channels, groups). */
  snapshot: () => unknown;
  /** Bytes a client may have waiting before it is dropped (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Default 15 s. */
  heartbeatMs?: number;
  /** What the browser waits before reconnecting (the SSE `retry:` field; default 2 s). */
  retryMs?: number;
}

export interface EventStreamStats {
  clients: number;
  connected: number;
  /** Clients dropped for not keeping up. */
  dropped: number;
  resumed: number;
  snapshots: number;
}

export class EventStreamRequestError extends Error {
  readonly code = 'INVALID_REQUEST';
  constructor(readonly field: string, message: string, readonly allowed: string) {
    super(message);
    this.name = 'EventStreamRequestError';
  }
}

export class EventStream {
  readonly stats: EventStreamStats = { clients: 0, connected: 0, dropped: 0, resumed: 0, snapshots: 0 };
  private readonly maxBuffered: number;
  private readonly heartbeatMs: number;
  private readonly retryMs: number;

  constructor(private readonly o: EventStreamOptions) {
    this.maxBuffered = o.maxBufferedBytes ?? 1024 * 1024;
    this.heartbeatMs = o.heartbeatMs ?? 15_000;
    this.retryMs = o.retryMs ?? 2_000;
  }

  /** Events made since start (the newest event's sequence number). */
  get eventsMade(): number {
    return this.o.journal.lastSeq;
  }

  /**
   * Serves one client on an open response: `types` = the event types it asked for (null: all),
   * `lastEventId` = the Last-Event-ID header or query parameter it resumes from.
   */
  serve(req: Request, res: Response, types: ReadonlySet<string> | null, lastEventId: string | undefined): void {
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    this.stats.clients++;
    this.stats.connected++;
    let open = true;
    // Measured before each write: what still waits from earlier turns is what the client has not
    // taken; one large turn's worth on a client that keeps up is not a reason to drop it.
    const write = (text: string): void => {
      if (!open) return;
      if (res.writableLength > this.maxBuffered) {
        this.stats.dropped++;
        close();
        res.destroy();
        return;
      }
      res.write(text);
    };
    // The snapshot or the replay below covers every event up to now; a batch still to come may
    // hold some of them (appended earlier in this turn), which this client must not get twice.
    const covered = this.o.journal.lastSeq;
    const send = (events: readonly StreamEvent[]): void => {
      let text = '';
      for (const e of events) if (e.seq > covered && (types === null || types.has(e.type))) text += e.frame;
      if (text !== '') write(text);
    };
    // Subscribed before the snapshot is taken: nothing that happens after it is missed.
    const unsubscribe = this.o.journal.subscribe(send);
    const heartbeat = setInterval(() => write(': ping\n\n'), this.heartbeatMs);
    heartbeat.unref();
    const close = (): void => {
      if (!open) return;
      open = false;
      this.stats.clients--;
      clearInterval(heartbeat);
      unsubscribe();
    };
    res.on('close', close);

    let text = `retry: ${this.retryMs}\n\n`;
    const resume = lastEventId === undefined ? null : this.o.journal.since(lastEventId);
    if (resume?.kind === 'events') {
      this.stats.resumed++;
      for (const e of resume.events) if (types === null || types.has(e.type)) text += e.frame;
    } else {
      this.stats.snapshots++;
      const why = resume === null ? 'new client' : resume.why;
      text += `id: ${this.o.journal.lastId}\nevent: snapshot\ndata: ${JSON.stringify({ why, state: this.o.snapshot() })}\n\n`;
    }
    write(text);
  }
}
