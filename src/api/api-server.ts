// The supervisor's one HTTP server (express) on TDMGATE_LISTEN. Today it serves the health
// endpoints; the REST API, live events, metrics and the web status page are mounted beside
// them as routers, so every route shares one listener, one error mapping and one shutdown.

import type { Server } from 'node:http';
import express, { type Router } from 'express';
import type { ListenAddress } from '../supervisor/config';

export class ApiServer {
  private server: Server | null = null;
  private readonly app = express();

  constructor(routers: readonly Router[]) {
    this.app.disable('x-powered-by');
    for (const r of routers) this.app.use(r);
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
