// A supervisor with webhooks for the end-to-end tests: the sim, the ARI stand-in, SQLite in a
// temp dir, the real Redis the scripts start under a queue prefix of the test's own, and the
// endpoints given as the config file's `webhooks:` list (read through loadConfig, as in production).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { App, type AppOptions } from '../../src/app/app';
import { createSimBackend } from '../../src/hardware/sim';
import { loadConfig } from '../../src/supervisor/config';
import { DEMO_SITE, silent } from '../supervisor/supervisor-harness';
import { redisUrl, uniquePrefix } from '../jobs/test-redis';

export const SECRET = 'a-test-secret-of-some-length';

export interface WebhookSupervisor {
  sup: App;
  prefix: string;
  /** Stops the supervisor; the test's Redis keys stay (see dropKeys). */
  stop(): Promise<void>;
  dropKeys(): Promise<void>;
}

/**
 * `endpoints`: the YAML of the webhooks list's items, e.g. `{ url: ..., secret: ... }`;
 * `configExtra`: more of the config file (a `guard:` section); `suspension`: the app's token seam.
 */
export async function startWithWebhooks(endpoints: string[], options: { redisUrl?: string; configExtra?: string } & Pick<AppOptions, 'suspension'> = {}): Promise<WebhookSupervisor> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-wh-'));
  const prefix = uniquePrefix('wh');
  const config = await loadConfig({
    env: { TDMGATE_DATA_DIR: dir, TDMGATE_LISTEN: '127.0.0.1:0', TDMGATE_REDIS_URL: options.redisUrl ?? redisUrl(), TDMGATE_QUEUE_PREFIX: prefix },
    flags: { config: path.join(dir, 'tdmgate.yaml') },
    readText: () => Promise.resolve(`webhooks:\n${endpoints.map((e) => `  - ${e}\n`).join('')}${options.configExtra ?? ''}`),
  });
  const sup = await App.start({
    config, logger: silent, demoSitePath: DEMO_SITE, backend: createSimBackend(), demoTraffic: false, ...(options.suspension ? { suspension: options.suspension } : {}),
    tuning: { restTimeoutMs: 400, backoffMaxMs: 200, pingIntervalMs: 0, trunkIntervalMs: 20, cdrFlushMs: 20, standinSpanWatchMs: 10 },
  });
  await sup.ari.waitReady(5000);
  return {
    sup,
    prefix,
    stop: async () => {
      await sup.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    dropKeys: () => (options.redisUrl === undefined ? dropPrefix(prefix) : Promise.resolve()),
  };
}

/** Deletes the test's keys from the shared test Redis. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl());
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A webhooks list item for `url` with the test secret and quick retries. */
export function endpoint(url: string, extra = ''): string {
  return `{ url: "${url}", secret: "${SECRET}", backoffSeconds: 0.05${extra === '' ? '' : `, ${extra}`} }`;
}
