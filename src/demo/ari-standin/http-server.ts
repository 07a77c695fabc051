// The HTTP side of the stand-in (node:http): Basic auth (or api_key) before anything, as res_ari
// (so ari-client's bare first probe gets 401), the Swagger documents, the REST routes behind the
// stall gate, the events WebSocket upgrade, JSON answers, 204 for void operations and
// {"message"} errors. Can go down and come back on the same port (an Asterisk restart), and on
// the way answer as a stopping or booting Asterisk does (see Availability).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { servedDoc, type ApiDocs } from './api-docs';
import { AriHttpError, HtmlHttpError, StandinError } from './errors';
import type { EventsHub } from './events-hub';
import type { RestGate } from './rest-gate';
import type { RestReply, Router } from './router';
import { ASTERISK_VERSION } from './routes/asterisk-routes';

export interface HttpServerOptions {
  host: string;
  port: number;
  user: string;
  password: string;
}

/**
 * What the HTTP side answers besides the ARI itself, in the order `core restart now` goes:
 * shutting-down - the HTTP core refuses everything (503 text/html "Shutdown in progress");
 * no-ari - listening again before res_ari is loaded (404 text/html); not-booted - res_ari
 * loaded, Asterisk not fully booted (503 {"message":"Asterisk not booted"}); up - normal.
 */
export type Availability = 'up' | 'shutting-down' | 'no-ari' | 'not-booted';

/** The refusal each availability gives, before authentication (null: serve normally). */
export function refusalFor(availability: Availability): AriHttpError | HtmlHttpError | null {
  switch (availability) {
    case 'up': return null;
    case 'shutting-down': return new HtmlHttpError(503, 'Service Unavailable', 'Shutdown in progress');
    case 'no-ari': return new HtmlHttpError(404, 'Not Found', 'The requested URL was not found on this server.');
    case 'not-booted': return new AriHttpError(503, 'Asterisk not booted');
  }
}

export class AriHttpServer {
  private server: Server | null = null;
  private port: number;
  status: 'stopped' | 'listening' | 'down' = 'stopped';
  availability: Availability = 'up';

  constructor(
    private readonly options: HttpServerOptions,
    private readonly docs: ApiDocs,
    private readonly router: Router,
    private readonly hub: EventsHub,
    private readonly gate: RestGate,
  ) {
    this.port = options.port;
  }

  get url(): string {
    return `http://${this.options.host}:${this.port}`;
  }

  async listen(): Promise<{ url: string; port: number }> {
    if (this.server) throw new StandinError('BAD_CONFIG', 'the ARI stand-in is already listening');
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const refusal = refusalFor(this.availability);
      if (refusal) return void socket.end(rawResponse(refusal));
      if (url.pathname !== '/ari/events') return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      this.hub.upgrade(req, socket, head, url, this.basicAuthOk(req));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.status = 'listening';
    return { url: this.url, port: this.port };
  }

  /** Stops listening and cuts every connection; the port is kept for listen() again. */
  async close(final = true): Promise<void> {
    const server = this.server;
    this.server = null;
    this.status = final ? 'stopped' : 'down';
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      const host = req.headers.host ?? `${this.options.host}:${this.port}`;
      const refusal = refusalFor(this.availability);
      if (refusal) throw refusal;
      if (!this.basicAuthOk(req) && !this.apiKeyOk(url.searchParams.get('api_key'))) {
        res.setHeader('WWW-Authenticate', 'Basic realm="Asterisk REST Interface"');
        return send(res, { status: 401, json: { message: 'Authentication required' } });
      }
      const doc = /^\/ari\/api-docs\/([A-Za-z]+\.json)$/.exec(url.pathname);
      if (doc) {
        const served = servedDoc(this.docs, doc[1] ?? '', host);
        return send(res, served ? { status: 200, json: served } : { status: 404, json: { message: 'Resource not found' } });
      }
      const body = await readBody(req);
      const wait = this.gate.pass();
      if (wait) await wait;
      if (res.destroyed) return;
      const params = new Map<string, string>(url.searchParams);
      params.delete('api_key');
      // allowMultiple parameters: repeated keys and comma lists both, as res_ari splits them;
      // worked out only for the routes that take one.
      const list = (name: string): string[] => url.searchParams.getAll(name).flatMap((v) => v.split(',')).filter((v) => v !== '');
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
          if (k !== 'variables' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) params.set(k, String(v));
        }
      }
      const method = req.method ?? 'GET';
      const reply = this.router.dispatch(method, url.pathname, (captures) => ({ method, path: url.pathname, params, list, body, captures, host }));
      // The events the request caused go out before its answer (events-hub.ts, flush).
      this.hub.flush();
      send(res, reply);
    } catch (err) {
      this.hub.flush();
      if (err instanceof AriHttpError) return send(res, { status: err.status, json: err.body });
      if (err instanceof HtmlHttpError) return sendHtml(res, err);
      send(res, { status: 500, json: { message: err instanceof Error ? err.message : String(err) } });
    }
  }

  private basicAuthOk(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    if (!header?.startsWith('Basic ')) return false;
    const text = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = text.indexOf(':');
    return colon >= 0 && this.credentialsOk(text.slice(0, colon), text.slice(colon + 1));
  }

  private apiKeyOk(key: string | null): boolean {
    const colon = key?.indexOf(':') ?? -1;
    return key !== null && colon >= 0 && this.credentialsOk(key.slice(0, colon), key.slice(colon + 1));
  }

  credentialsOk(user: string, password: string): boolean {
    return user === this.options.user && password === this.options.password;
  }
}

function send(res: ServerResponse, reply: RestReply): void {
  if (res.headersSent || res.destroyed) return;
  res.setHeader('Server', `Asterisk/${ASTERISK_VERSION}`);
  res.setHeader('Cache-Control', 'no-cache, no-store');
  if (reply.location) res.setHeader('Location', reply.location);
  if (reply.bytes) {
    res.writeHead(reply.status, { 'Content-Type': reply.bytes.contentType, 'Content-Length': reply.bytes.body.length });
    res.end(reply.bytes.body);
    return;
  }
  if (reply.status === 204 || reply.json === undefined) {
    res.writeHead(reply.status);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.json);
  res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** ast_http_error's page. */
function htmlPage(err: HtmlHttpError): string {
  return `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n<html><head>\r\n<title>${err.status} ${err.title}</title>\r\n</head><body>\r\n<h1>${err.title}</h1>\r\n<p>${err.message}</p>\r\n<hr />\r\n<address>Asterisk Server</address>\r\n</body></html>\r\n`;
}

function sendHtml(res: ServerResponse, err: HtmlHttpError): void {
  if (res.headersSent || res.destroyed) return;
  const page = htmlPage(err);
  res.writeHead(err.status, { Server: `Asterisk/${ASTERISK_VERSION}`, 'Cache-Control': 'no-cache, no-store', 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(page) });
  res.end(page);
}

/** The same answers written on a raw socket (an events upgrade refused before the WebSocket). */
function rawResponse(err: AriHttpError | HtmlHttpError): string {
  const [type, body] = err instanceof HtmlHttpError ? ['text/html', htmlPage(err)] : ['application/json', JSON.stringify(err.body)];
  const text = err instanceof HtmlHttpError ? err.title : 'Service Unavailable';
  return `HTTP/1.1 ${err.status} ${text}\r\nServer: Asterisk/${ASTERISK_VERSION}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const text = (await readText(req)).trim();
  if (text === '') return null;
  if (!(req.headers['content-type'] ?? '').includes('json')) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AriHttpError(400, 'Invalid JSON');
  }
}

/**
 * The request body as text. Listeners rather than for-await: every REST call comes through
 * here, mostly with no body, and the async iterator cost more than the rest of reading it.
 */
function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    // A client gone before the end: settled, as the iterator's premature close was.
    req.once('close', () => {
      if (!req.complete) reject(new Error('request closed before its body ended'));
    });
  });
}
