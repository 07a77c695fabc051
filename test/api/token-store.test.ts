// The API's tokens and audit log in the database, on SQLite and on MariaDB (the project's own,
// scripts/mariadb): the migration creates both tables and drops them; a token is stored only as
// its hash, checked, refused once revoked, expired or suspended; a name in use is refused and a
// revoked one taken over; bad names, roles and lifetimes are refused naming the field; audit
// rows come back newest first, by token.

import assert from 'node:assert/strict';
import { ApiAuditLog } from '../../src/store/api-audit';
import { ApiTokenStore, hashToken, parseExpiry } from '../../src/store/api-tokens';
import { Database } from '../../src/store/database';
import { isTokenError } from '../../src/store/token-errors';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../store/test-databases';

for (const dialect of DIALECTS) {
  describe(`API tokens and audit in the database (${dialect})`, function () {
    this.timeout(60_000);
    let t: TestDatabase;
    let db: Database;
    let now: Date;
    let store: ApiTokenStore;

    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      db = Database.open({ url: t.url, dataDir: t.dataDir });
      await db.migrateLatest();
      now = new Date('2026-12-08T10:00:00Z');
      store = new ApiTokenStore(db.knex, () => now);
    });
    afterEach(async () => {
      await db.close();
      await t.cleanup();
    });

    it('stores only the hash; the secret checks out as its name and role', async () => {
      const made = await store.create({ name: 'crm', role: 'operator', expires: '90d' });
      assert.match(made.token, /^tdm_[A-Za-z0-9_-]{43}$/);
      assert.equal(made.expiresAt, '2027-03-08T10:00:00Z');
      const [row] = (await db.knex('api_tokens').select('*')) as Record<string, unknown>[];
      assert.equal(row?.token_hash, hashToken(made.token));
      assert.ok(!Object.values(row ?? {}).includes(made.token), 'the secret is not stored');
      assert.deepEqual(await store.check(made.token), { ok: true, token: { name: 'crm', role: 'operator' } });
      assert.deepEqual(await store.check(`${made.token}x`), { ok: false, reason: 'unknown' });
      assert.equal((await store.get('crm')).lastUsedAt, '2026-12-08T10:00:00Z');
      assert.ok(!JSON.stringify(await store.list()).includes(made.token));
    });

    it('refuses a revoked, an expired and a suspended token; revoking twice is no error', async () => {
      const a = await store.create({ name: 'a', role: 'viewer', expires: '1h' });
      const b = await store.create({ name: 'b', role: 'viewer' });
      const c = await store.create({ name: 'c', role: 'admin', expires: 'never' });
      await store.revoke('b');
      await store.revoke('b');
      await store.suspend('c', 'toll-fraud guard: premium numbers');
      now = new Date('2026-12-08T11:00:00Z');
      assert.deepEqual(await store.check(a.token), { ok: false, reason: 'expired' });
      assert.deepEqual(await store.check(b.token), { ok: false, reason: 'revoked' });
      assert.deepEqual(await store.check(c.token), { ok: false, reason: 'suspended' });
      const list = await store.list();
      assert.deepEqual(list.map((x) => [x.name, x.status]), [['a', 'expired'], ['b', 'revoked'], ['c', 'suspended']]);
      assert.equal(list[2]?.suspendedReason, 'toll-fraud guard: premium numbers');
      assert.equal(list[2]?.expiresAt, null);
    });

    it('a name in use is refused; a revoked name is taken over by a new token', async () => {
      const first = await store.create({ name: 'crm', role: 'viewer' });
      await assert.rejects(store.create({ name: 'crm', role: 'admin' }), (err) => isTokenError(err, 'NAME_TAKEN') && err.field === 'name');
      await store.revoke('crm');
      const second = await store.create({ name: 'crm', role: 'admin' });
      assert.deepEqual(await store.check(first.token), { ok: false, reason: 'unknown' });
      assert.deepEqual(await store.check(second.token), { ok: true, token: { name: 'crm', role: 'admin' } });
    });

    it('refuses a bad name, role or lifetime naming the field; an unknown name on revoke', async () => {
      await assert.rejects(store.create({ name: 'my crm', role: 'viewer' }), (err) => isTokenError(err, 'INVALID_TOKEN_REQUEST') && err.field === 'name');
      await assert.rejects(store.create({ name: 'crm', role: 'root' }), (err) => isTokenError(err) && err.field === 'role' && /viewer, operator, admin/.test(err.message));
      await assert.rejects(store.create({ name: 'crm', role: 'viewer', expires: '3 months' }), (err) => isTokenError(err) && err.field === 'expires');
      await assert.rejects(store.revoke('nobody'), (err) => isTokenError(err, 'TOKEN_NOT_FOUND'));
      assert.equal(parseExpiry('12h'), 12 * 3_600_000);
      assert.equal(parseExpiry('never'), null);
    });

    it('audit rows come back newest first, narrowed to one token on request', async () => {
      const audit = new ApiAuditLog(db.knex);
      await audit.record({ at: new Date('2026-12-08T10:00:00.123Z'), tokenName: 'crm', method: 'POST', path: '/api/v1/calls', remote: '10.0.0.7', status: 202, body: '{"number":"+4930555111"}', result: '' });
      await audit.record({ at: new Date('2026-12-08T10:00:01Z'), tokenName: '', method: 'DELETE', path: '/api/v1/calls/x', remote: '10.0.0.8', status: 401, body: '', result: 'UNAUTHENTICATED: the bearer token is not known' });
      const all = await audit.list({ limit: 10 });
      assert.deepEqual(all.map((e) => [e.method, e.status, e.tokenName]), [['DELETE', 401, ''], ['POST', 202, 'crm']]);
      assert.equal(all[1]?.at, '2026-12-08T10:00:00.123Z');
      assert.equal(all[1]?.remote, '10.0.0.7');
      assert.equal(all[0]?.result, 'UNAUTHENTICATED: the bearer token is not known');
      assert.deepEqual((await audit.list({ limit: 10, token: 'crm' })).map((e) => e.path), ['/api/v1/calls']);
    });

    it('the migration down drops both tables', async () => {
      await db.migrateDownAll();
      assert.equal(await db.knex.schema.hasTable('api_tokens'), false);
      assert.equal(await db.knex.schema.hasTable('api_audit'), false);
    });
  });
}
