// The pure half of the CDR search: what a query may say (CdrQuery and its JSON Schema), its
// validation into a ParsedCdrQuery, the opaque keyset cursor, and the SQL it becomes (a knex
// builder: building one does no I/O). cdr-search.ts runs these against a database.
//
// Order is newest first by (calldate, id): calldate has second precision, so many calls share
// one; the surrogate id breaks the tie and makes the order total, which keyset paging needs to
// return every row exactly once.

import type { Knex } from 'knex';
import { CDR_COLUMNS, CDR_TEXT_LIMITS } from './cdr-columns';
import { CdrSearchError } from './cdr-search-errors';

/** What the CDR writer stores (the supervisor's CDR_DISPOSITIONS; a store test keeps them equal). */
export const SEARCH_DISPOSITIONS = ['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION'] as const;
export const SEARCH_DIRECTIONS = ['inbound', 'outbound'] as const;
export const LIMIT_MAX = 1000;
export const LIMIT_DEFAULT = 100;
/** Digits of a number filter: longer than any E.164 number, short enough to refuse junk. */
const NUMBER_MAX_DIGITS = 32;
/** As the CDR validation allows. */
const SPAN_MAX = 65535;
const TIMESLOT_MAX = 31;

export interface CdrQuery {
  /** ISO 8601 time with a zone; calls that started at or after it. */
  from?: string;
  /** ISO 8601 time with a zone; calls that started before it (the range is [from, to)). */
  to?: string;
  /** Digits; a call matches when they occur anywhere in its src or dst. */
  number?: string;
  span?: number | string;
  /** Only together with span. */
  timeslot?: number | string;
  disposition?: string;
  /** Trunk group name exactly as stored in trunk_group. */
  group?: string;
  /** The job key exactly as stored in accountcode (e.g. calls-carrier/42). */
  job?: string;
  direction?: string;
  /** Rows per page, 1-1000, default 100. */
  limit?: number | string;
  /** The `next` of the previous page. */
  cursor?: string;
}

/** The key of a row in the search order: where the next page starts. */
export interface CdrKey {
  /** 'YYYY-MM-DD HH:MM:SS' UTC, as the table holds it. */
  calldate: string;
  id: number;
}

export interface ParsedCdrQuery {
  /** Both as 'YYYY-MM-DD HH:MM:SS' UTC, rounded up to the second (calldate's precision). */
  from: string | null;
  to: string | null;
  number: string | null;
  span: number | null;
  timeslot: number | null;
  disposition: string | null;
  group: string | null;
  job: string | null;
  direction: string | null;
  limit: number;
  after: CdrKey | null;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DB_SECOND = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** JSON Schema (2020-12) of a query, for the API's validation and its OpenAPI document. Times
 *  are checked by pattern, not `format` (which needs ajv-formats). Numbers are integers here; a
 *  route reading the URL's query string validates with ajv's coerceTypes (or hands the strings
 *  to parseCdrQuery, which takes decimal strings too). */
export const CDR_QUERY_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'tdmgate:cdr-query',
  title: 'CDR search query',
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { type: 'string', pattern: ISO_WITH_ZONE.source, description: 'Calls that started at or after this time (ISO 8601 with a zone).' },
    to: { type: 'string', pattern: ISO_WITH_ZONE.source, description: 'Calls that started before this time; must be after from.' },
    number: { type: 'string', pattern: `^[0-9]{1,${NUMBER_MAX_DIGITS}}$`, description: 'Digits found anywhere in src or dst (a substring: 13800138000 also finds +8613800138000).' },
    span: { type: 'integer', minimum: 1, maximum: SPAN_MAX },
    timeslot: { type: 'integer', minimum: 1, maximum: TIMESLOT_MAX, description: 'Only together with span.' },
    disposition: { enum: [...SEARCH_DISPOSITIONS] },
    group: { type: 'string', minLength: 1, maxLength: CDR_TEXT_LIMITS.trunk_group, description: 'Trunk group as stored.' },
    job: { type: 'string', minLength: 1, maxLength: CDR_TEXT_LIMITS.accountcode, description: 'The job key (accountcode), exact, e.g. calls-carrier/42.' },
    direction: { enum: [...SEARCH_DIRECTIONS] },
    limit: { type: 'integer', minimum: 1, maximum: LIMIT_MAX, default: LIMIT_DEFAULT },
    cursor: { type: 'string', minLength: 1, maxLength: 200, description: 'The next of the previous page, as given.' },
  },
  dependentRequired: { timeslot: ['span'] },
} as const;

const TIME_COLUMNS = new Set(['calldate', 'ring_time', 'answer_time', 'end_time']);
const INT_COLUMNS = new Set(['duration', 'billsec', 'amaflags', 'sequence']);
const NULLABLE_INT_COLUMNS = new Set(['span', 'timeslot', 'q850_cause']);

/** One record as the search returns it: the table's columns, times as ISO 8601 UTC strings. */
export type CdrSearchRecord = Record<string, string | number | null> & { id: number; calldate: string };

function columnSchema(col: string): object {
  if (col === 'calldate') return { type: 'string', description: 'ISO 8601 UTC' };
  if (TIME_COLUMNS.has(col)) return { type: ['string', 'null'], description: 'ISO 8601 UTC' };
  if (INT_COLUMNS.has(col)) return { type: 'integer' };
  if (NULLABLE_INT_COLUMNS.has(col)) return { type: ['integer', 'null'] };
  const max = (CDR_TEXT_LIMITS as Record<string, number>)[col];
  return max === undefined ? { type: 'string' } : { type: 'string', maxLength: max };
}

/** JSON Schema (2020-12) of one returned record. */
export const CDR_RECORD_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'tdmgate:cdr-record',
  title: 'CDR',
  type: 'object',
  additionalProperties: false,
  required: ['id', ...CDR_COLUMNS],
  properties: Object.fromEntries([['id', { type: 'integer', minimum: 1 }], ...CDR_COLUMNS.map((c) => [c, columnSchema(c)])]),
};

/** JSON Schema (2020-12) of a page: the records and the cursor of the next page (null at the end). */
export const CDR_PAGE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'tdmgate:cdr-page',
  type: 'object',
  additionalProperties: false,
  required: ['records', 'next'],
  properties: {
    records: { type: 'array', items: { $ref: 'tdmgate:cdr-record' } },
    next: { type: ['string', 'null'] },
  },
};

function invalid(field: string, allowed: string, got: unknown): CdrSearchError {
  const shown = typeof got === 'string' ? JSON.stringify(got.length > 40 ? `${got.slice(0, 40)}...` : got) : String(got);
  return new CdrSearchError('QUERY_INVALID', field, allowed, `${field} ${shown} is refused: expected ${allowed}`);
}

function optionalString(src: Record<string, unknown>, field: string, maxLength: number): string | null {
  const v = src[field];
  if (v === undefined) return null;
  const allowed = `a string of 1-${maxLength} characters`;
  if (typeof v !== 'string' || v.length === 0 || v.length > maxLength) throw invalid(field, allowed, v);
  return v;
}

function optionalInt(src: Record<string, unknown>, field: string, min: number, max: number): number | null {
  const v = src[field];
  if (v === undefined) return null;
  const allowed = `an integer ${min}-${max}`;
  // Decimal strings too: the API hands over the URL's query string as it came.
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(field, allowed, v);
  return n;
}

function optionalEnum(src: Record<string, unknown>, field: string, values: readonly string[]): string | null {
  const v = src[field];
  if (v === undefined) return null;
  if (typeof v !== 'string' || !values.includes(v)) throw invalid(field, `one of ${values.join(', ')}`, v);
  return v;
}

/** 'YYYY-MM-DD HH:MM:SS' UTC rounded up to the whole second. calldate has no fractions, so
 *  calldate >= ceil(t) is calldate >= t, and calldate < ceil(t) is calldate < t. */
function optionalTime(src: Record<string, unknown>, field: string): string | null {
  const v = src[field];
  if (v === undefined) return null;
  const allowed = 'an ISO 8601 time with a zone, e.g. 2026-12-08T10:00:00Z';
  const ms = typeof v === 'string' && ISO_WITH_ZONE.test(v) ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(field, allowed, v);
  const d = new Date(Math.ceil(ms / 1000) * 1000);
  if (d.getUTCFullYear() < 1000 || d.getUTCFullYear() > 9999) throw invalid(field, allowed, v);
  return toDbSecond(d);
}

function toDbSecond(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

const QUERY_FIELDS = new Set(Object.keys(CDR_QUERY_SCHEMA.properties));

/** Validates a query (from JSON or a URL's query string) or throws CdrSearchError naming the field. */
export function parseCdrQuery(input: unknown): ParsedCdrQuery {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CdrSearchError('QUERY_INVALID', '', 'an object', 'the CDR query must be an object');
  }
  const src = input as Record<string, unknown>;
  for (const key of Object.keys(src)) {
    if (!QUERY_FIELDS.has(key)) throw invalid(key, `no such field; the fields are ${[...QUERY_FIELDS].join(', ')}`, src[key]);
  }
  const from = optionalTime(src, 'from');
  const to = optionalTime(src, 'to');
  if (from !== null && to !== null && to <= from) throw invalid('to', 'a time after from', src.to);
  const number = src.number;
  if (number !== undefined && (typeof number !== 'string' || !new RegExp(`^[0-9]{1,${NUMBER_MAX_DIGITS}}$`).test(number))) {
    throw invalid('number', `1-${NUMBER_MAX_DIGITS} digits 0-9 (no +, spaces or dashes; matched as a substring of src or dst)`, number);
  }
  const span = optionalInt(src, 'span', 1, SPAN_MAX);
  const timeslot = optionalInt(src, 'timeslot', 1, TIMESLOT_MAX);
  if (timeslot !== null && span === null) throw invalid('timeslot', 'a timeslot only together with span', src.timeslot);
  const cursor = src.cursor;
  if (cursor !== undefined && typeof cursor !== 'string') throw invalid('cursor', 'the next of a previous page', cursor);
  return {
    from,
    to,
    number: (number as string | undefined) ?? null,
    span,
    timeslot,
    disposition: optionalEnum(src, 'disposition', SEARCH_DISPOSITIONS),
    group: optionalString(src, 'group', CDR_TEXT_LIMITS.trunk_group),
    job: optionalString(src, 'job', CDR_TEXT_LIMITS.accountcode),
    direction: optionalEnum(src, 'direction', SEARCH_DIRECTIONS),
    limit: optionalInt(src, 'limit', 1, LIMIT_MAX) ?? LIMIT_DEFAULT,
    after: cursor === undefined ? null : decodeCursor(cursor),
  };
}

/** base64url of [calldate, id]: opaque to callers, who hand it back as it came. */
export function encodeCursor(key: CdrKey): string {
  return Buffer.from(JSON.stringify([key.calldate, key.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CdrKey {
  const bad = (): CdrSearchError =>
    new CdrSearchError('CURSOR_INVALID', 'cursor', 'the next of a previous page, unchanged', 'cursor is not one this search handed out (changed or cut short?)');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [calldate, id] = parsed as unknown[];
  if (typeof calldate !== 'string' || !DB_SECOND.test(calldate) || !Number.isFinite(Date.parse(`${calldate.replace(' ', 'T')}Z`))) throw bad();
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw bad();
  const key = { calldate, id };
  // Decoding is lenient about padding bits; only the exact text this service wrote is taken.
  if (encodeCursor(key) !== cursor) throw bad();
  return key;
}

/**
 * The SELECT of one page: the filters, after the cursor, newest first, limit + 1 rows (the extra
 * row says whether there is a next page without a count).
 *
 * The filter indexes hold every column their filters test (see the search-indexes migration),
 * so a row that does not match need never be read. SQLite sees to that itself (it defers the
 * table seek until a column outside the index is needed). MariaDB does not on a backward index
 * scan and read every row of a partial-number scan, so there a deferred join picks the ids from
 * the index alone and reads only those rows: on 100k rows a number with no match took 400 ms
 * with one query, 40 ms with the join. SQLite's planner turns that join inside out (it scanned
 * the whole table to meet the ids), so it keeps the single query.
 */
export function pageSql(knex: Knex, dialect: 'sqlite' | 'mysql', q: ParsedCdrQuery, limit: number, after: CdrKey | null): Knex.QueryBuilder {
  const b = knex('cdr');
  if (q.from !== null) b.where('calldate', '>=', q.from);
  // One upper bound on calldate, the tighter: given two, SQLite ranged its index on `to` and
  // tested the cursor's bound row by row, so every page of an export rescanned all before it.
  const cursorBound = after !== null && (q.to === null || after.calldate < q.to);
  if (q.to !== null && !cursorBound) b.where('calldate', '<', q.to);
  if (q.span !== null) b.where('span', q.span);
  if (q.timeslot !== null) b.where('timeslot', q.timeslot);
  if (q.disposition !== null) b.where('disposition', q.disposition);
  if (q.group !== null) b.where('trunk_group', q.group);
  if (q.job !== null) b.where('accountcode', q.job);
  if (q.direction !== null) b.where('direction', q.direction);
  if (q.number !== null) {
    // Digits only (validated), so no LIKE wildcard can come from the caller.
    const pattern = `%${q.number}%`;
    b.whereRaw('(?? like ? or ?? like ?)', ['src', pattern, 'dst', pattern]);
  }
  if (after !== null) {
    // Written as a range on calldate plus a filter rather than a row-value comparison
    // ((calldate, id) < (?, ?)), which MariaDB does not turn into an index range.
    if (cursorBound) b.where('calldate', '<=', after.calldate);
    b.whereRaw('(?? < ? or ?? < ?)', ['calldate', after.calldate, 'id', after.id]);
  }
  b.orderBy([{ column: 'calldate', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit + 1);
  if (dialect === 'sqlite') return b.select('id', ...CDR_COLUMNS);
  return knex({ c: 'cdr' })
    .join(b.select('id').as('k'), 'c.id', 'k.id')
    .select('c.id', ...CDR_COLUMNS.map((col) => `c.${col}`))
    .orderBy([{ column: 'c.calldate', order: 'desc' }, { column: 'c.id', order: 'desc' }]);
}

/** 'YYYY-MM-DD HH:MM:SS[.mmm]' UTC (either dialect's text) as ISO 8601 with Z. */
export function dbTimeToIso(v: string): string {
  return `${v.replace(' ', 'T')}${v.length === 19 ? '.000' : ''}Z`;
}

/** A row as the database returned it, as the search returns it. */
export function toSearchRecord(row: Record<string, unknown>): CdrSearchRecord {
  const out: Record<string, string | number | null> = { id: Number(row.id) };
  for (const col of CDR_COLUMNS) {
    const v = row[col];
    if (v === null || v === undefined) out[col] = null;
    else if (TIME_COLUMNS.has(col)) out[col] = dbTimeToIso(String(v));
    else out[col] = typeof v === 'number' || typeof v === 'string' ? v : String(v);
  }
  return out as CdrSearchRecord;
}

/** The key of a record as returned (to make the next cursor from). */
export function keyOf(record: CdrSearchRecord): CdrKey {
  return { calldate: `${record.calldate.slice(0, 10)} ${record.calldate.slice(11, 19)}`, id: record.id };
}
