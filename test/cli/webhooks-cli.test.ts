// `tdmgate webhooks dead-letters|replay` from the bundle against the real Redis: a delivery that
// used its tries is listed with its endpoint and reason, replayed back into its queue, and the
// mistakes get the exit codes scripts read (66 unknown endpoint or id, 69 Redis away).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { connectRedis, redisOptions } from '../../src/jobs/redis';
import { webhookQueueName } from '../../src/webhooks/queue-names';
import { waitFor } from '../wait-for';
import { redisUrl, uniquePrefix } from '../jobs/test-redis';
import { CLI } from './cli-helpers';

describe('tdmgate webhooks (bundle)', function () {
  this.timeout(60_000);
  const prefix = uniquePrefix('cli-webhooks');
  let dir: string;
  let configFile: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-webhooks-cli-'));
    configFile = path.join(dir, 'tdmgate.yaml');
    writeFileSync(configFile, 'webhooks:\n  - { name: crm, url: "http://127.0.0.1:9/hook", secret: "s3cret-s3cret-s3cret" }\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[], redis = redisUrl()) => {
    const r = spawnSync(process.execPath, [CLI, 'webhooks', ...args, '--config', configFile], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, TDMGATE_REDIS_URL: redis, TDMGATE_QUEUE_PREFIX: prefix } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('lists a dead letter, replays it into its queue; unknown endpoint or id 66, Redis away 69', async () => {
    const connection = connectRedis(redisUrl(), { name: 'tdmgate-test-webhooks-cli' });
    const queue = new Queue(webhookQueueName({ name: 'crm' }), { connection, prefix });
    // A delivery the CRM refused for good: one try, failed by a worker.
    await queue.add('deliver', { event: 'ring', deliveryId: 'call-1.ring', body: '{"id":"call-1.ring","callId":"call-1"}', at: Date.now() }, { jobId: 'call-1.ring', attempts: 1 });
    const worker = new Worker(webhookQueueName({ name: 'crm' }), () => Promise.reject(new Error('HTTP 410 Gone')), { connection: redisOptions(redisUrl(), { name: 'tdmgate-test-webhooks-worker' }), prefix });
    try {
      await waitFor(async () => (await queue.getFailedCount()) === 1, 'the delivery failed');
      await worker.close();
      const listed = run(['dead-letters', '--json']);
      assert.equal(listed.code, 0, listed.stderr);
      const letters = JSON.parse(listed.stdout) as { endpoint: string; id: string; reason: string }[];
      assert.deepEqual(letters.map((d) => [d.endpoint, d.id, d.reason]), [['crm', 'call-1.ring', 'HTTP 410 Gone']]);
      assert.equal(run(['replay', 'crm', 'nope']).code, 66);
      assert.equal(run(['dead-letters', '--endpoint', 'erp']).code, 66);
      const replayed = run(['replay', 'crm', '--json']);
      assert.equal(replayed.code, 0, replayed.stderr);
      assert.deepEqual(JSON.parse(replayed.stdout), { endpoint: 'crm', replayed: 1 });
      assert.equal(await queue.getFailedCount(), 0);
      assert.equal(await queue.getWaitingCount(), 1);
      assert.equal(run(['dead-letters'], 'redis://127.0.0.1:1').code, 69);
      assert.equal(run(['replay']).code, 64);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
