// One "box" of the several-boxes tests, as its own process so a test can kill -9 it: the
// supervisor on simulated cards with its own stand-in Asterisk, configured by the TDMGATE_*
// environment (site, Redis, queue prefix, database, data dir), with short job locks so a dead
// box's jobs come back within seconds, and the far end's answer from TDMGATE_TEST_DIAL (JSON, a
// stand-in dial outcome). Logs JSON lines on stdout like `tdmgate supervise`.

import { App } from '../../src/app/app';
import type { DialOutcome } from '../../src/demo/ari-standin';
import { createLogger } from '../../src/cli/log-output';
import { loadConfig } from '../../src/supervisor/config';
import { DEMO_SITE } from '../supervisor/supervisor-harness';

async function main(): Promise<void> {
  const config = await loadConfig({ env: process.env, flags: { config: '/nonexistent-ok' }, readText: () => Promise.resolve('') });
  const logger = createLogger('json', process.stdout);
  const app = await App.start({
    config, logger, demoSitePath: DEMO_SITE, demoTraffic: false,
    tuning: { trunkIntervalMs: 20, cdrFlushMs: 20, queueIdleMs: 100, queueLockMs: 2_000, queueStalledMs: 500 },
  });
  const dial = process.env.TDMGATE_TEST_DIAL;
  if (dial) app.standin?.setDefaultOutcome(JSON.parse(dial) as DialOutcome);
  await app.ari.waitReady(10_000);
  logger.info({ box: process.pid }, 'box ready');
  const stop = (): void => void app.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`box failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(70);
});
