// `tdmgate jobs ...` from the bundle against the real Redis the scripts start, under a prefix of
// the test's own: a job queued and listed, refusals naming the field with exit 65, Redis away
// 69, an unknown job 66, usage mistakes 64 - the codes scripts and monitoring read.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CLI } from './cli-helpers';
import { redisUrl, uniquePrefix } from '../jobs/test-redis';

describe('tdmgate jobs (bundle)', function () {
  this.timeout(60_000);
  const prefix = uniquePrefix('cli-jobs');
  const jobs = (args: string[], redis = redisUrl()) => {
    const r = spawnSync(process.execPath, [CLI, 'jobs', ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, TDMGATE_CONFIG: '', TDMGATE_REDIS_URL: redis, TDMGATE_QUEUE_PREFIX: prefix, NO_COLOR: '1' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('adds a call job, prints its key last, and lists it', () => {
    const added = jobs(['add', 'call', '--group', 'carrier', '--number', '030 1234567', '--target', 'sales', '--attempts', '4']);
    assert.equal(added.code, 0, added.stderr);
    const key = added.stdout.trim().split('\n').at(-1) as string;
    assert.match(key, /^calls-carrier\/\d+$/);
    const json = jobs(['add', 'call', '--group', 'carrier', '--number', '+49 30 7654321', '--target', 'cc-sales,s', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const second = (JSON.parse(json.stdout) as { job: string }).job;
    const list = jobs(['list', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const views = JSON.parse(list.stdout) as { key: string; state: string; tries: number; number: string }[];
    assert.deepEqual(views.map((v) => [v.key, v.state, v.tries]).sort(), [[key, 'waiting', 4], [second, 'waiting', 3]].sort());
    assert.match(jobs(['list', '--state', 'waiting']).stdout, /030 1234567/);
    assert.deepEqual(JSON.parse(jobs(['dead-letters', '--json']).stdout), []);
  });

  it('refusals name the field (65); Redis away 69; no such job 66; usage 64', () => {
    const bad = jobs(['add', 'call', '--group', 'carrier', '--number', '030 12a']);
    assert.equal(bad.code, 65);
    assert.match(bad.stderr, /030 12a/);
    const group = jobs(['add', 'call', '--group', 'nope', '--number', '0301234567']);
    assert.equal(group.code, 65);
    assert.match(group.stderr, /group: "nope" is not a trunk group of the site; groups: carrier/);
    const away = jobs(['list'], 'redis://127.0.0.1:1');
    assert.equal(away.code, 69);
    assert.match(away.stderr, /Redis at redis:\/\/127\.0\.0\.1:1\/? is not reachable/);
    assert.equal(jobs(['retry', 'calls-carrier/424242']).code, 66);
    assert.equal(jobs(['add', 'sms', '--group', 'carrier', '--number', '1']).code, 64);
    assert.equal(jobs(['add', 'call', '--number', '1']).code, 64);
    assert.equal(jobs(['list', '--state', 'lost']).code, 64);
  });
});
