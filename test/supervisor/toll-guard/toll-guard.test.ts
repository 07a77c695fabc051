// The toll guard against a real database (a SQLite file, and MariaDB): the caps counted in the
// shared tables - calls per hour, distinct numbers per day, international minutes per day - a
// token that hits one suspended through the seam with the alert emitted, two guards on one
// database (two boxes) counting into the same numbers, and the off-hours rule on a manual clock.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { ManualClock } from '../../../src/clock';
import { loadSiteFile } from '../../../src/provisioning/site/load';
import type { SiteConfig } from '../../../src/provisioning/site/site-types';
import { Database } from '../../../src/store/database';
import { GuardUsageRepository } from '../../../src/store/guard-usage-repository';
import { compileNumbering, toE164 } from '../../../src/supervisor/numbering/numbering';
import type { Origin } from '../../../src/supervisor/outbound/request';
import { isGuardError, type GuardRuleName } from '../../../src/supervisor/toll-guard/guard-errors';
import type { GuardPolicy } from '../../../src/supervisor/toll-guard/guard-policy';
import { TollGuard, type GuardAlert, type GuardRefusal } from '../../../src/supervisor/toll-guard/toll-guard';
import type { TokenSuspension } from '../../../src/supervisor/toll-guard/token-suspension';
import { MemorySuspension } from './memory-suspension';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../store/test-databases';
import { DEMO_SITE, silent } from '../supervisor-harness';

/** Monday 7 December 2026, 10:00 in Berlin (the demo site's zone). */
const MONDAY_10 = Date.UTC(2026, 11, 7, 9, 0);
const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`toll guard with its counters (${dialect})`, function () {
    this.timeout(60_000);
    let t: TestDatabase;
    let db: Database;
    let site: SiteConfig;
    let clock: ManualClock;
    let suspension: MemorySuspension;
    const plan = () => compileNumbering(site.routing?.numbering ?? { country: '49', nationalPrefix: '0', internationalPrefix: '00', localAreaCode: '69', nationalPatterns: [] });

    before(async () => {
      site = (await loadSiteFile(DEMO_SITE)).site;
    });
    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      db = Database.open({ url: t.url, dataDir: t.dataDir });
      await db.migrateLatest();
      clock = new ManualClock(MONDAY_10);
      suspension = new MemorySuspension();
    });
    afterEach(async () => {
      await db.close();
      await t.cleanup();
    });

    const guardOf = (policy: GuardPolicy, seam: TokenSuspension | null = suspension, on: Database = db) =>
      new TollGuard({ site, policy, usage: new GuardUsageRepository(on.knex), suspension: seam, logger: silent, now: () => clock.now() });
    const call = (guard: TollGuard, number: string, origin: Origin | null = { via: 'api', token: 'crm' }) =>
      guard.check({ number: toE164(number, plan()), group: { name: 'carrier', number: 1 }, origin });
    const refusedBy = async (p: Promise<unknown>, rule: GuardRuleName): Promise<void> => {
      await assert.rejects(p, (err: unknown) => {
        assert.ok(isGuardError(err), String(err));
        assert.equal(err.rule, rule, err.message);
        assert.equal(err.code, 'GUARD_REFUSED');
        return true;
      });
    };

    it('calls per hour: the 4th call of a cap of 3 is refused and the alert raised (no token store: nothing suspended); the next hour counts afresh', async () => {
      const guard = guardOf({ defaults: {}, tokens: { crm: { callsPerHour: 3 } } }, null);
      const refusals: GuardRefusal[] = [];
      guard.on('refused', (r) => refusals.push(r));
      for (let i = 0; i < 3; i++) assert.equal(await call(guard, `030 111111${i}`), null);
      const alert = once(guard, 'alert') as Promise<[GuardAlert]>;
      await assert.rejects(call(guard, '030 1111119'), (err: unknown) => isGuardError(err) && err.limit === '3 calls per hour' && /rule calls-per-hour \(3 calls per hour\): token crm asked for call 4 this hour/.test(err.message));
      const [raised] = await alert;
      assert.equal(raised.rule, 'calls-per-hour');
      assert.equal(raised.suspended, false, 'no token store given: nothing suspended');
      assert.deepEqual(refusals.map((r) => [r.rule, r.token, r.via, r.number]), [['calls-per-hour', 'crm', 'api', '+49301111119']]);
      // Another token and calls without one have their own counters.
      assert.equal(await call(guard, '030 1111119', { via: 'api', token: 'other' }), null);
      clock.advance(HOUR);
      assert.equal(await call(guard, '030 1111119'), null, 'a new hour');
    });

    it('a token that hits a cap is suspended through the seam, and refused as suspended from then on', async () => {
      const guard = guardOf({ defaults: { callsPerHour: 1 }, tokens: {} });
      const suspended = once(guard, 'suspended');
      await call(guard, '030 1234567');
      await refusedBy(call(guard, '030 1234568'), 'calls-per-hour');
      const [event] = (await suspended) as [{ token: string; reason: string }];
      assert.equal(event.token, 'crm');
      assert.match(suspension.suspended.get('crm') ?? '', /toll-fraud guard: calls-per-hour cap hit \(1 calls per hour\)/);
      clock.advance(HOUR);
      await refusedBy(call(guard, '030 1234567'), 'suspended');
    });

    it('two boxes on one database share the counters: calls per hour and distinct numbers per day', async () => {
      const policy: GuardPolicy = { defaults: {}, tokens: { crm: { callsPerHour: 4, destinationsPerDay: 3 } } };
      const other = Database.open({ url: t.url, dataDir: t.dataDir });
      after(() => other.close());
      const [a, b] = [guardOf(policy), guardOf(policy, suspension, other)];
      await call(a, '030 1000001');
      await call(b, '030 1000002');
      await call(a, '030 1000001');
      await call(b, '030 1000003');
      await refusedBy(call(a, '030 1000001'), 'calls-per-hour');
      assert.ok(suspension.suspended.has('crm'));

      suspension.suspended.clear();
      clock.advance(HOUR);
      // A number called before keeps its place; a 4th distinct one today is beyond the cap.
      await call(b, '030 1000002');
      await refusedBy(call(a, '030 1000004'), 'destinations-per-day');
      assert.match(suspension.suspended.get('crm') ?? '', /3 distinct numbers per day/);
    });

    it('calls at the same moment on two boxes: exactly the cap goes through', async () => {
      const policy: GuardPolicy = { defaults: {}, tokens: { crm: { callsPerHour: 4 } } };
      // Boxes share MariaDB; a SQLite file is one box's, and better-sqlite3's second connection in
      // this one thread would wait on the first synchronously: two guards on one connection there.
      const other = dialect === 'sqlite' ? db : Database.open({ url: t.url, dataDir: t.dataDir });
      try {
        const boxes = [guardOf(policy, null), guardOf(policy, null, other)];
        const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => call(boxes[i % 2] as TollGuard, `030 200000${i}`)));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 4);
        for (const r of results) if (r.status === 'rejected') assert.ok(isGuardError(r.reason) && r.reason.rule === 'calls-per-hour', String(r.reason));
      } finally {
        if (other !== db) await other.close();
      }
    });

    it('international minutes: an answered call abroad adds its minutes at its end; past the cap calls abroad are refused', async () => {
      const guard = guardOf({ defaults: {}, tokens: { crm: { internationalMinutesPerDay: 1 } } }, null);
      assert.equal(await call(guard, '030 1234567'), null, 'no ticket for a call at home');
      const ticket = await call(guard, '0086 138 0013 8000');
      assert.ok(ticket, 'a call abroad carries a ticket');
      const alert = once(guard, 'alert') as Promise<[GuardAlert]>;
      guard.callEnded(ticket, 90);
      assert.equal((await alert)[0].rule, 'international-minutes');
      await refusedBy(call(guard, '0086 138 0013 8001'), 'international-minutes');
      assert.equal(await call(guard, '030 1234567'), null, 'calls at home go on');
      clock.advance(24 * HOUR);
      assert.ok(await call(guard, '0086 138 0013 8001'), 'a new day');
    });

    it('off-hours on a manual clock: Saturday only local calls; Monday 10:00 a mobile goes again', async () => {
      clock = new ManualClock(MONDAY_10 - 2 * 24 * HOUR);
      const guard = guardOf({ defaults: { offHours: { from: 480, to: 1200, days: [1, 2, 3, 4, 5], allow: ['local'] } }, tokens: {} });
      await refusedBy(call(guard, '0151 12345678'), 'off-hours');
      assert.equal(await call(guard, '069 1234567'), null);
      clock.advance(2 * 24 * HOUR);
      assert.equal(await call(guard, '0151 12345678'), null);
      assert.equal(suspension.suspended.size, 0, 'a rule that is not a cap suspends nobody');
    });

    it('class and country refusals are not caps: no suspension, no alert, no counting', async () => {
      const guard = guardOf({ defaults: { countries: ['86'], callsPerHour: 1 }, tokens: {} });
      let alerts = 0;
      guard.on('alert', () => alerts++);
      await refusedBy(call(guard, '0900 1234567'), 'class');
      await refusedBy(call(guard, '0044 20 7946 0000'), 'country');
      assert.equal(await call(guard, '030 1234567'), null, 'the refused calls used none of the hour\'s one call');
      assert.equal(alerts, 0);
      assert.equal(suspension.suspended.size, 0);
    });
  });
}
