// openCdrWriter: the one place the composition root gets the CDR sink's writer from. SQLite
// writes run on a worker thread (SqliteWriterThread) so better-sqlite3's synchronous statements
// never hold the event loop that handles calls; MySQL/MariaDB stays on the main thread, where
// mysql2 is already asynchronous. Either way the writer is a SchemaFirstWriter over the same
// CdrRepository code, the migrations run here at open when the database answers (else on its
// first contact, as SchemaFirstWriter does), and errors reach the sink as the same typed errors.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Knex } from 'knex';
import { CdrRepository } from '../../store/cdr-repository';
import { Database } from '../../store/database';
import { parseDatabaseUrl, type DatabaseTarget } from '../../store/database-url';
import { SqliteWriterThread } from '../../store/sqlite-writer-thread';
import type { StoreLogger } from '../../store/store-logger';
import type { CdrWriter } from './cdr-writer';
import { SchemaFirstWriter, type Migrator } from './schema-first-writer';

export interface OpenCdrWriterOptions {
  /** sqlite:///abs.db, a file path, or mysql://user:pass@host:port/db; empty = SQLite in dataDir. */
  url?: string;
  dataDir: string;
  log: StoreLogger;
  /** SQLite only: 'worker' (default) writes on a worker thread, 'main' on the caller's thread
   *  (a comparison, or a tool that wants no thread). */
  sqliteThread?: 'worker' | 'main';
  /** How long SQLite waits on another writer's lock before SQLITE_BUSY (ms). */
  sqliteBusyTimeoutMs?: number;
  /** TCP connect timeout for MySQL/MariaDB (ms). */
  connectTimeoutMs?: number;
  /** How long a query waits for a pooled connection (ms). */
  acquireTimeoutMs?: number;
}

export interface OpenedCdrWriter {
  /** What the CdrSink writes through. */
  readonly writer: CdrWriter;
  readonly target: DatabaseTarget;
  /** Where the inserts run. */
  readonly thread: 'worker' | 'main';
  /** The SQLite writer thread when thread is 'worker' (its status, restarts), else null. */
  readonly writerThread: SqliteWriterThread | null;
  /** For reads beside the writer (tests, tools, exports), never used by the sink. With the
   *  writer thread, a separate main-thread connection to the same file, made on first use: WAL
   *  lets it read while the thread writes. */
  readonly knex: Knex;
  /** Closes the writer (after every write it was given) and the reading connection. Close the
   *  sink first: it flushes what it buffers. */
  close(): Promise<void>;
}

/** Opens the store for the CDR sink and runs the migrations if the database answers; a database
 *  that is away does not fail this (the sink spools until it answers). A bad URL does. */
export async function openCdrWriter(options: OpenCdrWriterOptions): Promise<OpenedCdrWriter> {
  const { log } = options;
  const target = parseDatabaseUrl(options.url, options.dataDir);
  const knexLog: Knex.Logger = {
    warn: (m: unknown) => log.warn({ knex: String(m) }, 'database'),
    error: (m: unknown) => log.error({ knex: String(m) }, 'database'),
    deprecate: () => undefined,
    debug: () => undefined,
  };
  const openDb = (): Database =>
    Database.open({
      url: options.url,
      dataDir: options.dataDir,
      log: knexLog,
      ...(options.sqliteBusyTimeoutMs !== undefined ? { sqliteBusyTimeoutMs: options.sqliteBusyTimeoutMs } : {}),
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(options.acquireTimeoutMs !== undefined ? { acquireTimeoutMs: options.acquireTimeoutMs } : {}),
    });

  let inner: CdrWriter;
  let migrator: Migrator;
  let writerThread: SqliteWriterThread | null = null;
  let db: Database | null = null;
  if (target.dialect === 'sqlite' && (options.sqliteThread ?? 'worker') === 'worker') {
    // As Database.open does on this thread: a folder that cannot be made fails the start here,
    // not as a writer thread dying on every probe.
    mkdirSync(dirname(target.filename), { recursive: true });
    writerThread = new SqliteWriterThread({
      filename: target.filename,
      log,
      ...(options.sqliteBusyTimeoutMs !== undefined ? { busyTimeoutMs: options.sqliteBusyTimeoutMs } : {}),
      ...(options.acquireTimeoutMs !== undefined ? { acquireTimeoutMs: options.acquireTimeoutMs } : {}),
    });
    inner = writerThread;
    migrator = writerThread;
  } else {
    db = openDb();
    inner = new CdrRepository(db);
    migrator = db;
  }

  const writer = new SchemaFirstWriter(migrator, inner, (names) => log.info({ migrations: names }, 'database migrations ran: the database answers again'));
  try {
    await migrator.migrateLatest();
    writer.markMigrated();
  } catch (err) {
    // The database may be down at start: records spool, the migrations run when it answers.
    log.warn({ err: (err as Error).message }, 'database migrations not run: CDRs spool until the database answers');
  }

  let reader: Database | null = db;
  let closed: Promise<void> | null = null;
  return {
    writer,
    target,
    thread: writerThread === null ? 'main' : 'worker',
    writerThread,
    get knex(): Knex {
      reader ??= openDb();
      return reader.knex;
    },
    close(): Promise<void> {
      closed ??= (async () => {
        await writerThread?.close();
        await reader?.close();
      })();
      return closed;
    },
  };
}
