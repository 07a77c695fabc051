// The ARI adapter: the only file that imports ari-client 2.2.0, and the guard around its traps
// (docs/supervisor.md, "ari-client 2.2.0"). One "connection" is one ari-client Client with its
// events socket, whose messages we parse ourselves (guardSocket); any sign that it is dead - the
// socket closed, no pong, a REST call past its timeout - retires the whole client and a fresh
// one is made, with capped exponential backoff that never gives up. The supervisor sees a status
// ('connecting' | 'ready' | 'closing' | 'closed'), a typed event stream, a 'ready' signal after
// every (re)connect (its cue to reconcile), and REST calls that always settle.

import { EventEmitter } from 'node:events';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ariFailure, AriNotFoundError, AriNotReadyError, AriRejectedError, AriTimeoutError } from './ari-errors';
import { ignoredTypeOf, parseChannel, parseEvent, type AriChannel, type SupervisorEvent } from './ari-events';
import { readTappedError, tapStatus } from './status-tap';

export type AriStatus = 'connecting' | 'ready' | 'closing' | 'closed';

export interface AriLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AriAdapterOptions {
  url: string;
  user: string;
  password: string;
  /** Stasis application name. */
  app: string;
  logger: AriLogger;
  /** Every REST call settles within this (ms); a timeout retires the connection. */
  restTimeoutMs?: number;
  /** Loading the API docs and opening the events socket (ms). */
  connectTimeoutMs?: number;
  /** Reconnect backoff: first delay, doubling up to the cap (ms). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Socket ping; no pong for two intervals = a dead socket (ms; 0 = off). */
  pingIntervalMs?: number;
}

export interface AriAdapterEvents {
  status: [status: AriStatus];
  /** Connected (again): `connection` counts successful connects since start. */
  ready: [info: { connection: number }];
  event: [event: SupervisorEvent];
}

export interface AriStats {
  connections: number;
  /** Connections retired because they looked dead (socket, pong, REST timeout). */
  replaced: number;
  /** Event types we do not act on (Asterisk sends many with subscribeAll). */
  ignoredEvents: number;
  malformedEvents: number;
  restTimeouts: number;
}

/** What the adapter uses of ari-client (the package ships no types). */
interface AriWs {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  terminate(): void;
  readyState: number;
}
interface AriClientLike {
  start(apps: string, subscribeAll?: boolean): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): void;
  removeAllListeners(): void;
  ping(): void;
  _wsClosed?: boolean;
  channels: {
    list(): Promise<unknown[]>;
    getChannelVar(p: { channelId: string; variable: string }): Promise<{ value: string }>;
    setChannelVar(p: { channelId: string; variable: string; value: string }): Promise<void>;
    continueInDialplan(p: { channelId: string; context?: string; extension?: string; priority?: number }): Promise<void>;
    hangup(p: { channelId: string; reason_code?: string; reason?: string }): Promise<void>;
    answer(p: { channelId: string }): Promise<void>;
    originate(p: OriginateParams): Promise<unknown>;
    play(p: { channelId: string; media: string[]; playbackId: string }): Promise<unknown>;
  };
}
/** POST /channels as ari-client takes it (query parameters plus the `variables` body). */
export interface OriginateParams {
  endpoint: string;
  app: string;
  appArgs: string;
  /** Made by us, so events that beat the REST answer find their call. */
  channelId: string;
  callerId?: string;
  /** Seconds of ringing before Asterisk gives up (Dial status NOANSWER). */
  timeout: number;
  variables?: Record<string, string>;
}

interface AriModule {
  connect(url: string, user: string, password: string): Promise<AriClientLike>;
}

interface Connection {
  id: number;
  client: AriClientLike | null;
  ws: AriWs | null;
  retired: boolean;
  lastPong: number;
  pingTimer: NodeJS.Timeout | null;
}

const WS_OPEN = 1;

export class AriAdapter extends EventEmitter<AriAdapterEvents> {
  private current: Connection | null = null;
  private seq = 0;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private state: AriStatus = 'closed';
  private stopping = false;
  /** Stops marking our Asterisk's failed requests with their status (status-tap.ts). */
  private untap: (() => void) | null = null;
  private readonly counters: AriStats = { connections: 0, replaced: 0, ignoredEvents: 0, malformedEvents: 0, restTimeouts: 0 };
  private readonly restTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly log: AriLogger;

  constructor(private readonly options: AriAdapterOptions) {
    super();
    this.restTimeoutMs = options.restTimeoutMs ?? 5000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.log = options.logger;
  }

  get status(): AriStatus {
    return this.state;
  }

  stats(): AriStats {
    return { ...this.counters };
  }

  /** Starts connecting; never rejects - progress shows in `status` and the 'ready' event. */
  start(): void {
    if (this.state !== 'closed') return;
    this.stopping = false;
    this.untap = tapStatus(this.options.url);
    this.setStatus('connecting');
    void this.connect();
  }

  async stop(): Promise<void> {
    if (this.state === 'closed') return;
    this.stopping = true;
    this.setStatus('closing');
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.current) this.retire(this.current);
    this.current = null;
    this.untap?.();
    this.untap = null;
    this.setStatus('closed');
  }

  /** Resolves once ready, or rejects after `ms`. */
  waitReady(ms: number): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('ready', onReady);
        reject(new AriNotReadyError(`not ready within ${ms} ms (status ${this.state})`, { operation: 'connect' }));
      }, ms);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.once('ready', onReady);
    });
  }

  // ---- REST ----------------------------------------------------------------------------------

  async listChannels(): Promise<AriChannel[]> {
    const list = await this.rest('channels.list', (c) => c.channels.list());
    const out: AriChannel[] = [];
    for (const raw of list) {
      const ch = parseChannel(raw);
      if (typeof ch === 'string') this.log.warn({ reason: ch }, 'ARI channel list: entry skipped');
      else out.push(ch);
    }
    return out;
  }

  async getVariable(channelId: string, variable: string): Promise<string> {
    const r = await this.rest('channels.getChannelVar', (c) => c.channels.getChannelVar({ channelId, variable }));
    return typeof r?.value === 'string' ? r.value : '';
  }

  setVariable(channelId: string, variable: string, value: string): Promise<void> {
    return this.rest('channels.setChannelVar', (c) => c.channels.setChannelVar({ channelId, variable, value }));
  }

  continueInDialplan(channelId: string, to: { context: string; extension: string; priority: number }): Promise<void> {
    return this.rest('channels.continueInDialplan', (c) => c.channels.continueInDialplan({ channelId, ...to }));
  }

  /** Originates into our Stasis app; answers at once with the channel (state Down) as Asterisk does. */
  async originate(params: OriginateParams): Promise<AriChannel> {
    const raw = await this.rest('channels.originate', (c) => c.channels.originate(params));
    const ch = parseChannel(raw);
    if (typeof ch === 'string') throw new AriRejectedError(`answer refused: ${ch}`, { operation: 'channels.originate', status: 200 });
    return ch;
  }

  answer(channelId: string): Promise<void> {
    return this.rest('channels.answer', (c) => c.channels.answer({ channelId }));
  }

  /**
   * Queues `media` on a channel in our Stasis app (201, the playback "queued"); its events
   * (PlaybackStarted/Finished) carry `playbackId`, which we choose so they find the call.
   * 404 gone, 409 not in Stasis, 412 being hung up.
   */
  async play(channelId: string, media: readonly string[], playbackId: string): Promise<void> {
    await this.rest('channels.play', (c) => c.channels.play({ channelId, media: [...media], playbackId }));
  }

  /** Hangs up with a Q.850 cause. A channel that is already gone (404) is not an error. */
  async hangup(channelId: string, cause: number): Promise<void> {
    try {
      await this.rest('channels.hangup', (c) => c.channels.hangup({ channelId, reason_code: String(cause) }));
    } catch (err) {
      if (err instanceof AriNotFoundError) return;
      throw err;
    }
  }

  /** One REST call with a timeout; a timeout retires the connection (REST stuck = Asterisk stuck). */
  private rest<T>(what: string, call: (client: AriClientLike) => Promise<T>): Promise<T> {
    const conn = this.current;
    if (this.state !== 'ready' || !conn?.client) return Promise.reject(new AriNotReadyError(`ARI is ${this.state}`, { operation: what }));
    const client = conn.client;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.counters.restTimeouts++;
        reject(new AriTimeoutError(`no answer from ARI within ${this.restTimeoutMs} ms`, { operation: what }));
        this.connectionLost(conn, `${what} timed out`);
      }, this.restTimeoutMs);
      let pending: Promise<T>;
      try {
        pending = Promise.resolve(call(client));
      } catch (err) {
        pending = Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      pending.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (err: unknown) => {
          clearTimeout(timer);
          // ari-client rejects with Error(<body>) - the status tap put the HTTP status in front -
          // or, for a missing parameter, a plain string.
          const { status, body } = readTappedError(err);
          reject(ariFailure(what, status, body));
        },
      );
    });
  }

  // ---- connection ----------------------------------------------------------------------------

  private async connect(): Promise<void> {
    if (this.stopping) return;
    const conn: Connection = { id: ++this.seq, client: null, ws: null, retired: false, lastPong: Date.now(), pingTimer: null };
    this.current = conn;
    this.setStatus('connecting');
    const { url, user, password, app } = this.options;
    try {
      // ari-client throws an uncaught exception when the docs answer non-2xx: look first.
      await probeDocs(url, user, password, this.connectTimeoutMs);
      const ari = loadAriClient();
      const client = await withTimeout(ari.connect(url, user, password), this.connectTimeoutMs, 'loading the ARI API docs');
      if (conn.retired) return;
      conn.client = client;
      this.guardSocket(conn, client);
      client.on('WebSocketReconnecting', () => this.connectionLost(conn, 'events socket closed'));
      client.on('WebSocketMaxRetries', () => this.connectionLost(conn, 'events socket gave up'));
      client.on('pong', () => (conn.lastPong = Date.now()));
      await withTimeout(client.start(app, true), this.connectTimeoutMs, 'opening the events socket');
      if (conn.retired) return;
      this.attempt = 0;
      this.counters.connections++;
      this.startPing(conn);
      this.setStatus('ready');
      this.log.info({ url, app, connection: this.counters.connections }, 'ARI connected');
      this.emit('ready', { connection: this.counters.connections });
    } catch (err) {
      if (conn.retired) return;
      this.log.warn({ url, err: errText(err), attempt: this.attempt + 1 }, 'ARI connect failed');
      this.connectionLost(conn, 'connect failed');
    }
  }

  /**
   * ari-client assigns `client._ws = new WebSocket(...)` and then adds its listeners. An accessor
   * on the instance sees each new socket first. Its 'message' listener is replaced by ours: the
   * library would turn every event into resource instances with their operations attached (we
   * use none: the supervisor reads the plain event), costing more than all our own handling of
   * the event, and would throw - killing the process or the socket - on an event type its
   * Swagger models do not name or on malformed JSON. Ours parses the text once, refuses what is
   * malformed and ignores what it does not use, keeping the connection. A socket the library
   * makes after we retired the client (its own reconnect) is closed at once.
   */
  private guardSocket(conn: Connection, client: AriClientLike): void {
    let socket: AriWs | undefined;
    Object.defineProperty(client, '_ws', {
      configurable: true,
      get: () => socket,
      set: (ws: AriWs) => {
        socket = ws;
        if (!ws || typeof ws.on !== 'function') return;
        const on = ws.on.bind(ws);
        on('error', () => undefined); // a socket we terminate must not throw 'error' unhandled
        if (conn.retired) {
          ws.on = () => ws;
          try {
            ws.terminate();
          } catch {
            // already closed
          }
          return;
        }
        conn.ws = ws;
        ws.on = (event: string, listener: (...args: unknown[]) => void) =>
          on(event, event === 'message' ? (data: unknown) => this.onMessage(conn, data) : listener);
      },
    });
  }

  private onMessage(conn: Connection, data: unknown): void {
    if (conn.retired) return;
    const text = String(data);
    if (ignoredTypeOf(text) !== null) {
      this.counters.ignoredEvents++;
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      this.counters.malformedEvents++;
      this.log.warn({ reason: errText(err), connection: conn.id }, 'ARI event refused: not JSON');
      return;
    }
    this.onRawEvent(conn, raw);
  }

  private onRawEvent(conn: Connection, raw: unknown): void {
    if (conn.retired) return;
    // Nothing the supervisor does may throw back into the library.
    try {
      const parsed = parseEvent(raw);
      if (parsed.kind === 'malformed') {
        this.counters.malformedEvents++;
        this.log.warn({ reason: parsed.reason }, 'ARI event refused');
        return;
      }
      if (parsed.kind === 'event') this.emit('event', parsed.event);
      else this.counters.ignoredEvents++;
    } catch (err) {
      this.log.error({ err: errText(err) }, 'ARI event listener threw');
    }
  }

  private startPing(conn: Connection): void {
    const interval = this.options.pingIntervalMs ?? 10_000;
    if (interval <= 0) return;
    conn.lastPong = Date.now();
    conn.pingTimer = setInterval(() => {
      if (Date.now() - conn.lastPong > 2 * interval) return this.connectionLost(conn, 'no pong from ARI');
      try {
        if (conn.ws?.readyState === WS_OPEN) conn.client?.ping();
      } catch {
        // the close handler reports it
      }
    }, interval);
    conn.pingTimer.unref();
  }

  /** The connection is dead or suspect: retire it and schedule a fresh one (once per connection). */
  private connectionLost(conn: Connection, reason: string): void {
    if (conn.retired || this.stopping) return;
    const wasReady = this.state === 'ready' && this.current === conn;
    this.retire(conn);
    if (this.current !== conn) return;
    if (wasReady) {
      this.counters.replaced++;
      this.log.warn({ reason, connection: conn.id }, 'ARI connection lost: reconnecting');
    }
    this.setStatus('connecting');
    const initial = this.options.backoffInitialMs ?? 100;
    const max = this.options.backoffMaxMs ?? 10_000;
    const delay = Math.min(max, initial * 2 ** Math.min(this.attempt, 20));
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  private retire(conn: Connection): void {
    conn.retired = true;
    if (conn.pingTimer) clearInterval(conn.pingTimer);
    conn.pingTimer = null;
    const client = conn.client;
    if (!client) return;
    client.removeAllListeners();
    // The library's close handler must not schedule its own reconnect for this socket.
    client._wsClosed = true;
    try {
      conn.ws?.terminate();
    } catch {
      // already closed
    }
  }

  private setStatus(status: AriStatus): void {
    if (this.state === status) return;
    this.state = status;
    this.emit('status', status);
  }
}

/** ari-client, loaded on first use so commands that never talk to Asterisk do not pay for it. */
function loadAriClient(): AriModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ari = require('ari-client') as AriModule;
  silenceSwaggerLog();
  return ari;
}

/**
 * swagger-client 2.0 (ari-client's) assigns an implicit global `log` that console.logs an array
 * on every connect - a non-JSON line in our JSON log on stdout - and keeps every message in
 * `log.history` forever, growing with each reconnect. Its calls look the global up each time,
 * so replacing it (once, only while it is that function) silences both.
 */
function silenceSwaggerLog(): void {
  const g = globalThis as { log?: unknown };
  if (typeof g.log === 'function' && String(g.log).includes('log.history')) g.log = () => undefined;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new AriTimeoutError(`no answer within ${ms} ms`, { operation: what })), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** GET resources.json with credentials: 200 JSON, or a clean rejection (never the library's throw). */
function probeDocs(base: string, user: string, password: string, ms: number): Promise<void> {
  const url = new URL('/ari/api-docs/resources.json', base);
  const send = url.protocol === 'https:' ? httpsRequest : request;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'GET', timeout: ms, headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(ariFailure('GET resources.json', res.statusCode ?? null, `ARI API docs answered ${res.statusCode ?? '?'}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new AriTimeoutError(`no answer within ${ms} ms`, { operation: 'GET resources.json' })));
    req.on('error', reject);
    req.end();
  });
}


function errText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
