// The events WebSocket (GET /ari/events?app=a,b&api_key=user:pass[&subscribeAll=true]): checks
// the upgrade as res_ari does (401 without valid credentials, 400 without app), registers the
// Stasis applications while their socket is open (the newest socket of an app gets its events),
// and sends every event as JSON with type, timestamp, application and asterisk_id.
//
// Each event is its own WebSocket frame, as Asterisk sends it; the frames one turn of the event
// loop makes for a socket leave in one write (the socket is corked until the turn ends or a REST
// answer goes out, see flush). Same bytes and order; a write per frame was the largest single
// cost of the bench with the stand-in in the supervisor's process, and the reader pays one read
// per write too.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { ariTimestamp } from './timestamp';

export interface EventSession {
  readonly ws: WebSocket;
  /** The upgraded connection under `ws`: corked while frames are being gathered. */
  readonly socket: Duplex;
  readonly apps: readonly string[];
  readonly subscribeAll: boolean;
}

export type Credentials = (user: string, password: string) => boolean;

export class EventsHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<EventSession>();
  /** App name -> the socket that gets its events (the newest). */
  private readonly owners = new Map<string, EventSession>();
  /** Sessions whose socket is corked with frames of this turn, uncorked by flush(). */
  private readonly holding = new Set<EventSession>();
  private readonly flushSoon = (): void => this.flush();
  /** ariTimestamp of the last `now()`: many events share a millisecond. */
  private stamp = { ms: Number.NaN, text: '' };

  constructor(
    private readonly checkCredentials: Credentials,
    private readonly asteriskId: string,
    private readonly now: () => number,
  ) {}

  /** Handles an HTTP upgrade on /ari/events; `basicAuth` is the Authorization header check. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, basicAuth: boolean): void {
    if (!basicAuth && !this.apiKeyOk(url.searchParams.get('api_key'))) return reject(socket, 401, 'Unauthorized', 'Authentication required');
    const apps = (url.searchParams.get('app') ?? '').split(',').map((a) => a.trim()).filter((a) => a.length > 0);
    if (apps.length === 0) return reject(socket, 400, 'Bad Request', 'Missing param: app');
    const subscribeAll = url.searchParams.get('subscribeAll') === 'true';
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session: EventSession = { ws, socket, apps, subscribeAll };
      this.sessions.add(session);
      for (const app of apps) this.owners.set(app, session);
      ws.on('close', () => this.forget(session));
      ws.on('error', () => this.forget(session));
    });
  }

  /** Registered Stasis applications (an app with an open socket). */
  apps(): string[] {
    return [...this.owners.keys()];
  }

  isRegistered(app: string): boolean {
    return this.owners.has(app);
  }

  /** Apps among `apps` that are registered, plus every subscribeAll app. */
  audience(apps: Iterable<string>): string[] {
    const out = new Set<string>();
    for (const app of apps) if (this.owners.has(app)) out.add(app);
    for (const [app, session] of this.owners) if (session.subscribeAll) out.add(app);
    return [...out];
  }

  /**
   * Sends the event to each app in `apps` that has a socket: the text JSON.stringify gives for
   * `{ type, timestamp, ...fields, asterisk_id, application }`, put together from `fields`
   * rendered once (no copy of the event object per app). `fields` never holds those four keys.
   */
  publish(type: string, fields: Record<string, unknown>, apps: Iterable<string>): void {
    let members: string | null = null;
    for (const app of apps) {
      const session = this.owners.get(app);
      if (!session || session.ws.readyState !== WebSocket.OPEN) continue;
      if (members === null) {
        const text = JSON.stringify(fields);
        members = text === '{}' ? '' : `,${text.slice(1, -1)}`;
      }
      this.send(session, `{"type":${JSON.stringify(type)},"timestamp":${JSON.stringify(this.timestamp())}${members},"asterisk_id":${JSON.stringify(this.asteriskId)},"application":${JSON.stringify(app)}}`);
    }
  }

  /**
   * Writes out the frames gathered so far. Called at the end of each turn, and by the HTTP
   * server before a REST answer, so events a request caused are written before its answer, as
   * when each frame was written at once.
   */
  flush(): void {
    for (const s of this.holding) s.socket.uncork();
    this.holding.clear();
  }

  private send(session: EventSession, text: string): void {
    if (!this.holding.has(session)) {
      if (this.holding.size === 0) process.nextTick(this.flushSoon);
      this.holding.add(session);
      session.socket.cork();
    }
    session.ws.send(text);
  }

  private timestamp(): string {
    const ms = this.now();
    if (ms !== this.stamp.ms) this.stamp = { ms, text: ariTimestamp(ms) };
    return this.stamp.text;
  }

  /** Test control: raw text to every open socket (malformed events). */
  sendRaw(text: string): number {
    let sent = 0;
    for (const s of this.sessions) {
      if (s.ws.readyState === WebSocket.OPEN) {
        this.send(s, text);
        sent++;
      }
    }
    return sent;
  }

  /** Test control: a well-formed event of a type ARI does not define, to every app. */
  sendUnknown(type: string): number {
    let sent = 0;
    for (const [app, s] of this.owners) {
      if (s.ws.readyState !== WebSocket.OPEN) continue;
      this.send(s, JSON.stringify({ type, timestamp: this.timestamp(), asterisk_id: this.asteriskId, application: app }));
      sent++;
    }
    return sent;
  }

  /** Cuts every socket (no close handshake), as a dead TCP connection or a crash would. */
  dropAll(): number {
    // What was sent before the cut reached the wire, as with a frame written at once.
    this.flush();
    const n = this.sessions.size;
    for (const s of [...this.sessions]) {
      s.ws.terminate();
      this.forget(s);
    }
    return n;
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private forget(session: EventSession): void {
    if (!this.sessions.delete(session)) return;
    for (const app of session.apps) {
      if (this.owners.get(app) !== session) continue;
      // Hand the app back to an older socket still open for it, if any.
      const older = [...this.sessions].reverse().find((s) => s.apps.includes(app));
      if (older) this.owners.set(app, older);
      else this.owners.delete(app);
    }
  }

  private apiKeyOk(key: string | null): boolean {
    if (key === null) return false;
    const colon = key.indexOf(':');
    if (colon < 0) return false;
    // searchParams already undid the client's encodeURIComponent; split at the first colon.
    return this.checkCredentials(key.slice(0, colon), key.slice(colon + 1));
  }
}

function reject(socket: Duplex, status: number, text: string, message: string): void {
  const body = JSON.stringify({ message });
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
