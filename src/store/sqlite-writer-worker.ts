// The SQLite writer thread's entry (started only by SqliteWriterThread): owns one better-sqlite3
// connection, opened through the same Database and CdrRepository code the main thread uses for
// MySQL, so there is one copy of the SQL. better-sqlite3 runs every statement synchronously;
// here that blocks this thread, not the supervisor's event loop. Requests run one at a time in
// the order they arrived, and each is answered with its result or its error in wire form.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
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

  const run = async (req: WriterRequest): Promise<string[] | undefined> => {
    switch (req.op) {
      case 'insertMany':
        await repo.insertMany(req.rows);
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
