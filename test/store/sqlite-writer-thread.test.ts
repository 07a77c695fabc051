// The SQLite CDR writer on its worker thread (SqliteWriterThread), on a real SQLite file: writes
// and migrations happen in the thread, idempotently; a locked database and refused values come
// back as the same typed errors as in process; the CDR sink over it spools on a locked database
// and on a thread terminated mid-batch, restarts the thread and replays - every record once, in
// order; close() answers what was asked first. Also: the worker script is found in both dist
// layouts (tsc's dist/src/store/ and the bundle's dist/).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { CdrRow } from '../../src/store/cdr-columns';
import { CdrRepository } from '../../src/store/cdr-repository';
import { Database } from '../../src/store/database';
import { migrationNames } from '../../src/store/migration-source';
import { packageRoot } from '../../src/package-root';
import { SqliteWriterThread, writerWorkerScript } from '../../src/store/sqlite-writer-thread';
import { ROWS_PER_MESSAGE, WRITER_WORKER_FILE } from '../../src/store/sqlite-writer-protocol';
import { classifyDbError, isStoreError } from '../../src/store/store-errors';
import { CdrSink } from '../../src/supervisor/cdr/cdr-sink';
import { SchemaFirstWriter } from '../../src/supervisor/cdr/schema-first-writer';
import { makeCdr, waitForEvent } from '../supervisor/cdr/cdr-fixtures';
import { waitFor } from '../wait-for';
import { createTestDatabase, type TestDatabase } from './test-databases';

/** better-sqlite3's error instance type (its typings name only the class). */
type SqliteError = InstanceType<typeof BetterSqlite3.SqliteError>;

function row(i: number, overrides: Partial<CdrRow> = {}): CdrRow {
  return {
    calldate: new Date(Date.UTC(2025, 10, 24, 9, 0, i)), clid: '', src: `100${i}`, dst: '200', dcontext: 'from-pstn',
    channel: `DAHDI/${(i % 30) + 1}-1`, dstchannel: '', lastapp: 'Dial', lastdata: '', duration: 10, billsec: 5,
    disposition: 'ANSWERED', amaflags: 3, accountcode: '', uniqueid: `u.${i}`, userfield: '', linkedid: `u.${i}`,
    peeraccount: '', sequence: 0, span: 1, timeslot: (i % 30) + 1, trunk_group: 'g1', direction: 'inbound', q850_cause: 16,
    ring_time: null, answer_time: new Date(Date.UTC(2025, 10, 24, 9, 0, i, 250)), end_time: null, route: 'r', ...overrides,
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

describe('SqliteWriterThread (SQLite on a worker thread)', function () {
  this.timeout(60_000);
  let t: TestDatabase;
  let file: string;
  let reader: Database;
  let repo: CdrRepository;
  let locker: BetterSqlite3.Database | null = null;
  const threads: SqliteWriterThread[] = [];

  const open = (extra: { busyTimeoutMs?: number; script?: string } = {}): SqliteWriterThread => {
    const w = new SqliteWriterThread({ filename: file, busyTimeoutMs: 20, acquireTimeoutMs: 1000, ...extra });
    threads.push(w);
    return w;
  };
  const lock = (): void => {
    locker = new BetterSqlite3(file);
    locker.exec('BEGIN EXCLUSIVE');
  };
  const unlock = (): void => {
    locker?.exec('COMMIT');
    locker?.close();
    locker = null;
  };

  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
    file = t.url.replace(/^sqlite:\/\//, '');
    reader = Database.open({ url: t.url, dataDir: t.dataDir });
    repo = new CdrRepository(reader);
  });
  afterEach(async () => {
    unlock();
    for (const w of threads.splice(0)) await w.close();
    await reader.close();
    await t.cleanup();
  });

  it('migrates and writes in its own thread; rows read back as written, a repeated batch adds nothing', async () => {
    const w = open();
    assert.equal(w.threadId, null, 'no thread before the first request');
    assert.deepEqual(await w.migrateLatest(), migrationNames());
    assert.ok(w.threadId !== null && w.threadId !== threadId, 'the requests ran on another thread');
    assert.deepEqual(await w.migrateLatest(), []);
    await w.insertMany([row(0), row(1), row(2)]);
    // Idempotent by (uniqueid, sequence), within a batch and across batches, past one statement.
    await w.insertMany([row(1), ...range(3, 80).map((i) => row(i)), row(2), row(3)]);
    const rows = await repo.list();
    assert.deepEqual(rows.map((r) => r.uniqueid), range(0, 80).map((i) => `u.${i}`));
    assert.equal(rows[0]?.answer_time, '2025-11-24 09:00:00.250');
    assert.equal(rows[0]?.calldate, '2025-11-24 09:00:00');
    await w.ping();
    assert.equal(w.threadsStarted, 1);
  });

  it('a locked database is a transient SqliteError SQLITE_BUSY; refused values a data one, also in a batch sent in parts', async () => {
    const w = open();
    await w.migrateLatest();
    lock();
    const busy = await w.insertMany([row(0)]).then(() => assert.fail('the insert took a locked database'), (err: unknown) => err);
    assert.ok(busy instanceof BetterSqlite3.SqliteError, `got ${String(busy)}`);
    assert.equal((busy as SqliteError).code, 'SQLITE_BUSY');
    assert.equal(classifyDbError(busy), 'transient');
    await assert.rejects(w.ping(), (err) => err instanceof BetterSqlite3.SqliteError && classifyDbError(err) === 'transient');
    unlock();
    await w.ping();
    const refused = await w.insertMany([row(1, { uniqueid: null as unknown as string })]).then(() => assert.fail('NULL uniqueid stored'), (err: unknown) => err);
    assert.ok(refused instanceof BetterSqlite3.SqliteError);
    assert.equal((refused as SqliteError).code, 'SQLITE_CONSTRAINT_NOTNULL');
    assert.equal(classifyDbError(refused), 'data');
    // A batch long enough to travel in parts is still one transaction: a bad last row, no rows.
    const long = [...range(10, 130).map((i) => row(i)), row(130, { uniqueid: null as unknown as string })];
    assert.ok(long.length > ROWS_PER_MESSAGE * 2);
    await assert.rejects(w.insertMany(long), (err) => classifyDbError(err) === 'data');
    assert.equal(await repo.count(), 0);
    await w.insertMany(long.slice(0, -1));
    assert.equal(await repo.count(), 120);
    assert.equal(w.threadsStarted, 1, 'errors do not cost the thread');
  });

  it('the sink over it: locked -> spooling, unlocked -> replayed in order, counts equal', async () => {
    const w = open();
    const sink = new CdrSink({ writer: new SchemaFirstWriter(w, w), spoolDir: t.dataDir, batchSize: 50, flushIntervalMs: 10, writeTimeoutMs: 2000, probeInitialMs: 20, probeMaxMs: 200 });
    await sink.start();
    assert.equal(sink.status, 'ready');
    await Promise.all(range(0, 30).map((i) => sink.write(makeCdr(i))));
    lock();
    const spooling = waitForEvent<[string, unknown]>(sink, 'status', (s) => s === 'spooling', 10_000);
    await Promise.all(range(30, 130).map((i) => sink.write(makeCdr(i))));
    const [, cause] = await spooling;
    assert.ok(cause instanceof BetterSqlite3.SqliteError && cause.code === 'SQLITE_BUSY', `spooling because of ${String(cause)}`);
    assert.equal(sink.stats().spooled, 100);
    const replayed = waitForEvent<[number]>(sink, 'replayed', () => true, 20_000);
    unlock();
    assert.equal((await replayed)[0], 100);
    await Promise.all(range(130, 140).map((i) => sink.write(makeCdr(i))));
    await sink.close();
    assert.deepEqual((await repo.list()).map((r) => r.uniqueid), range(0, 140).map((i) => makeCdr(i).uniqueid));
    assert.deepEqual(sink.stats(), { written: 40, spooled: 100, replayed: 100, rejected: 0 });
  });

  it('the thread terminated mid-batch: the sink spools, a new thread starts, every record lands once and in order', async () => {
    const w = open();
    const sink = new CdrSink({ writer: new SchemaFirstWriter(w, w), spoolDir: t.dataDir, batchSize: 400, flushIntervalMs: 5, writeTimeoutMs: 5000, probeInitialMs: 20, probeMaxMs: 200 });
    await sink.start();
    const firstThread = w.threadId;
    const causes: unknown[] = [];
    sink.on('status', (s, cause) => s === 'spooling' && causes.push(cause));
    const N = 4000;
    const acked = range(0, N).map((i) => sink.write(makeCdr(i)));
    // Kill it while it holds a batch: some batches are in, the next is posted and unanswered.
    await waitFor(() => sink.stats().written >= 400 && w.inFlight > 0, 'a batch in flight after the first commits', 20_000, 1);
    await w.terminate();
    await Promise.all(acked);
    await waitFor(() => sink.status === 'ready', "sink 'ready' again", 20_000);
    await sink.close();

    assert.ok(causes.some((c) => isStoreError(c, 'WORKER_EXITED')), `spooled because the thread died: ${causes.map(String).join('; ')}`);
    assert.ok(w.threadsStarted >= 2 && w.threadId !== firstThread, 'a new thread took over');
    const stats = sink.stats();
    assert.ok(stats.spooled > 0 && stats.replayed === stats.spooled, JSON.stringify(stats));
    assert.equal(stats.written + stats.spooled, N);
    const ids = (await repo.list()).map((r) => r.uniqueid);
    assert.equal(ids.length, N, 'no record lost or doubled');
    assert.deepEqual(ids, range(0, N).map((i) => makeCdr(i).uniqueid), 'in the order written');
  });

  it('close() answers everything asked before it, ends the thread, and refuses what comes after', async () => {
    const w = open();
    await w.migrateLatest();
    const writes = range(0, 10).map((b) => w.insertMany(range(b * 100, b * 100 + 100).map((i) => row(i))));
    const closed = w.close();
    assert.equal(w.status, 'closing');
    await Promise.all(writes);
    await closed;
    assert.equal(w.status, 'closed');
    assert.equal(w.threadId, null, 'the thread exited');
    assert.equal(await repo.count(), 1000);
    await assert.rejects(w.insertMany([row(2000)]), (err) => isStoreError(err, 'CLOSED'));
    await w.close();
  });

  it('finds its worker script beside itself in dist/src/store/ and in the bundle\'s dist/', async () => {
    assert.equal(writerWorkerScript(), join(__dirname, '..', '..', 'src', 'store', WRITER_WORKER_FILE));
    assert.throws(() => writerWorkerScript(t.dataDir), (err) => isStoreError(err, 'WORKER_MISSING'));
    // The copy `npm run build` bundles next to dist/tdmgate-cli.js works the same.
    const bundled = join(packageRoot(__dirname), 'dist', WRITER_WORKER_FILE);
    assert.ok(existsSync(bundled), `${bundled} is built`);
    const w = open({ script: bundled });
    await w.migrateLatest();
    await w.insertMany([row(0)]);
    assert.equal(await repo.count(), 1);
  });
});
