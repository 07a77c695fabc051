// The HTTP side of the stand-in (node:http): Basic auth (or api_key) before anything, as res_ari
// (so ari-client's bare first probe gets 401), the Swagger documents, the REST routes behind the
// stall gate, the events WebSocket upgrade, JSON answers, 204 for void operations and
// {"message"} errors. Can go down and come back on the same port (an Asterisk restart).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { servedDoc, type ApiDocs } from './api-docs';
import { AriHttpError, StandinError } from './errors';
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

export class AriHttpServer {
  private server: Server | null = null;
  private port: number;
  status: 'stopped' | 'listening' | 'down' = 'stopped';

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
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
          if (k !== 'variables' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) params.set(k, String(v));
        }
      }
      const method = req.method ?? 'GET';
      send(res, this.router.dispatch(method, url.pathname, (captures) => ({ method, path: url.pathname, params, body, captures, host })));
    } catch (err) {
      if (err instanceof AriHttpError) return send(res, { status: err.status, json: { message: err.message } });
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
  if (reply.status === 204 || reply.json === undefined) {
    res.writeHead(reply.status);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.json);
  res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return null;
  if (!(req.headers['content-type'] ?? '').includes('json')) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AriHttpError(400, 'Invalid JSON');
  }
}
