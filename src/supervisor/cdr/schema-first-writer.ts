// A CdrWriter that brings the cdr table up to date before the first write. The supervisor may
// start while the database is down, when its migrations cannot run; records then spool, and the
// sink's probe (ping) and writes come through here, so the migrations run on the first contact
// that works and spooled records replay into a table that exists. A failed migration rejects
// with the database's error inside, so the sink classifies it like any other outage.

import type { CdrRow } from '../../store/cdr-columns';
import type { CdrWriter } from './cdr-writer';

export interface Migrator {
  migrateLatest(): Promise<string[]>;
}

export class SchemaFirstWriter implements CdrWriter {
  private migrated = false;
  private migrating: Promise<void> | null = null;

  constructor(
    private readonly db: Migrator,
    private readonly writer: CdrWriter,
    /** Told the migrations applied when they finally ran (for the log). */
    private readonly onMigrated: (names: string[]) => void = () => undefined,
  ) {}

  /** The migrations already ran (at start): no check before writes. */
  markMigrated(): void {
    this.migrated = true;
  }

  async ping(): Promise<void> {
    await this.writer.ping();
    await this.ensureSchema();
  }

  async insertMany(rows: readonly CdrRow[]): Promise<void> {
    await this.ensureSchema();
    await this.writer.insertMany(rows);
  }

  private ensureSchema(): Promise<void> {
    if (this.migrated) return Promise.resolve();
    this.migrating ??= this.db.migrateLatest().then(
      (names) => {
        this.migrated = true;
        this.migrating = null;
        this.onMigrated(names);
      },
      (err: unknown) => {
        this.migrating = null;
        throw err;
      },
    );
    return this.migrating;
  }
}
