// The SQLite writer thread's entry (started only by SqliteWriterThread): owns one better-sqlite3
// connection, opened through the same Database and CdrRepository code the main thread uses for
// MySQL, so there is one copy of the SQL. better-sqlite3 runs every statement synchronously;
// here that blocks this thread, not the supervisor's event loop. Requests run one at a time in
// the order they arrived, and each is answered with its result or its error in wire form.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { CdrRow } from './cdr-columns';
import { CdrRepository } from './cdr-repository';
import { Database } from './database';
import type { WriterMessage, WriterRequest, WriterThreadInit } from './sqlite-writer-protocol';
import { errorToWire } from './wire-errors';

function serve(port: MessagePort, init: WriterThreadInit): void {
  const post = (m: WriterMessage): void => port.postMessage(m);
  const db = Database.open({
    url: init.filename,
    dataDir: '/',
    sqliteBusyTimeoutMs: init.busyTimeoutMs,
    acquireTimeoutMs: init.acquireTimeoutMs,
    log: {
      warn: (m: unknown) => post({ log: 'warn', text: String(m) }),
      error: (m: unknown) => post({ log: 'error', text: String(m) }),
      deprecate: () => undefined,
      debug: () => undefined,
    },
  });
  const repo = new CdrRepository(db);

  // Rows of batches that came in parts, by request id, until their insertMany arrives.
  const parts = new Map<number, CdrRow[]>();

  const run = async (req: WriterRequest): Promise<string[] | undefined> => {
    switch (req.op) {
      case 'insertMany': {
        const before = parts.get(req.id);
        parts.delete(req.id);
        await repo.insertMany(before === undefined ? req.rows : [...before, ...req.rows]);
        return undefined;
      }
      case 'rows':
        return undefined;
      case 'ping':
        await repo.ping();
        return undefined;
      case 'migrateLatest':
        return db.migrateLatest();
      case 'close':
        await db.close();
        return undefined;
    }
  };

  let tail: Promise<void> = Promise.resolve();
  port.on('message', (req: WriterRequest) => {
    if (req.op === 'rows') {
      // Kept at once, not queued: the port delivers in order, so they are all here before the
      // batch's insertMany, whatever is still running.
      const held = parts.get(req.id);
      if (held === undefined) parts.set(req.id, [...req.rows]);
      else held.push(...req.rows);
      return;
    }
    tail = tail.then(async () => {
      try {
        const migrations = await run(req);
        post(migrations === undefined ? { id: req.id, ok: true } : { id: req.id, ok: true, migrations });
      } catch (err) {
        post({ id: req.id, ok: false, error: errorToWire(err) });
      }
      // The connection is closed and every earlier request answered: let the thread end.
      if (req.op === 'close') port.close();
    });
  });
}

if (parentPort === null) throw new Error(`${__filename} runs only as the SQLite writer thread (node:worker_threads)`);
serve(parentPort, workerData as WriterThreadInit);
