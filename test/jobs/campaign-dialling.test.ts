// Campaigns dialled by the supervisor's dispatcher, end to end: the real Redis, the sim's two E1
// PRI spans and the stand-in answering. Every number is called once, the one on the do-not-call
// list never; a paused campaign is not dialled until resumed; a campaign whose window is closed
// is not dialled at all; each attempt's outcome is counted in the campaign's progress.

import assert from 'node:assert/strict';
import type { App } from '../../src/app/app';
import { readCampaignCsv } from '../../src/jobs/campaigns/campaign-rows';
import { campaignSettings } from '../../src/jobs/campaigns/campaign-settings';
import { DncList } from '../../src/jobs/campaigns/dnc-list';
import { compileNumbering } from '../../src/supervisor/numbering/numbering';
import { startTestSupervisor, type TestSupervisor } from '../supervisor/supervisor-harness';
import { waitFor } from '../wait-for';
import { redisUrl, uniquePrefix } from './test-redis';

describe('campaigns dialled by the dispatcher, end to end', function () {
  this.timeout(60_000);
  let running: TestSupervisor;
  let sup: App;
  let prefix: string;

  beforeEach(async () => {
    prefix = uniquePrefix('campaign-dial');
    running = await startTestSupervisor({ name: 'SQLite', url: undefined }, { url: redisUrl(), prefix });
    sup = running.sup;
    await waitFor(() => sup.queues?.dispatcher.ready, 'the queues connected to Redis');
    sup.standin!.setDefaultOutcome({ kind: 'answer', afterMs: 20, talkMs: 100 });
  });
  afterEach(() => running.stop());

  const queues = () => {
    assert.ok(sup.queues);
    return sup.queues;
  };
  const load = async (name: string, count: number, window = '00:00-24:00') => {
    const plan = compileNumbering(sup.site.routing?.numbering ?? { country: '49', nationalPrefix: '0', internationalPrefix: '00', localAreaCode: null, nationalPatterns: [] });
    const csv = ['number,crm', ...Array.from({ length: count }, (_, i) => `030 77${String(i).padStart(5, '0')},crm-${i}`)].join('\n');
    const { rows } = readCampaignCsv(csv, plan);
    const { campaign } = await queues().campaigns.load(campaignSettings({ name, group: 'carrier', window }, sup.site), rows);
    return campaign;
  };

  it('calls every number once and never the one on the do-not-call list; progress counts the outcomes', async () => {
    await new DncList(queues().dispatcher.options.connection, prefix).add(['+49307700003']);
    const campaign = await load('winter', 12);
    const progress = await waitFor(async () => {
      const p = await queues().campaigns.progress(campaign.id);
      return p.answered === 11 && p.failed === 1 ? p : undefined;
    }, 'the campaign done', 30_000);
    assert.equal(progress.byOutcome.answered, 11);
    assert.equal(progress.byOutcome.dnc, 1);
    // Each answered call's record is written when the far end hangs up.
    const dialled = await waitFor(async () => {
      const rows = (await sup.db.knex('cdr').select('dst')) as { dst: string }[];
      return rows.length >= 11 ? rows : undefined;
    }, 'the eleven CDRs');
    assert.equal(dialled.length, 11);
    assert.ok(!dialled.some((r) => r.dst === '0307700003'), 'the DNC number was never dialled');
  });

  it('a paused campaign is not dialled until resumed; a closed window dials nothing', async () => {
    const campaign = await load('spring', 5);
    await queues().campaigns.pause(campaign.id);
    const hourNow = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hour12: false, timeZone: sup.site.timezone }).format(new Date()));
    const closed = `${String((hourNow + 2) % 24).padStart(2, '0')}:00-${String((hourNow + 3) % 24).padStart(2, '0')}:00`;
    const later = await load('autumn', 3, closed);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await queues().campaigns.progress(campaign.id)).answered, 0);
    assert.equal((await queues().campaigns.progress(later.id)).answered, 0);
    assert.equal(queues().dispatcher.stats.started, 0);
    await queues().campaigns.resume(campaign.id);
    await waitFor(async () => (await queues().campaigns.progress(campaign.id)).answered === 5, 'the resumed campaign done', 30_000);
    assert.equal((await queues().campaigns.progress(later.id)).answered, 0, 'outside its window: still not dialled');
  });
});
