// The CDR search behind GET /api/v1/cdrs and /api/v1/cdrs.csv: one page of matching records
// newest first with a keyset cursor, or every matching record streamed as CSV. Reads only; on
// SQLite it uses the main-thread reading connection beside the writer thread (WAL lets it read
// while the thread writes). The query rules and SQL are in cdr-query.ts, the CSV text in
// cdr-csv.ts; this file only runs them and moves the rows.

import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { csvHeader, csvRow } from './cdr-csv';
import { encodeCursor, keyOf, pageSql, parseCdrQuery, toSearchRecord, type CdrKey, type CdrSearchRecord, type ParsedCdrQuery } from './cdr-query';
import { CdrSearchError } from './cdr-search-errors';

export interface CdrPage {
  records: CdrSearchRecord[];
  /** Hand back as `cursor` for the next page; null when this page is the last. */
  next: string | null;
}

export interface CsvExportOptions {
  /** Start with a UTF-8 byte order mark: Excel then reads non-ASCII names right; most CSV
   *  parsers take it as part of the first header name, so it is off unless asked for. */
  bom?: boolean;
}

/** Rows fetched per statement by the export: large enough that a statement's cost is spread,
 *  small enough that one page of text (about 300 kB) is all the export holds. */
const EXPORT_PAGE = 1000;

export class CdrSearch {
  private readonly knex: Knex;
  private readonly dialect: 'sqlite' | 'mysql';

  /** `knex` reads the cdr table (openCdrWriter's `knex`, or a Database's); `dialect` is its
   *  target's (the SQL differs, see pageSql). */
  constructor(knex: Knex, dialect: 'sqlite' | 'mysql') {
    this.knex = knex;
    this.dialect = dialect;
  }

  /** One page. Throws CdrSearchError (QUERY_INVALID naming the field, CURSOR_INVALID) before
   *  touching the database; database failures reject with the driver's error. */
  async search(query: unknown): Promise<CdrPage> {
    const q = parseCdrQuery(query);
    const { records, more } = await this.page(q, q.limit, q.after);
    const last = records[records.length - 1];
    return { records, next: more && last !== undefined ? encodeCursor(keyOf(last)) : null };
  }

  /**
   * Every record matching the query's filters, from its cursor on, as CSV with a header row.
   * `limit` is refused (the export is all rows; page through `search` for fewer). Waits for
   * 'drain' when the stream is full, so memory stays at one page whatever the row count; stops
   * (rejecting with the stream's error, or resolving early) if the stream errors or closes.
   * Does not end the stream. Resolves with the number of rows written.
   */
  async exportCsv(query: unknown, out: Writable, options: CsvExportOptions = {}): Promise<{ rows: number }> {
    if (typeof query === 'object' && query !== null && 'limit' in query && (query as { limit?: unknown }).limit !== undefined) {
      throw new CdrSearchError('QUERY_INVALID', 'limit', 'no limit: the CSV export writes every matching row', 'limit is not taken by the CSV export');
    }
    const q = parseCdrQuery(query);
    let rows = 0;
    let after = q.after;
    if (!(await write(out, `${options.bom ? '\uFEFF' : ''}${csvHeader()}`))) return { rows };
    for (;;) {
      const page = await this.page(q, EXPORT_PAGE, after);
      if (page.records.length === 0) break;
      const text = page.records.map(csvRow).join('');
      if (!(await write(out, text))) break;
      rows += page.records.length;
      if (!page.more) break;
      after = keyOf(page.records[page.records.length - 1] as CdrSearchRecord);
    }
    return { rows };
  }

  private async page(q: ParsedCdrQuery, limit: number, after: CdrKey | null): Promise<{ records: CdrSearchRecord[]; more: boolean }> {
    const rows = (await pageSql(this.knex, this.dialect, q, limit, after)) as Record<string, unknown>[];
    const more = rows.length > limit;
    return { records: rows.slice(0, limit).map(toSearchRecord), more };
  }
}

/** Writes a chunk, waiting for 'drain' if the stream asks; false when the stream closed first
 *  (a client that went away). A stream error while waiting rejects. */
function write(out: Writable, chunk: string): Promise<boolean> {
  if (out.destroyed || out.writableEnded) return Promise.resolve(false);
  if (out.write(chunk, 'utf8')) return Promise.resolve(true);
  return new Promise<boolean>((resolve, reject) => {
    const settle = (drained: boolean, err?: Error): void => {
      out.off('drain', onDrain).off('close', onClose).off('error', onError);
      if (err) reject(err);
      else resolve(drained);
    };
    const onDrain = (): void => settle(true);
    const onClose = (): void => settle(false);
    const onError = (err: Error): void => settle(false, err);
    out.on('drain', onDrain).on('close', onClose).on('error', onError);
  });
}
