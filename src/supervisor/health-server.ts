// GET /healthz (the process answers) and GET /readyz (ARI ready, CDRs can be stored - in the
// database or the spool - and the hardware open) as JSON, for systemd, monitoring and the CLI
// test. 200 when ready, 503 with the failing checks otherwise.

import type { Server } from 'node:http';
import express from 'express';
import type { ListenAddress } from './config';

export interface ReadinessCheck {
  ok: boolean;
  detail: string;
}

export type ReadinessProbe = () => Record<string, ReadinessCheck>;

export class HealthServer {
  private server: Server | null = null;
  private readonly started = Date.now();

  constructor(private readonly probe: ReadinessProbe) {}

  /** Listens; resolves with the bound address (port 0 = any free port). */
  async listen(at: ListenAddress): Promise<{ host: string; port: number; url: string }> {
    const app = express();
    app.disable('x-powered-by');
    app.get('/healthz', (_req, res) => {
      res.json({ status: 'ok', uptimeSeconds: Math.round((Date.now() - this.started) / 1000) });
    });
    app.get('/readyz', (_req, res) => {
      const checks = this.probe();
      const ready = Object.values(checks).every((c) => c.ok);
      res.status(ready ? 200 : 503).json({ ready, checks });
    });
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(at.port, at.host, (err?: Error) => (err ? reject(err) : resolve(s)));
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
