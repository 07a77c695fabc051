// The CDR repository on both dialects: ordered inserts, duplicates of (uniqueid, sequence)
// ignored, and - on MariaDB - a value the table refuses is an error, never a silently truncated
// row (why the repository does not use INSERT IGNORE). Error classes come from driver codes.

import assert from 'node:assert/strict';
import { CdrRepository } from '../../src/store/cdr-repository';
import type { CdrRow } from '../../src/store/cdr-columns';
import { Database } from '../../src/store/database';
import { classifyDbError } from '../../src/store/store-errors';
import { createTestDatabase, DIALECTS, type TestDatabase } from './test-databases';

const QUIET = { warn: (): void => undefined };

function row(i: number, overrides: Partial<CdrRow> = {}): CdrRow {
  return {
    calldate: new Date(Date.UTC(2025, 10, 24, 9, 0, i)), clid: '', src: `100${i}`, dst: '200', dcontext: 'from-pstn',
    channel: `DAHDI/${i + 1}-1`, dstchannel: '', lastapp: 'Dial', lastdata: '', duration: 10, billsec: 5,
    disposition: 'ANSWERED', amaflags: 3, accountcode: '', uniqueid: `u.${i}`, userfield: '', linkedid: `u.${i}`,
    peeraccount: '', sequence: 0, span: 1, timeslot: i + 1, trunk_group: 'g1', direction: 'inbound', q850_cause: 16,
    ring_time: null, answer_time: new Date(Date.UTC(2025, 10, 24, 9, 0, i, 250)), end_time: null, route: 'r', ...overrides,
  };
}

for (const dialect of DIALECTS) {
  describe(`CdrRepository (${dialect})`, function () {
    this.timeout(60_000);
    let t: TestDatabase;
    let db: Database;
    let repo: CdrRepository;

    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      db = Database.open({ url: t.url, dataDir: t.dataDir });
      await db.migrateLatest();
      repo = new CdrRepository(db);
    });
    afterEach(async () => {
      await db.close();
      await t.cleanup();
    });

    it('inserts in order and skips rows whose (uniqueid, sequence) exists', async () => {
      await repo.insertMany([row(0), row(1), row(2)]);
      await repo.insertMany([row(1), row(3), row(2), row(3)]);
      const rows = await repo.list();
      assert.deepEqual(rows.map((r) => r.uniqueid), ['u.0', 'u.1', 'u.2', 'u.3']);
      assert.equal(rows[0]?.answer_time, '2025-11-24 09:00:00.250');
      assert.equal(rows[0]?.calldate, '2025-11-24 09:00:00');
      assert.equal(rows[0]?.ring_time, null);
    });

    it('stores awkward text as given: quotes, backslashes, question marks, NUL-free control characters, non-ASCII', async () => {
      const text = `"Müller, O'Brien" <?\\x> ?? \\? 李 \t\n%_;--`;
      await repo.insertMany([row(0, { clid: text, userfield: text, route: '?' }), row(1, { clid: '?' })]);
      const [a, b] = await repo.list();
      assert.deepEqual([a?.clid, a?.userfield, a?.route, b?.clid], [text, text, '?', '?']);
    });

    it('writes more rows than one statement holds in one call', async () => {
      await repo.insertMany(Array.from({ length: 2500 }, (_, i) => row(i % 60, { uniqueid: `bulk.${i}` })));
      assert.equal(await repo.count(), 2500);
    });

    it('ping answers while the database is up', async () => {
      await repo.ping();
    });

    if (dialect === 'mariadb') {
      it('refuses a too-long value with a data-class error instead of truncating it', async () => {
        await assert.rejects(repo.insert(row(0, { dst: 'x'.repeat(81) })), (err) => classifyDbError(err) === 'data');
        assert.equal(await repo.count(), 0);
      });

      it('classifies a refused connection as transient and a missing table as fatal', async () => {
        const u = new URL(t.url);
        u.port = '1';
        const away = Database.open({ url: u.toString(), dataDir: t.dataDir, connectTimeoutMs: 500, acquireTimeoutMs: 1000, log: QUIET });
        try {
          await assert.rejects(away.ping(), (err) => classifyDbError(err) === 'transient');
        } finally {
          await away.close();
        }
        await db.migrateDownAll();
        await assert.rejects(repo.insert(row(0)), (err) => classifyDbError(err) === 'fatal');
      });
    } else {
      it('classifies a write-locked file as transient and a missing table as fatal', async () => {
        const other = Database.open({ url: t.url, dataDir: t.dataDir, sqliteBusyTimeoutMs: 10 });
        try {
          await db.knex.transaction(async (trx) => {
            await trx('cdr').insert({ calldate: '2025-11-24 09:00:00', uniqueid: 'lock', direction: 'inbound' });
            await assert.rejects(new CdrRepository(other).insert(row(0)), (err) => classifyDbError(err) === 'transient');
          });
        } finally {
          await other.close();
        }
        await db.migrateDownAll();
        await assert.rejects(repo.insert(row(0)), (err) => classifyDbError(err) === 'fatal');
      });
    }
  });
}
