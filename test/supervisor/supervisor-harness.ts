// A supervisor for end-to-end tests: the sim (the test's own, to raise alarms), the built-in
// ARI stand-in, the demo site and SQLite in a temp data dir - or MariaDB when
// TDMGATE_TEST_MYSQL_URL is set (scripts/test starts one) - with short timeouts.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSimBackend, type SimBackend } from '../../src/hardware/sim';
import { loadConfig } from '../../src/supervisor/config';
import { App, type AppOptions } from '../../src/app/app';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const DEMO_SITE = path.join(ROOT, 'dahdi-config', 'sites', 'sim-demo.yaml');
export const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface DbVariant {
  name: string;
  url: string | undefined;
}

export function dbVariants(): DbVariant[] {
  const list: DbVariant[] = [{ name: 'SQLite', url: undefined }];
  if (process.env.TDMGATE_TEST_MYSQL_URL) list.push({ name: 'MariaDB', url: process.env.TDMGATE_TEST_MYSQL_URL });
  else console.log('    (MariaDB variant skipped: TDMGATE_TEST_MYSQL_URL is not set; scripts/test sets it)');
  return list;
}

export interface TestSupervisor {
  sup: App;
  sim: SimBackend;
  stop(): Promise<void>;
}

/** A config file's text (e.g. a `guard:` section) and the app's seams (token suspension, the guard's clock). */
export interface TestExtras extends Pick<AppOptions, 'suspension' | 'now'> {
  configYaml?: string;
  /** A site file instead of the demo site. */
  sitePath?: string;
}

/**
 * Started, connected to the stand-in, with an empty cdr table. The job queues are off unless
 * `queues` names a Redis and a prefix of the test's own.
 */
export async function startTestSupervisor(variant: DbVariant, queues?: { url: string; prefix: string; lockMs?: number; stalledMs?: number }, extras: TestExtras = {}): Promise<TestSupervisor> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-sup-'));
  const sim = createSimBackend();
  const redis = queues ? { TDMGATE_REDIS_URL: queues.url, TDMGATE_QUEUE_PREFIX: queues.prefix } : { TDMGATE_REDIS_URL: 'off' };
  const config = await loadConfig({
    env: { TDMGATE_DATA_DIR: dir, TDMGATE_LISTEN: '127.0.0.1:0', ...redis, ...(variant.url ? { TDMGATE_DB_URL: variant.url } : {}) },
    flags: { config: '/nonexistent-ok' },
    readText: () => Promise.resolve(extras.configYaml ?? ''),
  });
  const sup = await App.start({
    config, logger: silent, demoSitePath: extras.sitePath ?? DEMO_SITE, backend: sim, demoTraffic: false,
    ...(extras.suspension ? { suspension: extras.suspension } : {}), ...(extras.now ? { now: extras.now } : {}),
    tuning: {
      restTimeoutMs: 400, backoffMaxMs: 200, pingIntervalMs: 0, trunkIntervalMs: 20, cdrFlushMs: 20, standinSpanWatchMs: 10, queueIdleMs: 100,
      ...(queues?.lockMs ? { queueLockMs: queues.lockMs } : {}), ...(queues?.stalledMs ? { queueStalledMs: queues.stalledMs } : {}),
    },
  });
  if (variant.url) await sup.db.knex('cdr').del();
  await sup.ari.waitReady(5000);
  return {
    sup,
    sim,
    stop: async () => {
      await sup.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
