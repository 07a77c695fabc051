// `tdmgate campaign` and `tdmgate dnc` end to end, as the bundle a technician runs, against the
// real Redis under a prefix of this test's own: a 1,000-line list with a bad number on line 812
// (refused by FILE:812, the 998 good lines loaded, a second load adding nothing), status, pause,
// resume and cancel with --json and what another connection sees of them, the refusals that load
// nothing (unknown group, a window that never opens), exit codes, and the do-not-call list.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { CampaignService } from '../../../src/jobs/campaigns';
import { connectRedis, whenReady } from '../../../src/jobs/redis';
import { CLI } from '../../cli/cli-helpers';
import { redisUrl, uniquePrefix } from '../test-redis';
import { mobile, SITE_YAML } from './campaign-site';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('tdmgate campaign / dnc (CLI against the real Redis)', function () {
  this.timeout(120_000);
  let dir: string;
  let prefix: string;
  let redis: Redis;
  let service: CampaignService;

  function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
    const base = { NO_COLOR: '1', TDMGATE_CONFIG: join(dir, 'tdmgate.yaml'), TDMGATE_SITE: join(dir, 'site.yaml'), TDMGATE_REDIS_URL: redisUrl(), TDMGATE_QUEUE_PREFIX: prefix };
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tdmgate-campaign-cli-'));
    writeFileSync(join(dir, 'tdmgate.yaml'), '# the environment says it all\n');
    writeFileSync(join(dir, 'site.yaml'), SITE_YAML);
    const lines = ['number,customer'];
    for (let line = 2; line <= 1000; line++) lines.push(line === 812 ? '138 0013 8x00,Broken' : `${mobile(line)},"Customer ${line}, Beijing"`);
    writeFileSync(join(dir, 'december.csv'), `${lines.join('\r\n')}\r\n`);
    prefix = uniquePrefix('campaign-cli');
    redis = connectRedis(redisUrl(), { name: 'test-other-box' });
    await whenReady(redis, redisUrl(), 10_000);
    service = new CampaignService({ redis, prefix });
  });

  after(async () => {
    await service.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('load: line 812 refused as FILE:812 with its field, the 998 good lines loaded, the id printed; loading again adds nothing', async () => {
    const file = join(dir, 'december.csv');
    const run = await cli(['campaign', 'load', file, '--group', 'carrier', '--window', '09:00-20:00', '--days', 'mon-sat']);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, 'december\n');
    assert.match(run.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:812: number: "138 0013 8x00" has "x"`));
    assert.match(run.stderr, /campaign december: 998 number\(s\) added, 1 line\(s\) refused/);
    const job = await service.queue('december').getJob('december-2');
    assert.deepEqual(job?.data.data, { customer: 'Customer 2, Beijing' });

    const again = await cli(['campaign', 'load', file, '--group', 'carrier', '--window', '09:00-20:00', '--days', 'mon-sat', '--json']);
    assert.equal(again.code, 1);
    const body = JSON.parse(again.stdout) as { ok: boolean; added: number; alreadyLoaded: number; refused: Array<{ line: number; field: string }>; campaign: { id: string; window: { days: number[] } } };
    assert.deepEqual([body.ok, body.added, body.alreadyLoaded, body.campaign.id], [true, 0, 998, 'december']);
    assert.deepEqual(body.refused.map((r) => [r.line, r.field]), [[812, 'number']]);
    assert.deepEqual(body.campaign.window.days, [1, 2, 3, 4, 5, 6]);
  });

  it('status, pause, resume, cancel --json; each change is what another box sees in Redis', async () => {
    const status = await cli(['campaign', 'status', 'december', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const s = JSON.parse(status.stdout) as { pending: number; inProgress: number; answered: number; failed: number; campaign: { status: string }; window: { open: boolean; nextChange: string } };
    assert.deepEqual([s.pending, s.inProgress, s.answered, s.failed, s.campaign.status], [998, 0, 0, 0, 'active']);
    assert.ok(Date.parse(s.window.nextChange) > Date.now());

    const paused = await cli(['campaign', 'pause', 'december', '--json']);
    assert.equal(paused.code, 0, paused.stderr);
    assert.equal((JSON.parse(paused.stdout) as { campaign: { status: string } }).campaign.status, 'paused');
    assert.equal(await service.queue('december').isPaused(), true);
    assert.equal((await service.get('december')).status, 'paused');

    const human = await cli(['campaign', 'status', 'december']);
    assert.match(human.stdout, /campaign december \(december\): PAUSED/);
    assert.match(human.stdout, /window 09:00-20:00 mon,tue,wed,thu,fri,sat Asia\/Shanghai: (open, closes|closed, opens) \d{4}-\d\d-\d\d \d\d:\d\d/);
    assert.match(human.stdout, /pending 998, in progress 0, answered 0, failed 0/);

    const resumed = await cli(['campaign', 'resume', 'december', '--json']);
    assert.equal(resumed.code, 0);
    assert.equal(await service.queue('december').isPaused(), false);

    const cancelled = await cli(['campaign', 'cancel', 'december', '--json']);
    assert.equal(cancelled.code, 0);
    const c = JSON.parse(cancelled.stdout) as { pending: number; cancelled: number; campaign: { status: string } };
    assert.deepEqual([c.campaign.status, c.pending, c.cancelled], ['cancelled', 0, 998]);
    assert.deepEqual(await service.activeQueues('carrier'), []);

    const refused = await cli(['campaign', 'resume', 'december']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /campaign december is cancelled/);
    const missing = await cli(['campaign', 'status', 'nope', '--json']);
    assert.equal(missing.code, 66);
    assert.equal((JSON.parse(missing.stdout) as { code: string }).code, 'NOT_FOUND');
  });

  it('an unknown group, a window that never opens, a file without a number column: exit 65 naming the field, nothing loaded', async () => {
    const file = join(dir, 'december.csv');
    const group = await cli(['campaign', 'load', file, '--group', 'nope', '--name', 'other']);
    assert.equal(group.code, 65);
    assert.match(group.stderr, /group: "nope" is not a trunk group of the site; groups: carrier \(1\), incoming \(2\)/);
    const inbound = await cli(['campaign', 'load', file, '--group', 'incoming', '--name', 'other']);
    assert.equal(inbound.code, 65);
    assert.match(inbound.stderr, /group: "incoming" takes inbound calls only/);
    const never = await cli(['campaign', 'load', file, '--group', 'carrier', '--window', '09:00-09:00', '--name', 'other', '--json']);
    assert.equal(never.code, 65);
    assert.deepEqual(JSON.parse(never.stdout), { ok: false, code: 'INVALID_JOB', field: 'window', message: '09:00-09:00 never opens: it closes when it opens; for the whole day write 00:00-24:00' });
    writeFileSync(join(dir, 'phones.csv'), 'phone\n13800000001\n');
    const header = await cli(['campaign', 'load', join(dir, 'phones.csv'), '--group', 'carrier']);
    assert.equal(header.code, 65);
    assert.match(header.stderr, /phones\.csv:1: header: has no "number" column/);
    const usage = await cli(['campaign', 'load', file]);
    assert.equal(usage.code, 64);
    assert.match(usage.stderr, /needs --group/);
    assert.deepEqual((await service.list()).map((x) => x.id), ['december']);
  });

  it('dnc add / list / remove read numbers with the site\'s numbering; a bad one is refused, the others still added', async () => {
    const add = await cli(['dnc', 'add', '013800000005', '+86 138 0000 0006', '12x', '--json']);
    assert.equal(add.code, 1);
    const body = JSON.parse(add.stdout) as { numbers: string[]; changed: number; refused: Array<{ field: string }> };
    assert.deepEqual([body.numbers, body.changed, body.refused.map((r) => r.field)], [['+8613800000005', '+8613800000006'], 2, ['number 3']]);
    const list = await cli(['dnc', 'list']);
    assert.equal(list.stdout, '+8613800000005\n+8613800000006\n');
    assert.equal(await service.dnc.has('+8613800000006'), true);
    const remove = await cli(['dnc', 'remove', '13800000005']);
    assert.equal(remove.code, 0);
    assert.deepEqual(await service.dnc.list(), ['+8613800000006']);
  });

  it('Redis not reachable: exit 69 naming where it looked', async () => {
    const run = await cli(['campaign', 'status', 'december'], { TDMGATE_REDIS_URL: 'redis://127.0.0.1:1' });
    assert.equal(run.code, 69);
    assert.match(run.stderr, /Redis at redis:\/\/127\.0\.0\.1:1\/? is not reachable/);
  });
});
