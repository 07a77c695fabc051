// The API on a supervisor whose CDR database is MariaDB (the project's own, scripts/mariadb):
// tokens checked, refused once revoked, and audit rows written through the same pool the CDR
// reads use - the SQLite case is rest-api.test.ts.

import assert from 'node:assert/strict';
import { waitFor } from '../wait-for';
import { createTestDatabase, type TestDatabase } from '../store/test-databases';
import { startApiSupervisor, type ApiTestSupervisor } from './api-harness';

describe('REST API on MariaDB', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let api: ApiTestSupervisor;

  before(async () => {
    db = await createTestDatabase('mariadb');
    api = await startApiSupervisor({ dbUrl: db.url });
  });
  after(async () => {
    await api?.stop();
    await db?.cleanup();
  });

  it('checks tokens, audits a refused originate, refuses a revoked token', async () => {
    assert.equal((await api.call('GET', '/api/v1/groups', { token: api.secrets.viewer })).status, 200);
    const res = await api.call('POST', '/api/v1/calls', { token: api.secrets.operator, body: { group: 'carrier', number: 'nope' } });
    assert.equal(res.status, 400);
    const entry = await waitFor(async () => {
      const r = (await (await api.call('GET', '/api/v1/audit?token=operator')).json()) as { entries: { status: number; path: string; body: string }[] };
      return r.entries[0];
    }, 'the audit row on MariaDB');
    assert.deepEqual([entry.status, entry.path], [400, '/api/v1/calls']);
    assert.match(entry.body, /"number":"nope"/);
    assert.equal((await api.call('DELETE', '/api/v1/tokens/viewer')).status, 200);
    assert.equal((await api.call('GET', '/api/v1/groups', { token: api.secrets.viewer })).status, 401);
  });
});
