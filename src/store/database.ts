// One open database: the knex instance, its dialect, the migrator, and close(). Opened from a URL
// (see database-url.ts); SQLite files get WAL and FULL sync so a committed CDR survives a power
// cut as surely as the spool's fsync'd lines do.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url';
import { StaticMigrationSource } from './migration-source';
import { StoreError } from './store-errors';

export interface DatabaseOptions {
  /** sqlite:///abs.db, a file path, or mysql://user:pass@host:port/db; empty = SQLite in dataDir. */
  url?: string;
  dataDir: string;
  /** How long SQLite waits on another writer's lock before SQLITE_BUSY (ms). */
  sqliteBusyTimeoutMs?: number;
  /** TCP connect timeout for MySQL/MariaDB (ms). */
  connectTimeoutMs?: number;
  /** How long a query waits for a pooled connection before a KnexTimeoutError (ms). */
  acquireTimeoutMs?: number;
  poolMax?: number;
  /** Where knex's own warnings go (the supervisor passes its logger); default the console. */
  log?: Knex.Logger;
}

type SqliteHandle = { pragma(source: string): unknown; exec(source: string): unknown };

export class Database {
  readonly knex: Knex;
  readonly target: DatabaseTarget;
  private closed = false;

  private constructor(knex: Knex, target: DatabaseTarget) {
    this.knex = knex;
    this.target = target;
  }

  /** Opens lazily: no connection is made until the first query, so a database that is down at
   *  start-up does not stop the caller (the CDR sink spools until it answers). */
  static open(options: DatabaseOptions): Database {
    const target = parseDatabaseUrl(options.url, options.dataDir);
    const acquireConnectionTimeout = options.acquireTimeoutMs ?? 10_000;
    if (target.dialect === 'sqlite') {
      mkdirSync(dirname(target.filename), { recursive: true });
      const busy = options.sqliteBusyTimeoutMs ?? 5000;
      return new Database(
        knexFactory({
          client: 'better-sqlite3',
          connection: { filename: target.filename },
          useNullAsDefault: true,
          ...(options.log ? { log: options.log } : {}),
          acquireConnectionTimeout,
          pool: {
            min: 1,
            max: 1,
            afterCreate(conn: SqliteHandle, done: (err: Error | null, conn: SqliteHandle) => void) {
              try {
                conn.pragma('journal_mode = WAL');
                conn.pragma('synchronous = FULL');
                conn.pragma(`busy_timeout = ${Math.max(0, Math.floor(busy))}`);
                done(null, conn);
              } catch (err) {
                done(err as Error, conn);
              }
            },
          },
        }),
        target,
      );
    }
    return new Database(
      knexFactory({
        client: 'mysql2',
        connection: {
          host: target.host,
          port: target.port,
          user: target.user,
          password: target.password,
          database: target.database,
          charset: 'utf8mb4',
          // Times are written and read as UTC strings, the same on both dialects.
          timezone: 'Z',
          dateStrings: true,
          connectTimeout: options.connectTimeoutMs ?? 5000,
        },
        acquireConnectionTimeout,
        ...(options.log ? { log: options.log } : {}),
        pool: { min: 0, max: options.poolMax ?? 4 },
      }),
      target,
    );
  }

  get dialect(): DatabaseTarget['dialect'] {
    return this.target.dialect;
  }

  private migrator(): Knex.Migrator {
    return this.knex.migrate;
  }

  private migrateConfig(): Knex.MigratorConfig {
    return { migrationSource: new StaticMigrationSource(), tableName: 'knex_migrations' };
  }

  /** Runs every pending migration; returns the names that ran. */
  async migrateLatest(): Promise<string[]> {
    try {
      const [, names] = (await this.migrator().latest(this.migrateConfig())) as [number, string[]];
      return names;
    } catch (err) {
      throw new StoreError('MIGRATION_FAILED', `migrating the database up failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Undoes every applied migration, newest first (their `down` functions); returns the names. */
  async migrateDownAll(): Promise<string[]> {
    try {
      const [, names] = (await this.migrator().rollback(this.migrateConfig(), true)) as [number, string[]];
      return names;
    } catch (err) {
      throw new StoreError('MIGRATION_FAILED', `migrating the database down failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Names of applied migrations, oldest first. */
  async appliedMigrations(): Promise<string[]> {
    const [done] = (await this.migrator().list(this.migrateConfig())) as [{ name: string }[], unknown[]];
    return done.map((m) => m.name);
  }

  /** Resolves when the database would take a write now; rejects with the driver's error. */
  async ping(): Promise<void> {
    if (this.target.dialect === 'mysql') {
      await this.knex.raw('select 1');
      return;
    }
    // A SQLite reader is never blocked, a writer is: take and drop the write lock on the pooled
    // handle itself (two knex.raw calls could let another query run inside the transaction).
    const client = this.knex.client as { acquireConnection(): Promise<SqliteHandle>; releaseConnection(c: SqliteHandle): Promise<unknown> };
    const conn = await client.acquireConnection();
    try {
      conn.exec('BEGIN IMMEDIATE');
      conn.exec('ROLLBACK');
    } finally {
      await client.releaseConnection(conn);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.knex.destroy();
  }
}
