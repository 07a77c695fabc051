// Redis killed (SIGKILL) and started again in the middle of a campaign: with the AOF on
// (appendfsync always, as scripts/redis runs it), no number is lost and none is called twice -
// the calls in progress finish, their results are stored once Redis is back, and the waiting
// numbers are dialled after it returns. Meanwhile the supervisor keeps taking inbound calls.

import assert from 'node:assert/strict';
import type { App } from '../../src/app/app';
import { readCampaignCsv } from '../../src/jobs/campaigns/campaign-rows';
import { campaignSettings } from '../../src/jobs/campaigns/campaign-settings';
import { compileNumbering } from '../../src/supervisor/numbering/numbering';
import { startTestSupervisor, type TestSupervisor } from '../supervisor/supervisor-harness';
import { waitFor } from '../wait-for';
import { privateRedis, uniquePrefix, type PrivateRedis } from './test-redis';

/** Not the test Redis's port (6380) nor a developer's usual ones. */
const PORT = 6479;

describe('job queues across a Redis restart', function () {
  this.timeout(120_000);
  let redis: PrivateRedis;
  let running: TestSupervisor;
  let sup: App;

  before(async () => {
    redis = await privateRedis(PORT);
  });
  after(() => redis.cleanup());
  beforeEach(async () => {
    // Short locks: a job whose fetch Redis answered just before it died comes back in seconds.
    running = await startTestSupervisor({ name: 'SQLite', url: undefined }, { url: redis.url, prefix: uniquePrefix('restart'), lockMs: 4_000, stalledMs: 1_000 });
    sup = running.sup;
    await waitFor(() => sup.queues?.dispatcher.ready, 'the queues connected to Redis');
  });
  afterEach(() => running.stop());

  it('kill -9 mid-campaign: every number answered exactly once, inbound calls go on while Redis is away', async () => {
    sup.standin!.setDefaultOutcome({ kind: 'answer', afterMs: 30, talkMs: 1_200 });
    const queues = sup.queues!;
    const numbers = Array.from({ length: 80 }, (_, i) => `030 88${String(i).padStart(5, '0')}`);
    const plan = compileNumbering(sup.site.routing?.numbering ?? { country: '49', nationalPrefix: '0', internationalPrefix: '00', localAreaCode: null, nationalPatterns: [] });
    const { rows: list } = readCampaignCsv(['number', ...numbers].join('\n'), plan);
    const { campaign } = await queues.campaigns.load(campaignSettings({ name: 'restart', group: 'carrier', window: '00:00-24:00' }, sup.site), list);
    await waitFor(() => queues.dispatcher.stats.completed >= 20, '20 numbers done', 30_000);
    await redis.kill();
    await waitFor(() => !queues.dispatcher.ready, 'the queues not ready');
    // /readyz says so (503), naming the queues; the rest of the supervisor is fine.
    const away = await fetch(`${sup.url}/readyz`);
    assert.equal(away.status, 503);
    const checks = ((await away.json()) as { checks: Record<string, { ok: boolean; detail: string }> }).checks;
    assert.deepEqual([checks.queues?.ok, checks.ari?.ok, checks.cdr?.ok], [false, true, true]);
    // Inbound calls do not need Redis.
    const inbound = sup.standin!.placeInboundCall({ span: 2, did: '691234501', callerId: '0301234' });
    await waitFor(() => sup.standin!.channels().find((c) => c.id === inbound.id)?.dialplan.context === 'cc-sales', 'an inbound call routed while Redis is away').catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(sup.standin!.channels().find((c) => c.id === inbound.id))} ${JSON.stringify(inbound)} ${JSON.stringify(sup.calls.stats())}`);
    });
    sup.standin!.remoteHangup(inbound.id, 16);
    await redis.start();
    await waitFor(() => queues.dispatcher.ready, 'the queues ready again', 20_000);
    assert.equal((await fetch(`${sup.url}/readyz`)).status, 200);
    const progress = await waitFor(async () => {
      const p = await queues.campaigns.progress(campaign.id);
      return p.answered === numbers.length ? p : undefined;
    }, 'all 80 numbers answered', 60_000);
    assert.deepEqual([progress.pending, progress.inProgress, progress.failed], [0, 0, 0]);
    // Each number answered once: one answered CDR per number once every call has ended.
    const rows = await waitFor(async () => {
      const r = (await sup.db.knex('cdr').where({ direction: 'outbound', disposition: 'ANSWERED' }).select('dst')) as { dst: string }[];
      return r.length >= numbers.length ? r : undefined;
    }, 'an answered CDR per job', 30_000);
    const perNumber = new Map<string, number>();
    for (const r of rows) perNumber.set(r.dst, (perNumber.get(r.dst) ?? 0) + 1);
    assert.equal(perNumber.size, numbers.length);
    assert.ok([...perNumber.values()].every((n) => n === 1), 'no number called twice');
  });
});
