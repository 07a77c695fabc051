// Jobs and campaigns through /api/v1 on the real Redis the scripts start (a prefix of this
// test's own, removed afterwards): a call job queued and listed, refusals naming the field, a
// campaign loaded from entries with the bad one refused by its pointer, listed, followed,
// paused, resumed and cancelled, and a state change the campaign's status forbids (409).

import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { redisUrl, uniquePrefix } from '../jobs/test-redis';
import { startApiSupervisor, type ApiTestSupervisor } from './api-harness';

interface Problem { status: number; code: string; field?: string; errors?: { field: string }[] }

describe('REST API: jobs and campaigns on Redis', function () {
  this.timeout(60_000);
  let api: ApiTestSupervisor;
  let prefix: string;

  before(async () => {
    prefix = uniquePrefix('api');
    api = await startApiSupervisor({ queues: { url: redisUrl(), prefix } });
  });
  after(async () => {
    await api?.stop();
    const redis = new Redis(redisUrl());
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  const json = async <T>(res: Response, status: number): Promise<T> => {
    const text = await res.text();
    assert.equal(res.status, status, text);
    return JSON.parse(text) as T;
  };

  it('POST /jobs queues a call job that GET /jobs lists; a bad number is refused naming the field', async () => {
    const added = await json<{ key: string; group: string }>(await api.call('POST', '/api/v1/jobs', { token: api.secrets.operator, body: { group: 'carrier', number: '030 1234567', attempts: 1 } }), 201);
    assert.match(added.key, /^calls-carrier\/\d+$/);
    const listed = await json<{ jobs: { key: string; number: string }[] }>(await api.call('GET', '/api/v1/jobs?group=carrier&limit=10', { token: api.secrets.viewer }), 200);
    assert.equal(listed.jobs.find((j) => j.key === added.key)?.number, '030 1234567');
    const bad = await json<Problem>(await api.call('POST', '/api/v1/jobs', { token: api.secrets.operator, body: { group: 'carrier', number: 'x' } }), 400);
    assert.deepEqual([bad.code, bad.field], ['INVALID_JOB', 'number']);
    const [queue, id] = added.key.split('/') as [string, string];
    assert.equal((await json<Problem>(await api.call('POST', `/api/v1/jobs/${queue}/${id}9999/retry`, { token: api.secrets.operator }), 404)).code, 'NOT_FOUND');
    await json<{ jobs: unknown[] }>(await api.call('GET', '/api/v1/jobs/dead-letters'), 200);
  });

  it('POST /campaigns loads the good entries and names the refused one; pause, resume, cancel follow its status', async () => {
    const loaded = await json<{ campaign: { id: string; status: string }; added: number; refused: { field: string; message: string }[] }>(await api.call('POST', '/api/v1/campaigns', {
      token: api.secrets.operator,
      body: { name: 'Winter Promo', group: 'carrier', window: '00:00-24:00', maxAttempts: 1, perMinute: 1, entries: [{ number: '030 1234567', data: { crm: '17' } }, { number: '+4930555111' }, { number: 'not a number' }] },
    }), 201);
    assert.equal(loaded.campaign.id, 'winter-promo');
    assert.equal(loaded.added, 2);
    assert.deepEqual(loaded.refused.map((r) => r.field), ['/entries/2/number']);
    const list = await json<{ campaigns: { id: string }[] }>(await api.call('GET', '/api/v1/campaigns', { token: api.secrets.viewer }), 200);
    assert.ok(list.campaigns.some((c) => c.id === 'winter-promo'));
    const paused = await json<{ campaign: { status: string }; pending: number }>(await api.call('POST', '/api/v1/campaigns/winter-promo/pause', { token: api.secrets.operator }), 200);
    assert.equal(paused.campaign.status, 'paused');
    assert.equal((await json<{ campaign: { status: string } }>(await api.call('GET', '/api/v1/campaigns/winter-promo', { token: api.secrets.viewer }), 200)).campaign.status, 'paused');
    assert.equal((await json<{ campaign: { status: string } }>(await api.call('POST', '/api/v1/campaigns/winter-promo/resume', { token: api.secrets.operator }), 200)).campaign.status, 'active');
    assert.equal((await json<{ campaign: { status: string } }>(await api.call('POST', '/api/v1/campaigns/winter-promo/cancel', { token: api.secrets.operator }), 200)).campaign.status, 'cancelled');
    assert.equal((await json<Problem>(await api.call('POST', '/api/v1/campaigns/winter-promo/resume', { token: api.secrets.operator }), 409)).code, 'INVALID_STATE');
    assert.equal((await json<Problem>(await api.call('GET', '/api/v1/campaigns/no-such', { token: api.secrets.viewer }), 404)).code, 'NOT_FOUND');
  });

  it('a campaign the site cannot call, or with no entry to load, is refused naming the field', async () => {
    const group = await json<Problem>(await api.call('POST', '/api/v1/campaigns', { token: api.secrets.operator, body: { name: 'x', group: 'nowhere', entries: [{ number: '+4930555111' }] } }), 400);
    assert.deepEqual([group.code, group.field], ['INVALID_JOB', 'group']);
    const none = await json<Problem>(await api.call('POST', '/api/v1/campaigns', { token: api.secrets.operator, body: { name: 'y', group: 'carrier', window: '00:00-24:00', entries: [{ number: 'abc' }] } }), 400);
    assert.deepEqual(none.errors?.map((e) => e.field), ['/entries/0/number']);
    const empty = await json<Problem>(await api.call('POST', '/api/v1/campaigns', { token: api.secrets.operator, body: { name: 'z', group: 'carrier', entries: [] } }), 400);
    assert.equal(empty.errors?.[0]?.field, '/entries');
  });
});
