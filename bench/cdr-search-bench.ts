// The CDR search on 1M CDRs in SQLite (the embedded default): pages per filter kind, a deep
// page through the cursor, partial-number searches (bounded by a day and over the whole
// table), and a CSV export of 100k rows - queries/s and p50/p99 beside the goals. The filled
// file is kept under .run/bench/ keyed by row count and generator version, so a rerun starts
// at once. MariaDB gets the same queries on fewer rows (filling 1M through the repository takes
// minutes on a shared machine) when a server is around (see cdr-bench.ts), else it says why.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import knexFactory from 'knex';
import { packageRoot } from '../src/package-root';
import { CDR_COLUMNS, type CdrRow } from '../src/store/cdr-columns';
import { CdrRepository, formatDbTime } from '../src/store/cdr-repository';
import type { CdrQuery } from '../src/store/cdr-query';
import { CdrSearch } from '../src/store/cdr-search';
import { Database } from '../src/store/database';
import { percentile, type BenchResult } from './report';

export const SQLITE_ROWS = 1_000_000;
const MARIADB_ROWS = 100_000;
/** Bump when cdrAt or the cdr migrations change: the cached file is keyed by it. */
const GENERATOR_VERSION = 2;
const DAYS = 60;
const END = Date.UTC(2026, 11, 1);
const SAMPLES = 150;

/** Deterministic 0..1 numbers from a seed (mulberry32): the same table every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mobile(r: () => number, pool: number): string {
  const n = Math.floor(r() * pool);
  return `1${3 + (n % 7)}${String(100_000_000 + ((n * 7919) % 900_000_000)).slice(0, 9)}`;
}

const DISPOSITIONS: readonly [string, number][] = [['ANSWERED', 0.65], ['NO ANSWER', 0.83], ['BUSY', 0.91], ['FAILED', 0.96], ['CONGESTION', 1]];

/** Row i of `total`: a busy call centre's trunks over DAYS days, in time order with jitter;
 *  inbound from a pool of repeat callers (a tenth written in E.164), outbound from jobs. */
function cdrAt(i: number, total: number): CdrRow {
  const r = rng(i + 1);
  const start = new Date(END - DAYS * 86_400_000 + Math.floor((i / total) * DAYS * 86_400) * 1000 + Math.floor(r() * 3) * 1000);
  const inbound = r() < 0.6;
  const p = r();
  const disposition = (DISPOSITIONS.find(([, upTo]) => p < upTo) as [string, number])[0];
  const answered = disposition === 'ANSWERED';
  const duration = Math.floor(r() * 600);
  const billsec = answered ? Math.floor(duration * 0.8) : 0;
  const caller = mobile(r, 200_000);
  const span = 1 + Math.floor(r() * 16);
  const timeslot = 1 + Math.floor(r() * 31);
  return {
    calldate: start, clid: inbound ? `"客户 ${i % 1000}" <${caller}>` : '"Sales" <66100000>',
    src: inbound ? (r() < 0.1 ? `+86${caller}` : caller) : '66100000',
    dst: inbound ? `6610${String(1000 + (i % 50))}` : mobile(r, 500_000),
    dcontext: inbound ? 'from-pstn' : 'to-pstn', channel: `DAHDI/${(span - 1) * 31 + timeslot}-1`,
    dstchannel: answered ? 'PJSIP/agent-0001' : '', lastapp: 'Dial', lastdata: '', duration, billsec, disposition,
    amaflags: 3, accountcode: inbound ? '' : `calls-carrier/${Math.floor(i / 3)}`, uniqueid: `1764000000.${i}`, userfield: '',
    linkedid: `1764000000.${i}`, peeraccount: '', sequence: 0, span, timeslot,
    trunk_group: inbound ? (span <= 8 ? 'pstn-in' : 'ct-in') : ['carrier-a', 'carrier-b', 'carrier-c'][span % 3] as string,
    direction: inbound ? 'inbound' : 'outbound', q850_cause: answered ? 16 : 17, ring_time: start,
    answer_time: answered ? new Date(start.getTime() + 5000) : null, end_time: new Date(start.getTime() + duration * 1000), route: '',
  };
}

function dbValues(row: CdrRow): unknown[] {
  return CDR_COLUMNS.map((c) => {
    const v = row[c];
    return v instanceof Date ? formatDbTime(v, c !== 'calldate') : v;
  });
}

/** The 1M-row SQLite file, filled once: migrated by the store, then rows through one prepared
 *  statement in 50k-row transactions with sync off (a bench file, not a CDR store). */
export async function sqliteFile(rows: number): Promise<string> {
  const dir = join(packageRoot(__dirname), '.run', 'bench');
  const file = join(dir, `cdr-search-${rows}-v${GENERATOR_VERSION}.db`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.filling`;
  rmSync(partial, { force: true });
  const db = Database.open({ url: partial, dataDir: dir });
  await db.migrateLatest();
  await db.close();
  const raw = new BetterSqlite3(partial);
  raw.pragma('journal_mode = DELETE');
  raw.pragma('synchronous = OFF');
  const insert = raw.prepare(`insert into cdr (${CDR_COLUMNS.join(', ')}) values (${CDR_COLUMNS.map(() => '?').join(', ')})`);
  const fill = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(...dbValues(cdrAt(i, rows)));
  });
  const t0 = Date.now();
  for (let i = 0; i < rows; i += 50_000) fill(i, Math.min(rows, i + 50_000));
  raw.close();
  renameSync(partial, file);
  console.log(`cdr search: filled ${rows} rows into ${file} in ${((Date.now() - t0) / 1000).toFixed(1)} s (kept for reruns)`);
  return file;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The queries of one kind, drawn from the generator so they find rows. */
export function samples(kind: string, rows: number): CdrQuery[] {
  const r = rng(0xc0ffee ^ kind.length);
  const row = (): CdrRow => cdrAt(Math.floor(r() * rows), rows);
  const day = (): { from: string; to: string } => {
    const from = END - DAYS * 86_400_000 + Math.floor(r() * (DAYS - 1)) * 86_400_000;
    return { from: iso(from), to: iso(from + 86_400_000) };
  };
  return Array.from({ length: SAMPLES }, (): CdrQuery => {
    const c = row();
    const digits = (c.direction === 'inbound' ? c.src : c.dst).replace(/^\+/, '');
    switch (kind) {
      case 'time':
        return day();
      case 'number-day':
        return { ...day(), number: digits.slice(3, 10) };
      case 'number-all':
        return { number: digits.slice(2, 11) };
      case 'number-none':
        return { number: `99${Math.floor(r() * 1e6)}99` };
      case 'span':
        return { span: c.span as number };
      case 'span-timeslot':
        return { span: c.span as number, timeslot: c.timeslot as number };
      case 'job':
        return { job: `calls-carrier/${Math.floor(r() * (rows / 3))}` };
      case 'disposition-group':
        return { disposition: r() < 0.5 ? 'FAILED' : 'BUSY', group: ['carrier-a', 'carrier-b', 'ct-in'][Math.floor(r() * 3)] as string };
      default:
        throw new Error(`no sample kind ${kind}`);
    }
  });
}

async function timeQueries(search: CdrSearch, queries: readonly CdrQuery[]): Promise<{ perSec: number; p50: number; p99: number }> {
  const ms: number[] = [];
  const t0 = process.hrtime.bigint();
  for (const q of queries) {
    const s = process.hrtime.bigint();
    await search.search(q);
    ms.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  const total = Number(process.hrtime.bigint() - t0) / 1e9;
  return { perSec: queries.length / total, p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

/** A page 100 pages deep: the cursor of page 100 taken once, then that page timed. */
async function deepPage(search: CdrSearch): Promise<CdrQuery[]> {
  let next: string | null = null;
  for (let i = 0; i < 100; i++) next = (await search.search({ limit: 100, ...(next ? { cursor: next } : {}) })).next;
  return next === null ? [] : Array.from({ length: SAMPLES }, () => ({ limit: 100, cursor: next as string }));
}

/** A sink that takes ~64 kB at a time and asks for a drain, like a socket. */
function nullSink(): Writable {
  return new Writable({ highWaterMark: 64 * 1024, write: (_chunk, _enc, done) => setImmediate(done) });
}

const KINDS: readonly [kind: string, label: string, goal: string][] = [
  ['time', 'time range (1 day), page of 100', '< 50'],
  ['span', 'span, page of 100', '< 50'],
  ['span-timeslot', 'span + timeslot, page of 100', '< 50'],
  ['job', 'job (accountcode), page', '< 50'],
  ['disposition-group', 'disposition + group, page of 100', '< 50'],
  ['number-day', 'number partial, 1-day range', '< 50'],
  ['number-all', 'number partial, whole table', ''],
  ['number-none', 'number partial, no match, whole table', ''],
];

async function measure(dialect: string, search: CdrSearch, rows: number, exportRange: { from: string; to: string }): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const add = async (label: string, goal: string, queries: readonly CdrQuery[]): Promise<void> => {
    if (queries.length === 0) return;
    const f = await timeQueries(search, queries);
    out.push({ name: `${dialect} ${label} p50`, value: f.p50, unit: 'ms', goal: '' });
    out.push({ name: `${dialect} ${label} p99`, value: f.p99, unit: 'ms', goal });
    out.push({ name: `${dialect} ${label}`, value: f.perSec, unit: 'queries/s', goal: '' });
  };
  for (const [kind, label, goal] of KINDS) {
    // The whole-table scans take long: fewer of them.
    const qs = samples(kind, rows);
    await add(label, goal, kind.startsWith('number-') && kind !== 'number-day' ? qs.slice(0, 10) : qs);
  }
  await add('page 100 deep via cursor', '< 50', await deepPage(search));
  const t0 = process.hrtime.bigint();
  const { rows: exported } = await search.exportCsv(exportRange, nullSink());
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  out.push({ name: `${dialect} CSV export (${exported} rows)`, value: exported / sec, unit: 'rows/s', goal: '>= 50000' });
  return out;
}

/** About 100k rows of the generated table: the newest 6 days of 60 at 1M rows. */
function exportRange(rows: number): { from: string; to: string } {
  const days = Math.max(1, Math.round((100_000 / rows) * DAYS));
  return { from: iso(END - days * 86_400_000), to: iso(END + 86_400_000) };
}

async function sqliteSearch(): Promise<BenchResult[]> {
  const file = await sqliteFile(SQLITE_ROWS);
  const db = Database.open({ url: file, dataDir: join(file, '..') });
  try {
    await db.migrateLatest();
    return await measure(`sqlite ${SQLITE_ROWS / 1000}k:`, new CdrSearch(db.knex, db.dialect), SQLITE_ROWS, exportRange(SQLITE_ROWS));
  } finally {
    await db.close();
  }
}

function mariadbUrl(): string | null {
  const env = process.env.TDMGATE_BENCH_MYSQL_URL?.trim() || process.env.TDMGATE_TEST_MYSQL_URL?.trim();
  if (env) return env;
  const script = join(packageRoot(__dirname), 'scripts', 'mariadb');
  try {
    execFileSync('bash', [script, 'status'], { stdio: 'ignore' });
    return execFileSync('bash', [script, 'url'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

async function mariadbSearch(): Promise<BenchResult[]> {
  const url = mariadbUrl();
  if (url === null) {
    console.log('cdr search on MariaDB: skipped - no MariaDB: set TDMGATE_BENCH_MYSQL_URL or run scripts/mariadb start');
    return [];
  }
  const server = new URL(url);
  const name = `tdmgate_bench_search_${process.pid}`;
  const admin = knexFactory({
    client: 'mysql2',
    connection: { host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) },
  });
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  server.pathname = `/${name}`;
  const db = Database.open({ url: server.toString(), dataDir: join(packageRoot(__dirname), '.run', 'bench') });
  try {
    await db.migrateLatest();
    const repo = new CdrRepository(db);
    const t0 = Date.now();
    for (let i = 0; i < MARIADB_ROWS; i += 5000) {
      await repo.insertMany(Array.from({ length: Math.min(5000, MARIADB_ROWS - i) }, (_, k) => cdrAt(i + k, MARIADB_ROWS)));
    }
    console.log(`cdr search: filled ${MARIADB_ROWS} rows into MariaDB in ${((Date.now() - t0) / 1000).toFixed(1)} s (1M would take ${Math.round(((Date.now() - t0) / 1000) * (SQLITE_ROWS / MARIADB_ROWS))} s)`);
    await db.knex.raw('ANALYZE TABLE cdr');
    return await measure(`mariadb ${MARIADB_ROWS / 1000}k:`, new CdrSearch(db.knex, db.dialect), MARIADB_ROWS, exportRange(MARIADB_ROWS));
  } finally {
    await db.close();
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
  }
}

export async function cdrSearchBench(): Promise<BenchResult[]> {
  return [...(await sqliteSearch()), ...(await mariadbSearch())];
}
