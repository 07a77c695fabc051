// The migrations on both dialects: up creates Asterisk's cdr table with tdmgate's columns and
// the unique (uniqueid, sequence) index; down removes it; up again works. Real SQLite file and
// real MariaDB.

import assert from 'node:assert/strict';
import { CDR_COLUMNS, CDR_TEXT_LIMITS } from '../../src/store/cdr-columns';
import { Database } from '../../src/store/database';
import { migrationNames } from '../../src/store/migration-source';
import { createTestDatabase, DIALECTS, type TestDatabase } from './test-databases';

const ASTERISK_COLUMNS = [
  'calldate', 'clid', 'src', 'dst', 'dcontext', 'channel', 'dstchannel', 'lastapp', 'lastdata', 'duration',
  'billsec', 'disposition', 'amaflags', 'accountcode', 'uniqueid', 'userfield', 'linkedid', 'peeraccount', 'sequence',
];

async function columnsOf(db: Database): Promise<Map<string, { type: string; length: number | null }>> {
  const out = new Map<string, { type: string; length: number | null }>();
  if (db.dialect === 'sqlite') {
    const rows = (await db.knex.raw(`PRAGMA table_info('cdr')`)) as { name: string; type: string }[];
    for (const r of rows) {
      const m = /\((\d+)\)/.exec(r.type);
      out.set(r.name, { type: r.type.toLowerCase().replace(/\(.*/, ''), length: m ? Number(m[1]) : null });
    }
    return out;
  }
  const [rows] = (await db.knex.raw(
    `SELECT column_name AS name, data_type AS type, character_maximum_length AS len
       FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'cdr'`,
  )) as [{ name: string; type: string; len: number | null }[]];
  for (const r of rows) out.set(r.name, { type: r.type.toLowerCase(), length: r.len === null ? null : Number(r.len) });
  return out;
}

async function hasTable(db: Database, name: string): Promise<boolean> {
  return db.knex.schema.hasTable(name);
}

for (const dialect of DIALECTS) {
  describe(`store migrations (${dialect})`, function () {
    this.timeout(60_000);
    let t: TestDatabase;
    let db: Database;

    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      db = Database.open({ url: t.url, dataDir: t.dataDir });
    });
    afterEach(async () => {
      await db.close();
      await t.cleanup();
    });

    it('up creates the cdr table with every Asterisk column, the tdmgate columns and their widths', async () => {
      assert.deepEqual(await db.migrateLatest(), migrationNames());
      assert.deepEqual(await db.appliedMigrations(), migrationNames());
      const cols = await columnsOf(db);
      for (const c of [...ASTERISK_COLUMNS, ...CDR_COLUMNS]) assert.ok(cols.has(c), `column ${c} is missing`);
      for (const [c, width] of Object.entries(CDR_TEXT_LIMITS)) {
        assert.equal(cols.get(c)?.length, width, `width of ${c}`);
      }
      if (dialect === 'mariadb') {
        assert.equal(cols.get('calldate')?.type, 'datetime');
        assert.equal(cols.get('duration')?.type, 'int');
        assert.equal(cols.get('amaflags')?.type, 'int');
        assert.equal(cols.get('sequence')?.type, 'int');
        assert.equal(cols.get('src')?.type, 'varchar');
      }
    });

    it('up twice is a no-op the second time', async () => {
      await db.migrateLatest();
      assert.deepEqual(await db.migrateLatest(), []);
    });

    it('down removes the table and the record of the migration; up works again', async () => {
      await db.migrateLatest();
      assert.ok(await hasTable(db, 'cdr'));
      assert.deepEqual(await db.migrateDownAll(), [...migrationNames()].reverse());
      assert.equal(await hasTable(db, 'cdr'), false);
      assert.deepEqual(await db.appliedMigrations(), []);
      await db.migrateLatest();
      assert.ok(await hasTable(db, 'cdr'));
    });

    it('the (uniqueid, sequence) pair is unique in the schema itself', async () => {
      await db.migrateLatest();
      const row = { calldate: '2025-11-24 10:00:00', uniqueid: '1732442400.1', sequence: 0, direction: 'inbound' };
      await db.knex('cdr').insert(row);
      await assert.rejects(db.knex('cdr').insert(row), (err: { code?: string }) => /UNIQUE|DUP/.test(err.code ?? ''));
      await db.knex('cdr').insert({ ...row, sequence: 1 });
    });
  });
}
