// The toll guard in the running supervisor on the sim, with the ARI stand-in as Asterisk: an
// originate to a premium number, or abroad to a country the token may not call, is refused
// before anything is dialled; a token's 4th call of a cap of 3 an hour is refused, the token
// suspended through the seam and the alert raised; an answered call abroad adds its minutes
// when it ends; a call job the guard refuses fails at once, never tried again, with the rule
// in its failure reason; and the alert reaches the webhook endpoints that ask for fraud.alert.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { App } from '../../../src/app/app';
import { isGuardError, type GuardRuleName } from '../../../src/supervisor/toll-guard/guard-errors';
import type { GuardAlert } from '../../../src/supervisor/toll-guard/toll-guard';
import { redisUrl, uniquePrefix } from '../../jobs/test-redis';
import { waitFor } from '../../wait-for';
import { Receiver } from '../../webhooks/receiver';
import { endpoint, SECRET, startWithWebhooks, type WebhookSupervisor } from '../../webhooks/webhook-harness';
import { startTestSupervisor, type TestSupervisor } from '../supervisor-harness';
import { MemorySuspension } from './memory-suspension';

const CONFIG = `guard:
  defaults: { allow: [local, national, mobile, international], countries: ["+86"] }
  tokens:
    crm: { callsPerHour: 3 }
    intl: { internationalMinutesPerDay: 5 }
`;

describe('toll guard in the supervisor, end to end', function () {
  this.timeout(60_000);
  let running: TestSupervisor;
  let sup: App;
  let suspension: MemorySuspension;

  const refusedBy = async (p: Promise<unknown>, rule: GuardRuleName, message: RegExp): Promise<void> => {
    await assert.rejects(p, (err: unknown) => {
      assert.ok(isGuardError(err), String(err));
      assert.equal(err.rule, rule);
      assert.match(err.message, message);
      return true;
    });
  };

  describe('originates', () => {
    beforeEach(async () => {
      suspension = new MemorySuspension();
      running = await startTestSupervisor({ name: 'SQLite', url: undefined }, undefined, { configYaml: CONFIG, suspension });
      sup = running.sup;
    });
    afterEach(() => running.stop());

    it('a premium number is refused by class before anything is dialled', async () => {
      const before = sup.calls.outbound.stats;
      await refusedBy(sup.calls.outbound.originate({ group: 'carrier', number: '0900 1234567' }), 'class',
        /^"\+499001234567" refused by the toll-fraud guard, rule class \(allow: local, national, mobile, international\): premium numbers are not allowed for calls without a token \(local\)$/);
      await refusedBy(sup.calls.outbound.originate({ group: 'carrier', number: '0900 1234567', origin: { via: 'api', token: 'crm' } }), 'class', /premium numbers are not allowed for token crm/);
      assert.equal(sup.calls.outbound.stats.attempts, before.attempts, 'nothing dialled');
      assert.equal(sup.standin!.channels().length, 0);
    });

    it('abroad: a country the rule does not list is refused; one it lists is dialled', async () => {
      await refusedBy(sup.calls.outbound.originate({ group: 'carrier', number: '0044 20 7946 0000', origin: { via: 'api', token: 'crm' } }), 'country', /country \+44 is not allowed for token crm/);
      const r = await sup.calls.outbound.originate({ group: 'carrier', number: '0086 138 0013 8000', origin: { via: 'api', token: 'crm' } });
      assert.equal(r.e164, '+8613800138000');
      assert.equal(r.outcome, 'answered');
    });

    it('a 4th call of a cap of 3 an hour: refused, the token suspended through the seam, the alert raised', async () => {
      const alert = once(sup.guard, 'alert') as Promise<[GuardAlert]>;
      const crm = { via: 'api', token: 'crm' } as const;
      for (let i = 0; i < 3; i++) assert.equal((await sup.calls.outbound.originate({ group: 'carrier', number: `030 555000${i}`, origin: crm })).outcome, 'answered');
      await refusedBy(sup.calls.outbound.originate({ group: 'carrier', number: '030 5550009', origin: crm }), 'calls-per-hour', /\(3 calls per hour\)/);
      const [raised] = await alert;
      assert.deepEqual([raised.rule, raised.token, raised.suspended], ['calls-per-hour', 'crm', true]);
      assert.match(suspension.suspended.get('crm') ?? '', /calls-per-hour cap hit/);
      await refusedBy(sup.calls.outbound.originate({ group: 'carrier', number: '030 5550000', origin: crm }), 'suspended', /token crm is suspended/);
      // Calls for another token, or with none, go on.
      assert.equal((await sup.calls.outbound.originate({ group: 'carrier', number: '030 5550009' })).outcome, 'answered');
    });

    it('an answered call abroad adds its talk time to the token\'s international minutes when it ends', async () => {
      sup.standin!.onDial('_0086X.', { kind: 'answer', afterMs: 20, talkMs: 1_100 });
      const r = await sup.calls.outbound.originate({ group: 'carrier', number: '+86 138 0013 8000', origin: { via: 'api', token: 'intl' } });
      assert.equal(r.outcome, 'answered');
      const row = await waitFor(async () => (await sup.db.knex('guard_usage').where({ subject: 'intl', metric: 'international-seconds' }).first()) as { value: number } | undefined, 'the call\'s seconds counted');
      assert.ok(Number(row.value) >= 1, `counted ${row.value} s`);
    });
  });

  describe('a call job', () => {
    beforeEach(async () => {
      suspension = new MemorySuspension();
      running = await startTestSupervisor({ name: 'SQLite', url: undefined }, { url: redisUrl(), prefix: uniquePrefix('guard') }, { configYaml: CONFIG, suspension });
      sup = running.sup;
      await waitFor(() => sup.queues?.dispatcher.ready, 'the queues connected to Redis');
    });
    afterEach(() => running.stop());

    it('refused by the guard: failed at the first try, never retried, the rule in its reason', async () => {
      const jobs = sup.queues!.jobs;
      const refused: string[] = [];
      sup.guard.on('refused', (r) => refused.push(`${r.rule} ${r.via ?? ''} ${r.token ?? ''}`));
      const { key } = await jobs.add({ group: 'carrier', number: '0044 20 7946 0000', attempts: 5, retryDelay: { failed: 0 }, origin: { via: 'api', token: 'crm' } });
      const dead = await waitFor(async () => (await jobs.list({ limit: 100 })).find((j) => j.key === key && j.state === 'failed'), `job ${key} failed`);
      assert.equal(dead.triesMade, 1);
      assert.match(dead.reason ?? '', /GUARD_REFUSED: .*rule country \(countries: \+86\): country \+44 is not allowed for token crm/);
      assert.deepEqual(refused, ['country job crm'], 'the job is dialled as a job, for the token that added it');
      assert.equal(sup.standin!.channels().length, 0, 'nothing dialled');
    });
  });
});

describe('toll guard: the fraud alert as a webhook', function () {
  this.timeout(60_000);
  let running: WebhookSupervisor | null = null;
  let receiver: Receiver | null = null;
  afterEach(async () => {
    await receiver?.close();
    await running?.stop();
    await running?.dropKeys();
  });

  it('an endpoint that lists fraud.alert gets it signed, naming the cap and the suspended token; one that does not, nothing', async () => {
    receiver = await new Receiver(SECRET).start();
    const other = await new Receiver(SECRET).start();
    const suspension = new MemorySuspension();
    running = await startWithWebhooks([endpoint(receiver.url, 'name: security, events: [fraud.alert]'), endpoint(other.url, 'name: crm')], {
      configExtra: 'guard:\n  tokens:\n    crm: { callsPerHour: 1 }\n', suspension,
    });
    try {
      const sup = running.sup;
      const crm = { via: 'api', token: 'crm' } as const;
      await sup.calls.outbound.originate({ group: 'carrier', number: '030 5551111', origin: crm });
      await assert.rejects(sup.calls.outbound.originate({ group: 'carrier', number: '030 5552222', origin: crm }), (e: unknown) => isGuardError(e) && e.rule === 'calls-per-hour');
      const got = await waitFor(() => [...receiver!.delivered().values()].find((r) => r.event === 'fraud.alert'), 'the fraud alert delivered');
      assert.deepEqual(got.verification, { ok: true });
      const body = got.json as unknown as { event: string; alert: { rule: string; limit: string; token: string; suspended: boolean } };
      assert.equal(body.event, 'fraud.alert');
      assert.deepEqual({ ...body.alert, message: undefined }, { rule: 'calls-per-hour', limit: '1 calls per hour', token: 'crm', subject: 'crm', suspended: true, message: undefined });
      // The CRM endpoint got its call events, never the alert.
      await waitFor(() => [...other.delivered().values()].some((r) => r.event === 'ring'), 'the CRM got the call\'s ring');
      assert.ok(![...other.delivered().values()].some((r) => r.event === 'fraud.alert'));
    } finally {
      await other.close();
    }
  });
});
