// The campaigns service against the real Redis the scripts start, each test under its own key
// prefix: load -> progress counts, a repeated load adding only what is new, pause / resume /
// cancel seen through a second connection (another box) by BullMQ itself, the do-not-call list
// and the window checked at dial time, pacing enforced by BullMQ on manual fetches, outcomes
// counted and a finished campaign marked done. Jobs are fetched the dispatcher's way: a Worker
// without a processor and getNextJob.

import assert from 'node:assert/strict';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { readCampaignCsv } from '../../../src/jobs/campaigns/campaign-rows';
import { CampaignService } from '../../../src/jobs/campaigns/campaign-service';
import { campaignSettings, type CampaignOptions } from '../../../src/jobs/campaigns/campaign-settings';
import type { CampaignJobData, CampaignRow } from '../../../src/jobs/campaigns/campaign-types';
import { campaignKeys } from '../../../src/jobs/campaigns/campaign-keys';
import { isJobError } from '../../../src/jobs/job-errors';
import { connectRedis, whenReady } from '../../../src/jobs/redis';
import { waitFor } from '../../wait-for';
import { redisUrl, uniquePrefix } from '../test-redis';
import { mobile, plan, site } from './campaign-site';

/** `count` rows as a file gives them: line n (from 2) calls mobile(n) and carries crm-n. */
function rows(count: number): CampaignRow[] {
  const lines = ['number,crm'];
  for (let line = 2; line < count + 2; line++) lines.push(`${mobile(line)},crm-${line}`);
  return readCampaignCsv(lines.join('\n'), plan).rows;
}

function settings(options: Partial<CampaignOptions> = {}): ReturnType<typeof campaignSettings> {
  return campaignSettings({ name: 'December list', group: 'carrier', window: '00:00-24:00', ...options }, site);
}

describe('campaign service (real Redis)', function () {
  this.timeout(60_000);
  let prefix: string;
  let box1: Redis;
  let box2: Redis;
  let workerRedis: Redis;
  let service: CampaignService;
  let other: CampaignService;
  const workers: Worker[] = [];

  beforeEach(async () => {
    prefix = uniquePrefix('campaign');
    box1 = connectRedis(redisUrl(), { name: 'test-box1' });
    box2 = connectRedis(redisUrl(), { name: 'test-box2' });
    workerRedis = connectRedis(redisUrl(), { name: 'test-worker' });
    await Promise.all([box1, box2, workerRedis].map((r) => whenReady(r, redisUrl(), 10_000)));
    service = new CampaignService({ redis: box1, prefix });
    other = new CampaignService({ redis: box2, prefix });
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await service.close();
    await other.close();
    const keys = await box1.keys(`${prefix}:*`);
    if (keys.length > 0) await box1.del(...keys);
    for (const r of [box1, box2, workerRedis]) r.disconnect();
  });

  /** The dispatcher's way of taking a job: a Worker with no processor, fetched by hand. */
  function fetcher(queue: string): { next(): Promise<Job<CampaignJobData> | undefined>; token: string } {
    const worker = new Worker<CampaignJobData>(queue, null, { connection: workerRedis, prefix, autorun: false });
    workers.push(worker);
    const token = `test-${workers.length}`;
    return { token, next: async () => (await worker.getNextJob(token, { block: false })) ?? undefined };
  }

  it('load -> status: every row a job with its E.164 number and row data; a second load adds only the new lines', async () => {
    const first = await service.load(settings(), rows(5));
    assert.equal(first.campaign.id, 'december-list');
    assert.equal(first.campaign.queue, 'campaign-december-list');
    assert.deepEqual([first.added, first.alreadyLoaded], [5, 0]);
    assert.equal(first.campaign.maxAttempts, 2, "the group's outbound maxRetries (1) + the first try");
    const job = await service.queue('december-list').getJob('december-list-3');
    assert.deepEqual(job?.data, { campaignId: 'december-list', group: 'carrier', number: `+86${mobile(3)}`, attempts: 2, line: 3, data: { crm: 'crm-3' } });
    assert.equal(job?.opts.attempts, 2);

    const again = await service.load(settings(), rows(6));
    assert.deepEqual([again.added, again.alreadyLoaded], [1, 5]);
    const progress = await other.progress('december-list');
    assert.deepEqual([progress.pending, progress.inProgress, progress.answered, progress.failed, progress.cancelled], [6, 0, 0, 0, 0]);
    assert.equal(progress.campaign.status, 'active');
    assert.deepEqual(progress.window, { open: true, nextChange: null });
    assert.deepEqual((await other.list()).map((c) => c.id), ['december-list']);

    await assert.rejects(service.load(settings({ group: '1', window: '09:00-20:00' }), rows(1)), (err: unknown) => isJobError(err, 'INVALID_STATE') && /already exists with other settings .*another --name/.test(err.message));
    await assert.rejects(other.progress('nope'), (err: unknown) => isJobError(err, 'NOT_FOUND'));
  });

  it('pause, resume and cancel on one box are seen by the other: BullMQ hands out no job while paused, none after cancel', async () => {
    const { campaign } = await service.load(settings(), rows(4));
    const changes: string[] = [];
    const listener = connectRedis(redisUrl(), { name: 'test-listener' });
    try {
      await listener.subscribe(campaignKeys(prefix).changes);
      listener.on('message', (_channel: string, message: string) => changes.push((JSON.parse(message) as { status: string }).status));
      const fetch = fetcher(campaign.queue);

      await service.pause(campaign.id);
      assert.equal((await other.get(campaign.id)).status, 'paused');
      assert.equal(await other.queue(campaign.id).isPaused(), true);
      assert.equal(await fetch.next(), undefined, 'a paused queue gives the other box nothing');
      assert.deepEqual(await other.activeQueues('carrier'), []);
      assert.equal((await other.progress(campaign.id)).pending, 4);

      await other.resume(campaign.id);
      assert.equal((await service.get(campaign.id)).status, 'active');
      assert.deepEqual(await service.activeQueues('carrier'), [campaign.queue]);
      const first = await fetch.next();
      assert.ok(first, 'resumed: jobs flow again');
      assert.equal((await service.beforeDial(first.data)).action, 'go');
      await first.moveToCompleted('answered', fetch.token, false);
      await service.recordOutcome(campaign.id, 'answered');
      const second = await fetch.next();
      assert.ok(second);

      await other.cancel(campaign.id);
      const after = await service.progress(campaign.id);
      assert.equal(after.campaign.status, 'cancelled');
      assert.deepEqual([after.pending, after.inProgress, after.answered, after.cancelled], [0, 1, 1, 2], 'the answered job stays for the report, the call in progress finishes');
      assert.deepEqual(after.byOutcome, { answered: 1 });
      assert.deepEqual(await service.beforeDial(second.data), { action: 'skip', reason: 'cancelled' }, 'a job fetched before the cancel is not dialled');
      assert.equal(await fetch.next(), undefined);
      assert.deepEqual(await other.activeQueues('carrier'), []);
      await assert.rejects(service.resume(campaign.id), (err: unknown) => isJobError(err, 'INVALID_STATE') && /is cancelled/.test(err.message));
      await assert.rejects(service.pause(campaign.id), (err: unknown) => isJobError(err, 'INVALID_STATE'));
      await assert.rejects(service.load(settings(), rows(4)), (err: unknown) => isJobError(err, 'INVALID_STATE') && /was cancelled/.test(err.message));
      await waitFor(() => changes.length >= 3, 'the change messages', 5_000);
      assert.deepEqual(changes.slice(0, 3), ['paused', 'active', 'cancelled']);
    } finally {
      listener.disconnect();
    }
  });

  it('do-not-call: a number added after the load is skipped at dial time, and dialled again once removed', async () => {
    const { campaign } = await service.load(settings(), rows(2));
    const job = await service.queue(campaign.id).getJob(`${campaign.id}-2`);
    assert.ok(job);
    assert.deepEqual(await service.beforeDial(job.data), { action: 'go' });
    assert.equal(await other.dnc.add([job.data.number, '+8613900000000']), 2);
    assert.equal(await other.dnc.add([job.data.number]), 0, 'already on the list');
    assert.deepEqual(await service.beforeDial(job.data), { action: 'skip', reason: 'dnc' });
    assert.deepEqual(await service.dnc.list(), ['+8613800000002', '+8613900000000']);
    assert.equal(await service.dnc.has('+8613900000000'), true);
    assert.equal(await service.dnc.remove([job.data.number]), 1);
    assert.deepEqual(await service.beforeDial(job.data), { action: 'go' });
    await assert.rejects(service.dnc.add(['13800000000']), (err: unknown) => isJobError(err, 'INVALID_JOB') && err.field === 'number');
  });

  it('the window at dial time: outside it the job waits until it opens, and the group lists the campaign only while it is open', async () => {
    const { campaign } = await service.load(settings({ window: '09:00-20:00' }), rows(1));
    const job = await service.queue(campaign.id).getJob(`${campaign.id}-2`);
    assert.ok(job);
    const night = new Date('2026-12-07T14:00:00Z'); // 22:00 in Shanghai
    const morning = new Date('2026-12-08T01:00:00Z'); // 09:00 the next day
    assert.deepEqual(await service.beforeDial(job.data, night), { action: 'wait', until: morning, reason: 'window' });
    assert.deepEqual(await service.beforeDial(job.data, morning), { action: 'go' });
    assert.deepEqual(await other.activeQueues('carrier', night), []);
    assert.deepEqual(await other.activeQueues('carrier', morning), [campaign.queue]);
    assert.deepEqual(await other.nextWindowChange('carrier', night), morning);
    const status = await other.progress(campaign.id, night);
    assert.deepEqual(status.window, { open: false, nextChange: morning.toISOString() });
    await service.pause(campaign.id);
    const paused = await service.beforeDial(job.data, morning);
    assert.equal(paused.action === 'wait' && paused.reason, 'paused');
  });

  it('pacing is BullMQ\'s own: at most maxConcurrent jobs of the campaign handed out at once, on any box', async () => {
    const { campaign } = await service.load(settings({ name: 'paced', maxConcurrent: 2, perMinute: 30 }), rows(5));
    const queue = other.queue(campaign.id);
    assert.equal(await queue.getGlobalConcurrency(), 2);
    assert.deepEqual(await queue.getGlobalRateLimit(), { max: 30, duration: 60_000 });
    const fetch = fetcher(campaign.queue);
    const a = await fetch.next();
    const b = await fetch.next();
    assert.ok(a && b);
    assert.equal(await fetch.next(), undefined, 'a third call would exceed maxConcurrent');
    await a.moveToCompleted('answered', fetch.token, false);
    assert.ok(await fetch.next(), 'one finished, the next may go');
  });

  it('outcomes are counted per attempt; when every number is answered or given up the campaign is done', async () => {
    const { campaign } = await service.load(settings({ name: 'short', maxAttempts: 1 }), rows(3));
    const fetch = fetcher(campaign.queue);
    for (const outcome of ['answered', 'busy', 'answered'] as const) {
      const job = await fetch.next();
      assert.ok(job);
      await service.recordOutcome(campaign.id, outcome);
      if (outcome === 'answered') await job.moveToCompleted(outcome, fetch.token, false);
      else await job.moveToFailed(new Error(outcome), fetch.token, false);
    }
    const done = await other.progress(campaign.id);
    assert.deepEqual([done.pending, done.inProgress, done.answered, done.failed], [0, 0, 2, 1]);
    assert.deepEqual(done.byOutcome, { answered: 2, busy: 1 });
    assert.equal(done.campaign.status, 'done');
    await assert.rejects(service.pause(campaign.id), (err: unknown) => isJobError(err, 'INVALID_STATE') && /is done/.test(err.message));
    await assert.rejects(service.recordOutcome(campaign.id, 'maybe' as never), (err: unknown) => isJobError(err, 'INVALID_JOB') && err.field === 'outcome');
    // New lines make a finished campaign callable again.
    const more = await service.load(settings({ name: 'short', maxAttempts: 1 }), rows(4));
    assert.deepEqual([more.added, more.campaign.status], [1, 'active']);
  });
});
