// Errors across the SQLite writer thread's port: real driver errors, sent through a real
// MessageChannel (the structured clone a worker's postMessage does), come out as the same
// classes with the same codes, so classifyDbError decides as it would in process.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { KnexTimeoutError } from 'knex';
import { classifyDbError, isStoreError, StoreError } from '../../src/store/store-errors';
import { errorFromWire, errorToWire, type WireError } from '../../src/store/wire-errors';

/** The error as the other side of a worker's port sees it. */
async function acrossPort(err: unknown): Promise<Error> {
  const { port1, port2 } = new MessageChannel();
  try {
    const got = new Promise<WireError>((resolve) => port2.once('message', resolve));
    port1.postMessage(errorToWire(err));
    return errorFromWire(await got);
  } finally {
    port1.close();
    port2.close();
  }
}

/** better-sqlite3's error instance type (its typings name only the class). */
type SqliteError = InstanceType<typeof BetterSqlite3.SqliteError>;

function sqliteError(run: (db: BetterSqlite3.Database, other: BetterSqlite3.Database) => void): SqliteError {
  const dir = mkdtempSync(join(tmpdir(), 'tdmgate-wire-'));
  const db = new BetterSqlite3(join(dir, 'x.db'));
  const other = new BetterSqlite3(join(dir, 'x.db'));
  try {
    db.pragma('busy_timeout = 0');
    other.pragma('busy_timeout = 0');
    db.exec('create table t (a text not null, b int unique)');
    run(db, other);
  } catch (err) {
    return err as SqliteError;
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('the statement did not fail');
}

describe('store errors across the writer thread boundary', () => {
  it('SQLITE_BUSY (another connection holds the write lock) stays a transient SqliteError', async () => {
    const original = sqliteError((db, other) => {
      other.exec('BEGIN EXCLUSIVE');
      db.exec("insert into t (a) values ('x')");
    });
    assert.equal(original.code, 'SQLITE_BUSY');
    const err = await acrossPort(original);
    assert.ok(err instanceof BetterSqlite3.SqliteError);
    assert.equal((err as SqliteError).code, 'SQLITE_BUSY');
    assert.equal(err.message, original.message);
    assert.equal(classifyDbError(err), 'transient');
  });

  it('NOT NULL and a unique clash stay data / fatal exactly as in process', async () => {
    const notNull = sqliteError((db) => db.exec('insert into t (a) values (null)'));
    const unique = sqliteError((db) => db.exec("insert into t (a, b) values ('x', 1), ('y', 1)"));
    for (const original of [notNull, unique]) {
      const err = await acrossPort(original);
      assert.ok(err instanceof BetterSqlite3.SqliteError);
      assert.equal((err as SqliteError).code, original.code);
      assert.equal(classifyDbError(err), classifyDbError(original));
    }
    assert.equal(classifyDbError(await acrossPort(notNull)), 'data');
  });

  it('StoreError keeps its code and its cause; knex pool timeouts stay KnexTimeoutError', async () => {
    const full = Object.assign(new Error('disk full'), { code: 'SQLITE_FULL', errno: 13 });
    const migration = await acrossPort(new StoreError('MIGRATION_FAILED', 'migrating the database up failed', { cause: full }));
    assert.ok(isStoreError(migration, 'MIGRATION_FAILED'));
    assert.equal((migration.cause as { code?: string }).code, 'SQLITE_FULL');
    assert.equal((migration.cause as { errno?: number }).errno, 13);
    // A failed migration is classified by the database error inside it.
    assert.equal(classifyDbError(migration), 'transient');

    const timeout = await acrossPort(new KnexTimeoutError('Knex: Timeout acquiring a connection'));
    assert.ok(timeout instanceof KnexTimeoutError);
    assert.equal(classifyDbError(timeout), 'transient');
    assert.ok(isStoreError(await acrossPort(new StoreError('TIMEOUT', 'CDR insert took longer than 1 ms')), 'TIMEOUT'));
  });

  it('anything else keeps name, code and errno; a thrown non-Error becomes an Error', async () => {
    const io = await acrossPort(Object.assign(new Error('write failed'), { code: 'SQLITE_IOERR_WRITE' }));
    assert.equal((io as { code?: string }).code, 'SQLITE_IOERR_WRITE');
    assert.equal(classifyDbError(io), 'transient');
    const type = await acrossPort(new TypeError('x is not a function'));
    assert.equal(type.name, 'TypeError');
    assert.equal(classifyDbError(type), 'fatal');
    const text = await acrossPort('boom');
    assert.ok(text instanceof Error);
    assert.equal(text.message, 'boom');
  });

  it('a writer thread that died is a transient StoreError', () => {
    assert.equal(classifyDbError(new StoreError('WORKER_EXITED', 'the thread exited')), 'transient');
    assert.equal(classifyDbError(new StoreError('WORKER_MISSING', 'no script')), 'fatal');
  });
});
