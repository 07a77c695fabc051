// CdrSink against real databases (a SQLite file and the project's MariaDB): batching by size and
// by time, idempotency, malformed records, the database away for a while (spooled, replayed in
// order, counts equal, no duplicate) and a spool left by a process killed with SIGKILL.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import { CdrRepository } from '../../../src/store/cdr-repository';
import { Database } from '../../../src/store/database';
import { isCdrError } from '../../../src/supervisor/cdr/cdr-errors';
import { CdrSink, type CdrSinkOptions } from '../../../src/supervisor/cdr/cdr-sink';
import { SchemaFirstWriter } from '../../../src/supervisor/cdr/schema-first-writer';
import { createTestDatabase, DIALECTS, type Dialect, type TestDatabase } from '../../store/test-databases';
import { waitFor } from '../../wait-for';
import { makeCdr, TcpCutProxy, waitForEvent } from './cdr-fixtures';

// knex warns on every refused connection; the sink's status already says the database is away.
const QUIET = { warn: (): void => undefined, error: (): void => undefined, deprecate: (): void => undefined, debug: (): void => undefined };

/** Makes the database unreachable for the sink and brings it back, per dialect. */
interface Outage {
  /** The URL the sink must use so the outage reaches it. */
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

async function makeOutage(t: TestDatabase): Promise<Outage> {
  if (t.dialect === 'mariadb') {
    const u = new URL(t.url);
    const proxy = await TcpCutProxy.start(u.hostname, Number(u.port));
    return { url: proxy.route(t.url), down: () => proxy.cut(), up: () => proxy.restore(), close: () => proxy.close() };
  }
  // SQLite is "down" for a writer when another process holds the write lock past its busy
  // timeout: a second connection keeps an exclusive transaction open.
  const file = t.url.replace(/^sqlite:\/\//, '');
  let locker: BetterSqlite3.Database | null = null;
  const release = (): void => {
    if (!locker) return;
    locker.exec('COMMIT');
    locker.close();
    locker = null;
  };
  return {
    url: t.url,
    down: () => {
      locker = new BetterSqlite3(file);
      locker.exec('BEGIN EXCLUSIVE');
      return Promise.resolve();
    },
    up: () => Promise.resolve(release()),
    close: () => Promise.resolve(release()),
  };
}

function openDb(url: string, t: TestDatabase): Database {
  return Database.open({ url, dataDir: t.dataDir, sqliteBusyTimeoutMs: 20, connectTimeoutMs: 500, acquireTimeoutMs: 1000, log: QUIET });
}

function sinkOptions(db: Database, t: TestDatabase, extra: Partial<CdrSinkOptions> = {}): CdrSinkOptions {
  return { writer: new CdrRepository(db), spoolDir: t.dataDir, batchSize: 50, flushIntervalMs: 20, writeTimeoutMs: 2000, probeInitialMs: 20, probeMaxMs: 200, ...extra };
}

function spoolLines(t: TestDatabase): number {
  let n = 0;
  for (const f of ['cdr-spool.jsonl', 'cdr-spool.replaying.jsonl']) {
    const p = join(t.dataDir, f);
    if (existsSync(p)) n += readFileSync(p, 'utf8').split('\n').filter((l) => l !== '').length;
  }
  return n;
}

async function uniqueidsInOrder(repo: CdrRepository): Promise<string[]> {
  return (await repo.list()).map((r) => r.uniqueid);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

for (const dialect of DIALECTS as Dialect[]) {
  describe(`CdrSink (${dialect})`, function () {
    this.timeout(60_000);
    let t: TestDatabase;
    let db: Database;
    let repo: CdrRepository;
    const cleanups: (() => Promise<void>)[] = [];

    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      db = openDb(t.url, t);
      await db.migrateLatest();
      repo = new CdrRepository(db);
    });
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
      await db.close();
      await t.cleanup();
    });

    async function openSink(url: string, extra: Partial<CdrSinkOptions> = {}): Promise<{ sink: CdrSink; sinkDb: Database }> {
      const sinkDb = url === t.url ? db : openDb(url, t);
      const sink = new CdrSink(sinkOptions(sinkDb, t, extra));
      cleanups.push(async () => {
        await sink.close();
        if (sinkDb !== db) await sinkDb.close();
      });
      await sink.start();
      return { sink, sinkDb };
    }

    it('starts ready and writes a full batch at once, without waiting for the timer', async () => {
      const { sink } = await openSink(t.url, { batchSize: 5, flushIntervalMs: 60_000 });
      assert.equal(sink.status, 'ready');
      const first = range(0, 3).map((i) => sink.write(makeCdr(i)));
      // Three of five: still in memory, nothing in the table yet.
      assert.equal(await repo.count(), 0);
      await Promise.all([...first, ...range(3, 5).map((i) => sink.write(makeCdr(i)))]);
      assert.equal(await repo.count(), 5);
      assert.deepEqual(sink.stats(), { written: 5, spooled: 0, replayed: 0, rejected: 0 });
    });

    it('writes a partial batch when the flush interval ends', async () => {
      const { sink } = await openSink(t.url, { batchSize: 1000, flushIntervalMs: 50 });
      const started = Date.now();
      await Promise.all(range(0, 3).map((i) => sink.write(makeCdr(i))));
      const waited = Date.now() - started;
      assert.ok(waited >= 45 && waited < 5000, `flushed after ${waited} ms`);
      assert.equal(await repo.count(), 3);
    });

    it('stores the same (uniqueid, sequence) once, within a batch and across batches', async () => {
      const { sink } = await openSink(t.url);
      await Promise.all([sink.write(makeCdr(1)), sink.write(makeCdr(1))]);
      await sink.write(makeCdr(1));
      await sink.write(makeCdr(1, { sequence: 1 }));
      const rows = await repo.findByUniqueid(makeCdr(1).uniqueid);
      assert.deepEqual(rows.map((r) => r.sequence), [0, 1]);
      const row = rows[0];
      assert.equal(row?.calldate, '2025-11-24 09:00:01');
      assert.equal(row?.answer_time, '2025-11-24 09:00:16.000');
      assert.equal(row?.disposition, 'ANSWERED');
      assert.equal(row?.direction, 'inbound');
    });

    it('rejects a malformed record naming the field, and neither stores nor spools it', async () => {
      const { sink } = await openSink(t.url);
      await assert.rejects(sink.write({ ...makeCdr(1), disposition: 'HUNG UP' }), (err) => isCdrError(err, 'CDR_INVALID') && err.field === 'disposition');
      await assert.rejects(sink.write({ ...makeCdr(2), uniqueid: 'u'.repeat(200) }), (err) => isCdrError(err, 'CDR_INVALID') && err.field === 'uniqueid');
      await sink.write(makeCdr(3));
      assert.equal(await repo.count(), 1);
      assert.equal(existsSync(sink.spool.livePath), false);
    });

    it('down at start, before its migrations: they run when it answers and the spool replays into the new table', async () => {
      await db.migrateDownAll();
      const outage = await makeOutage(t);
      cleanups.push(() => outage.close());
      await outage.down();
      const sinkDb = openDb(outage.url, t);
      let migrated: string[] = [];
      const writer = new SchemaFirstWriter(sinkDb, new CdrRepository(sinkDb), (names) => (migrated = names));
      // As the supervisor does: migrate at start; it fails while the database is away.
      await assert.rejects(sinkDb.migrateLatest());
      const sink = new CdrSink({ ...sinkOptions(sinkDb, t), writer });
      cleanups.push(async () => {
        await sink.close();
        await sinkDb.close();
      });
      await sink.start();
      await Promise.all(range(0, 20).map((i) => sink.write(makeCdr(i))));
      assert.equal(sink.status, 'spooling');
      const replayed = waitForEvent(sink, 'replayed', () => true, 20_000);
      await outage.up();
      await replayed;
      assert.ok(migrated.length > 0, 'the migrations ran when the database answered');
      assert.deepEqual(await uniqueidsInOrder(repo), range(0, 20).map((i) => makeCdr(i).uniqueid));
    });

    it('spools while the database is away and replays in order when it returns: counts equal, no duplicate', async () => {
      const outage = await makeOutage(t);
      cleanups.push(() => outage.close());
      const { sink } = await openSink(outage.url);
      await Promise.all(range(0, 30).map((i) => sink.write(makeCdr(i))));
      assert.equal(sink.status, 'ready');

      await outage.down();
      const spooling = waitForEvent<[string]>(sink, 'status', (s) => s === 'spooling', 10_000);
      // Acknowledged while the database is away: these are on disk in the spool.
      await Promise.all(range(30, 130).map((i) => sink.write(makeCdr(i))));
      await spooling;
      for (const i of range(130, 200)) await sink.write(makeCdr(i));
      assert.equal(sink.status, 'spooling');
      assert.ok(spoolLines(t) >= 100, `spool holds ${spoolLines(t)} lines`);

      const replayed = waitForEvent(sink, 'replayed', () => true, 20_000);
      await outage.up();
      await replayed;
      assert.equal(sink.status, 'ready');
      await Promise.all(range(200, 220).map((i) => sink.write(makeCdr(i))));

      assert.deepEqual(await uniqueidsInOrder(repo), range(0, 220).map((i) => makeCdr(i).uniqueid));
      assert.equal(spoolLines(t), 0);
      const s = sink.stats();
      assert.equal(s.written + s.replayed, 220);
      assert.equal(s.spooled, s.replayed);
    });

    it('starts spooling when the database is away at start-up, then catches up', async () => {
      const outage = await makeOutage(t);
      cleanups.push(() => outage.close());
      await outage.down();
      const { sink } = await openSink(outage.url);
      assert.equal(sink.status, 'spooling');
      await Promise.all(range(0, 40).map((i) => sink.write(makeCdr(i))));
      const ready = waitForEvent<[string]>(sink, 'status', (s) => s === 'ready', 20_000);
      await outage.up();
      await ready;
      assert.deepEqual(await uniqueidsInOrder(repo), range(0, 40).map((i) => makeCdr(i).uniqueid));
    });

    it('replays a spool left by a process killed with SIGKILL: every acknowledged record once, none lost', async () => {
      const outage = await makeOutage(t);
      cleanups.push(() => outage.close());
      // Part of the run reaches the table, the rest waits in the spool when the process dies.
      const child = spawn(process.execPath, [join(__dirname, 'sink-child.js'), outage.url, t.dataDir, '0', '100000'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const acked = new Set<number>();
      const lines = createInterface({ input: child.stdout });
      let killed = false;
      let exitedEarly = false;
      const exited = new Promise<void>((resolve) => child.on('exit', () => {
        exitedEarly = !killed;
        resolve();
      }));
      lines.on('line', (line) => {
        const m = /^ack (\d+)$/.exec(line);
        if (m) acked.add(Number(m[1]));
      });
      const running = (what: string) => (): boolean => {
        if (exitedEarly) throw new Error(`the child exited before it was killed (${what}): ${stderr}`);
        return true;
      };
      await waitFor(() => running('writing')() && acked.size >= 300, '300 records acknowledged', 20_000);
      // Taking the lock can block this process while the child writes on: the acks read after it
      // may still be ones the table took. So wait for the spool itself, then for more acks.
      await outage.down();
      await waitFor(() => running('spooling')() && spoolLines(t) > 0, 'the child spooling while the database is away', 20_000);
      const mark = acked.size;
      await waitFor(() => running('spooling')() && acked.size >= mark + 200, '200 more records acknowledged into the spool', 20_000);
      killed = true;
      child.kill('SIGKILL');
      await exited;
      assert.ok(spoolLines(t) > 0, 'the killed process left a spool');

      await outage.up();
      const { sink } = await openSink(t.url);
      assert.equal(sink.status, 'ready');
      const rows = await uniqueidsInOrder(repo);
      const present = new Set(rows);
      assert.equal(present.size, rows.length, 'a row is duplicated');
      for (const i of acked) assert.ok(present.has(makeCdr(i).uniqueid), `acknowledged record ${i} was lost`);
      assert.equal(spoolLines(t), 0);
      // A second start finds nothing to do and changes nothing.
      await sink.close();
      const again = new CdrSink(sinkOptions(db, t));
      await again.start();
      await again.close();
      assert.equal(await repo.count(), rows.length);
    });
  });
}

describe('CdrSink with the database up, killed under load (sqlite)', function () {
  this.timeout(60_000);

  it('loses no acknowledged record and duplicates none', async () => {
    const t = await createTestDatabase('sqlite');
    const db = openDb(t.url, t);
    try {
      await db.migrateLatest();
      const child = spawn(process.execPath, [join(__dirname, 'sink-child.js'), t.url, t.dataDir, '0', '100000'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const acked: number[] = [];
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      await new Promise<void>((resolve) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const m = /^ack (\d+)$/.exec(line);
          if (m) acked.push(Number(m[1]));
          if (acked.length === 2000) {
            child.kill('SIGKILL');
            resolve();
          }
        });
      });
      await exited;
      const repo = new CdrRepository(db);
      const sink = new CdrSink(sinkOptions(db, t));
      await sink.start();
      await sink.close();
      const rows = (await repo.list()).map((r) => r.uniqueid);
      assert.equal(new Set(rows).size, rows.length);
      const present = new Set(rows);
      for (const i of acked) assert.ok(present.has(makeCdr(i).uniqueid), `acknowledged record ${i} was lost`);
    } finally {
      await db.close();
      await t.cleanup();
    }
  });
});
