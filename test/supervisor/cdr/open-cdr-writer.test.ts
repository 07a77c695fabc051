// openCdrWriter, the composition root's one way to the CDR writer: SQLite writes on the writer
// thread by default (or on the caller's thread when asked), MySQL/MariaDB on the main thread;
// migrations at open, or - when the database is locked then - on the first write that reaches
// it, inside the thread.

import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import type { CdrRow } from '../../../src/store/cdr-columns';
import { classifyDbError, isStoreError } from '../../../src/store/store-errors';
import { openCdrWriter, type OpenedCdrWriter } from '../../../src/supervisor/cdr/open-cdr-writer';
import { parseCdrRecord } from '../../../src/supervisor/cdr/cdr-record';
import { createTestDatabase, type Dialect, type TestDatabase } from '../../store/test-databases';
import { makeCdr } from './cdr-fixtures';

interface Logged {
  level: 'info' | 'warn' | 'error';
  msg: string;
}

function rowOf(i: number): CdrRow {
  return parseCdrRecord(makeCdr(i));
}

describe('openCdrWriter', function () {
  this.timeout(60_000);
  const opened: OpenedCdrWriter[] = [];
  const databases: TestDatabase[] = [];
  let logged: Logged[] = [];
  const log = {
    info: (_o: object, msg: string) => logged.push({ level: 'info', msg }),
    warn: (_o: object, msg: string) => logged.push({ level: 'warn', msg }),
    error: (_o: object, msg: string) => logged.push({ level: 'error', msg }),
  };

  const database = async (dialect: Dialect): Promise<TestDatabase> => {
    const t = await createTestDatabase(dialect);
    databases.push(t);
    return t;
  };
  const open = async (t: TestDatabase, sqliteThread?: 'worker' | 'main'): Promise<OpenedCdrWriter> => {
    const o = await openCdrWriter({ url: t.url, dataDir: t.dataDir, log, sqliteBusyTimeoutMs: 20, ...(sqliteThread ? { sqliteThread } : {}) });
    opened.push(o);
    return o;
  };

  beforeEach(() => {
    logged = [];
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
    for (const t of databases.splice(0)) await t.cleanup();
  });

  it('SQLite: the writer thread by default, migrated at open; rows readable through knex', async () => {
    const t = await database('sqlite');
    const o = await open(t);
    assert.equal(o.thread, 'worker');
    assert.equal(o.target.dialect, 'sqlite');
    assert.ok(o.writerThread !== null && o.writerThread.threadId !== null, 'the thread runs (it ran the migrations)');
    await o.writer.insertMany([rowOf(0), rowOf(1)]);
    await o.writer.insertMany([rowOf(1), rowOf(2)]);
    await o.writer.ping();
    const rows = (await o.knex('cdr').select('uniqueid').orderBy('id')) as { uniqueid: string }[];
    assert.deepEqual(rows.map((r) => r.uniqueid), [0, 1, 2].map((i) => makeCdr(i).uniqueid));
    assert.equal(o.writerThread.threadsStarted, 1);
    await o.close();
    assert.equal(o.writerThread.status, 'closed');
    assert.equal(o.writerThread.threadId, null);
  });

  it('SQLite locked at open: no failure, the migrations run in the thread on the first write that gets through', async () => {
    const t = await database('sqlite');
    const locker = new BetterSqlite3(t.url.replace(/^sqlite:\/\//, ''));
    locker.exec('BEGIN EXCLUSIVE');
    let o: OpenedCdrWriter;
    try {
      o = await open(t);
      assert.ok(logged.some((l) => l.level === 'warn' && /migrations not run/.test(l.msg)), JSON.stringify(logged));
      // The migration fails first, with the lock inside: transient, as the sink needs to spool.
      await assert.rejects(o.writer.insertMany([rowOf(0)]), (err) => isStoreError(err, 'MIGRATION_FAILED') && classifyDbError(err) === 'transient');
    } finally {
      locker.exec('COMMIT');
      locker.close();
    }
    await o.writer.insertMany([rowOf(0)]);
    assert.ok(logged.some((l) => l.level === 'info' && /migrations ran/.test(l.msg)), JSON.stringify(logged));
    assert.equal(((await o.knex('cdr').count({ n: '*' })) as { n: number }[])[0]?.n, 1);
  });

  it("SQLite with sqliteThread 'main', and MariaDB: on the caller's thread", async () => {
    for (const [dialect, thread] of [['sqlite', 'main'], ['mariadb', undefined]] as const) {
      const t = await database(dialect);
      const o = await open(t, thread);
      assert.equal(o.thread, 'main', dialect);
      assert.equal(o.writerThread, null);
      await o.writer.insertMany([rowOf(0), rowOf(0)]);
      const rows = (await o.knex('cdr').select('uniqueid')) as { uniqueid: string }[];
      assert.deepEqual(rows.map((r) => r.uniqueid), [makeCdr(0).uniqueid], dialect);
    }
  });
});
