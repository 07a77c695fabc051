// The supervisor's one HTTP server (express) on TDMGATE_LISTEN. It serves the health endpoints
// and the REST API (/api/v1); live events, metrics and the web status page are mounted beside
// them as routers, so every route shares one listener, one error mapping and one shutdown.

import type { Server } from 'node:http';
import express, { type Router } from 'express';
import type { ListenAddress } from '../supervisor/config';

/** What express keeps per layer of a router (express 5's router: not in its typings). */
interface StackLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
}

export class ApiServer {
  private server: Server | null = null;
  private readonly app = express();

  constructor(routers: readonly Router[]) {
    this.app.disable('x-powered-by');
    for (const r of routers) this.app.use(r);
  }

  /**
   * Every method and path served, read from express's own router stack - what a request would
   * really reach, for the test that holds the OpenAPI document to it. The routers register
   * whole paths (no mount prefix), so a route's path is the path served.
   */
  servedRoutes(): { method: string; path: string }[] {
    const out: { method: string; path: string }[] = [];
    const walk = (stack: readonly StackLayer[]): void => {
      for (const layer of stack) {
        if (layer.route) {
          for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.push({ method, path: layer.route.path });
        } else if (layer.handle?.stack) walk(layer.handle.stack);
      }
    };
    walk((this.app as unknown as { router: { stack: StackLayer[] } }).router.stack);
    return out;
  }

  /** Listens; resolves with the bound address (port 0 = any free port). */
  async listen(at: ListenAddress): Promise<{ host: string; port: number; url: string }> {
    const server = await new Promise<Server>((resolve, reject) => {
      const s = this.app.listen(at.port, at.host, (err?: Error) => (err ? reject(err) : resolve(s)));
      s.once('error', reject);
    });
    this.server = server;
    const addr = server.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : at.port;
    const host = at.host.includes(':') ? `[${at.host}]` : at.host;
    return { host: at.host, port, url: `http://${host}:${port}` };
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
