// Reads and writes the cdr table. Every insert ignores a row whose (uniqueid, sequence) is
// already there, so a replayed or retried batch never doubles a row; anything else the database
// refuses still fails (see insertMany for why MySQL does not use INSERT IGNORE).

import type { Knex } from 'knex';
import { CDR_COLUMNS, type CdrRow, type StoredCdrRow } from './cdr-columns';
import type { Database } from './database';

// MySQL takes a VALUES list bounded by max_allowed_packet (1000 rows of a CDR is about 400 kB).
// better-sqlite3 runs each statement synchronously, holding the event loop (about 45 us a row):
// short statements with a turn of the loop between them keep call handling from stalling
// behind a batch (a 200-row statement held it 9 ms).
const ROWS_PER_STATEMENT = { sqlite: 25, mysql: 1000 } as const;

export class CdrRepository {
  private readonly db: Database;
  /** INSERT texts by row count. */
  private readonly statements = new Map<number, string>();
  private formatMysql: MysqlFormat | null = null;

  constructor(db: Database) {
    this.db = db;
  }

  private get knex(): Knex {
    return this.db.knex;
  }

  /** Inserts the rows in order, in one transaction; duplicates of (uniqueid, sequence) are
   *  skipped. Rejects with the driver's error; classify it with classifyDbError. */
  async insertMany(rows: readonly CdrRow[]): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map(toDbValues);
    const per = ROWS_PER_STATEMENT[this.db.dialect];
    if (values.length <= per) {
      await this.insertStatement(this.knex, values);
      return;
    }
    await this.knex.transaction(async (trx) => {
      for (let i = 0; i < values.length; i += per) {
        if (i > 0 && this.db.dialect === 'sqlite') await new Promise((resolve) => setImmediate(resolve));
        await this.insertStatement(trx, values.slice(i, i + per));
      }
    });
  }

  /**
   * One multi-row INSERT whose text depends only on the row count, so it is built once per count:
   * knex's query builder cost about 55 us a row on SQLite, a cached text with bindings about 40.
   */
  private async insertStatement(k: Knex | Knex.Transaction, values: unknown[][]): Promise<void> {
    let sql = this.statements.get(values.length);
    if (sql === undefined) {
      sql = this.buildStatement(values.length);
      this.statements.set(values.length, sql);
    }
    const bindings = values.flat() as Knex.RawBinding[];
    // MySQL: mysql2 escapes the values into the text on this side anyway; doing it here once
    // spares knex a scan for 28 placeholders a row (about a tenth of the ingest time).
    if (this.db.dialect === 'mysql') {
      this.formatMysql ??= loadMysqlFormat();
      await k.raw(this.formatMysql(sql, bindings));
    } else {
      await k.raw(sql, bindings);
    }
  }

  private buildStatement(rows: number): string {
    const row = `(${CDR_COLUMNS.map(() => '?').join(', ')})`;
    const values = Array.from({ length: rows }, () => row).join(', ');
    if (this.db.dialect === 'mysql') {
      // Not INSERT IGNORE: that also turns "data too long" and bad values into warnings and
      // stores truncated rows. ON DUPLICATE KEY UPDATE with a no-op assignment ignores only the
      // duplicate key and lets every other error through.
      return `insert into \`cdr\` (${CDR_COLUMNS.map((c) => `\`${c}\``).join(', ')}) values ${values} on duplicate key update \`uniqueid\` = \`uniqueid\``;
    }
    // ON CONFLICT (uniqueid, sequence) DO NOTHING: only that index's conflict is ignored.
    return `insert into "cdr" (${CDR_COLUMNS.map((c) => `"${c}"`).join(', ')}) values ${values} on conflict ("uniqueid", "sequence") do nothing`;
  }

  /** Resolves when the database answers; the CDR sink's probe. */
  async ping(): Promise<void> {
    await this.db.ping();
  }

  /** Inserts one row; same rules as insertMany. */
  async insert(row: CdrRow): Promise<void> {
    await this.insertMany([row]);
  }

  async count(): Promise<number> {
    const [row] = (await this.knex('cdr').count({ n: '*' })) as { n: number | string }[];
    return Number(row?.n ?? 0);
  }

  /** Rows in insertion order (the surrogate id), for tests and small exports. */
  async list(options: { limit?: number; afterId?: number } = {}): Promise<StoredCdrRow[]> {
    let q = this.knex('cdr').select('*').orderBy('id', 'asc');
    if (options.afterId !== undefined) q = q.where('id', '>', options.afterId);
    if (options.limit !== undefined) q = q.limit(options.limit);
    return ((await q) as StoredCdrRow[]).map(normaliseStored);
  }

  async findByUniqueid(uniqueid: string): Promise<StoredCdrRow[]> {
    const rows = (await this.knex('cdr').where({ uniqueid }).orderBy('sequence', 'asc')) as StoredCdrRow[];
    return rows.map(normaliseStored);
  }
}

/** 'YYYY-MM-DD HH:MM:SS' in UTC, or with '.mmm' when millis is set. */
export function formatDbTime(d: Date, millis: boolean): string {
  const iso = d.toISOString(); // 2025-11-24T10:00:00.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, millis ? 23 : 19)}`;
}

type MysqlFormat = (sql: string, values: readonly unknown[]) => string;

/** mysql2's own escaping (sqlstring), loaded only when the store is MySQL/MariaDB. */
function loadMysqlFormat(): MysqlFormat {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('mysql2') as { format: MysqlFormat }).format;
}

/** The row's values in CDR_COLUMNS order, times as the table stores them. */
function toDbValues(row: CdrRow): unknown[] {
  return CDR_COLUMNS.map((col) => {
    const v = row[col];
    return v instanceof Date ? formatDbTime(v, col !== 'calldate') : v;
  });
}

// MariaDB returns DATETIME(0) as 'YYYY-MM-DD HH:MM:SS' and DATETIME(3) with '.mmm'; SQLite
// returns what was stored. Both already agree; ids come back as numbers on both.
function normaliseStored(row: StoredCdrRow): StoredCdrRow {
  return { ...row, id: Number(row.id) };
}
