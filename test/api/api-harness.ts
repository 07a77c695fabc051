// A supervisor for the API tests: the sim, the ARI stand-in, the demo site, SQLite in a temp
// data dir (or the database a test names), the job queues on the test Redis when asked, and one
// token per role. `call` is Node's fetch over loopback with the token as a bearer.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RateLimit } from '../../src/api/v1/rate-limit';
import { App } from '../../src/app/app';
import { createSimBackend, type SimBackend } from '../../src/hardware/sim';
import type { ApiRole } from '../../src/store/api-tokens';
import { loadConfig } from '../../src/supervisor/config';
import { DEMO_SITE, silent } from '../supervisor/supervisor-harness';

export interface ApiTestSupervisor {
  sup: App;
  /** The simulated cards (to raise alarms). */
  sim: SimBackend;
  /** A working token per role (named after the role). */
  secrets: Record<ApiRole, string>;
  call(method: string, path: string, o?: { token?: string | null; body?: unknown; rawBody?: string; contentType?: string }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startApiSupervisor(o: { queues?: { url: string; prefix: string }; rateLimit?: RateLimit; dbUrl?: string } = {}): Promise<ApiTestSupervisor> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-api-'));
  const redis = o.queues ? { TDMGATE_REDIS_URL: o.queues.url, TDMGATE_QUEUE_PREFIX: o.queues.prefix } : { TDMGATE_REDIS_URL: 'off' };
  const config = await loadConfig({
    env: { TDMGATE_DATA_DIR: dir, TDMGATE_LISTEN: '127.0.0.1:0', ...redis, ...(o.dbUrl ? { TDMGATE_DB_URL: o.dbUrl } : {}) },
    flags: { config: '/nonexistent-ok' },
    readText: () => Promise.resolve(''),
  });
  const sim = createSimBackend();
  const sup = await App.start({
    config, logger: silent, demoSitePath: DEMO_SITE, backend: sim, demoTraffic: false,
    tuning: { restTimeoutMs: 400, backoffMaxMs: 200, pingIntervalMs: 0, trunkIntervalMs: 20, cdrFlushMs: 20, standinSpanWatchMs: 10, queueIdleMs: 100, ...(o.rateLimit ? { apiRateLimit: o.rateLimit } : {}) },
  });
  try {
    await sup.ari.waitReady(5000);
    const secrets = {} as Record<ApiRole, string>;
    for (const role of ['viewer', 'operator', 'admin'] as const) secrets[role] = (await sup.tokens.create({ name: role, role })).token;
    return {
      sup,
      sim,
      secrets,
      call: (method, p, c = {}) => {
        const token = c.token === undefined ? secrets.admin : c.token;
        const headers: Record<string, string> = {};
        if (token !== null) headers.authorization = `Bearer ${token}`;
        let body: string | undefined;
        if (c.rawBody !== undefined || c.body !== undefined) {
          headers['content-type'] = c.contentType ?? 'application/json';
          body = c.rawBody ?? JSON.stringify(c.body);
        }
        return fetch(`${sup.url}${p}`, { method, headers, ...(body === undefined ? {} : { body }) });
      },
      stop: async () => {
        await sup.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await sup.stop();
    throw err;
  }
}
