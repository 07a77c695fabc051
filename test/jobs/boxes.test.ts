// Several boxes on one Redis and one MariaDB, each a real process with its own simulated cards
// and stand-in Asterisk: a job for a group runs only on a box whose site has the group; a box
// killed with SIGKILL while a job's call rings hands the job back (BullMQ's stalled-job check),
// and the surviving box takes it over without dialling that try again - the next try goes out.

import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CallJobs } from '../../src/jobs/call-jobs';
import { connectRedis } from '../../src/jobs/redis';
import { loadSiteFile } from '../../src/provisioning/site/load';
import { createTestDatabase, type TestDatabase } from '../store/test-databases';
import { DEMO_SITE } from '../supervisor/supervisor-harness';
import { waitFor } from '../wait-for';
import { redisUrl, uniquePrefix } from './test-redis';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BOX_B_SITE = path.join(ROOT, 'test', 'fixtures', 'sites', 'box-b.yaml');

interface Box {
  name: string;
  child: ChildProcessWithoutNullStreams;
  log: () => string;
  dir: string;
}

describe('several boxes on one Redis and one MariaDB', function () {
  this.timeout(120_000);
  const prefix = uniquePrefix('boxes');
  let db: TestDatabase;
  const boxes: Box[] = [];

  const startBox = (name: string, site: string, dial: object): Box => {
    const dir = mkdtempSync(path.join(tmpdir(), `tdmgate-${name}-`));
    const child = spawn(process.execPath, [path.join(__dirname, 'box-process.js')], {
      env: {
        ...process.env, TDMGATE_SITE: site, TDMGATE_BACKEND: 'sim', TDMGATE_DATA_DIR: dir, TDMGATE_LISTEN: '127.0.0.1:0',
        TDMGATE_REDIS_URL: redisUrl(), TDMGATE_QUEUE_PREFIX: prefix, TDMGATE_DB_URL: db.url, TDMGATE_TEST_DIAL: JSON.stringify(dial),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const box = { name, child, log: () => out, dir };
    boxes.push(box);
    return box;
  };
  const dialling = (box: Box, key: string): { try: number; call: string }[] =>
    box.log().split('\n').filter((l) => l.includes('"msg":"call job dialling"') && l.includes(`"job":"${key}"`)).map((l) => JSON.parse(l) as { try: number; call: string });

  before(async () => {
    db = await createTestDatabase('mariadb');
  });
  after(async () => {
    for (const b of boxes) {
      b.child.kill('SIGKILL');
      rmSync(b.dir, { recursive: true, force: true });
    }
    await db.cleanup();
  });

  it('a job runs only where its group is; a box killed mid-call hands its job over without a second call for that try', async () => {
    // Calls ring 4 s before they are answered: long enough to kill a box while one rings.
    const ringing = { kind: 'answer', ringMs: 200, afterMs: 4_000, talkMs: 500 };
    const a = startBox('box-a', DEMO_SITE, ringing);
    const b = startBox('box-b', BOX_B_SITE, ringing);
    await waitFor(() => a.log().includes('"msg":"box ready"') && b.log().includes('"msg":"box ready"'), 'both boxes ready', 30_000);

    const redis = connectRedis(redisUrl(), { name: 'tdmgate-test-boxes' });
    const jobsOn = async (site: string) => new CallJobs({ connection: redis, prefix, site: (await loadSiteFile(site)).site });
    const jobsA = await jobsOn(DEMO_SITE);
    const jobsB = await jobsOn(BOX_B_SITE);
    try {
      // "mobile" exists on box B only.
      const mobile = await jobsB.add({ group: 'mobile', number: '030 1112223' });
      await waitFor(() => dialling(b, mobile.key).length === 1, 'box B dialling the mobile job', 20_000);
      assert.equal(dialling(a, mobile.key).length, 0);

      // "carrier" is on both: whichever box takes it is killed while the call rings.
      const carrier = await jobsA.add({ group: 'carrier', number: '030 4445556', attempts: 3, retryDelay: { failed: 1 } });
      const first = await waitFor(() => [a, b].find((box) => dialling(box, carrier.key).length === 1), 'a box dialling the carrier job', 20_000);
      const survivor = first === a ? b : a;
      const firstTry = dialling(first, carrier.key)[0];
      first.child.kill('SIGKILL');

      const done = await waitFor(async () => (await jobsA.list({ group: 'carrier', states: ['completed'] })).find((j) => j.key === carrier.key), 'the carrier job done by the surviving box', 60_000);
      assert.equal(done.outcome, 'answered');
      assert.equal(done.triesMade, 2);
      assert.match(survivor.log(), new RegExp(`"job":"${carrier.key.replace('/', '\\/')}".*"msg":"call job try taken over: not dialled again"`));
      // Try 1 was dialled once, by the killed box; the survivor dialled try 2 only.
      assert.deepEqual(dialling(survivor, carrier.key).map((d) => d.try), [2]);
      assert.notEqual(dialling(survivor, carrier.key)[0]?.call, firstTry?.call);
    } finally {
      await jobsA.close();
      await jobsB.close();
      redis.disconnect();
    }
  });
});
