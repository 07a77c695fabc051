// CDR ingest into MariaDB: rows/s through the CdrSink with batching, beside the same run's
// one-row-per-insert figure (the ratio is what batching buys). Uses TDMGATE_BENCH_MYSQL_URL or
// TDMGATE_TEST_MYSQL_URL, else the project's server if scripts/mariadb has one running; with
// none it prints why and skips. Works in a throw-away database dropped afterwards.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { packageRoot } from '../src/package-root';
import { CdrRepository } from '../src/store/cdr-repository';
import { Database } from '../src/store/database';
import { CdrSink } from '../src/supervisor/cdr/cdr-sink';
import { parseCdrRecord } from '../src/supervisor/cdr/cdr-record';
import { benchCdr } from './bench-cdr';
import { formatResult, type BenchResult } from './report';

const BATCHED_ROWS = 60_000;
const SINGLE_ROWS = 3000;


/** The server to use, or why there is none. */
function findMariadb(): { url: string } | { skip: string } {
  const env = process.env.TDMGATE_BENCH_MYSQL_URL?.trim() || process.env.TDMGATE_TEST_MYSQL_URL?.trim();
  if (env) return { url: env };
  const script = join(packageRoot(__dirname), 'scripts', 'mariadb');
  try {
    execFileSync('bash', [script, 'status'], { stdio: 'ignore' });
    return { url: execFileSync('bash', [script, 'url'], { encoding: 'utf8' }).trim() };
  } catch {
    return { skip: 'no MariaDB: set TDMGATE_BENCH_MYSQL_URL or run scripts/mariadb start' };
  }
}

export async function cdrBench(): Promise<BenchResult[]> {
  const found = findMariadb();
  if ('skip' in found) {
    console.log(`cdr ingest: skipped - ${found.skip}`);
    return [];
  }
  const server = new URL(found.url);
  const name = `tdmgate_bench_${process.pid}`;
  const admin = knexFactory({
    client: 'mysql2',
    connection: { host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'tdmgate-cdr-bench-'));
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  server.pathname = `/${name}`;
  const db = Database.open({ url: server.toString(), dataDir, poolMax: 4 });
  try {
    await db.migrateLatest();
    const repo = new CdrRepository(db);

    // Batched: every record through the sink, all in flight, as a busy supervisor would.
    const sink = new CdrSink({ writer: repo, spoolDir: dataDir, batchSize: 1000, flushIntervalMs: 20 });
    await sink.start();
    const inputs = Array.from({ length: BATCHED_ROWS }, (_, i) => benchCdr(i));
    let t0 = process.hrtime.bigint();
    await Promise.all(inputs.map((r) => sink.write(r)));
    const batchedSec = Number(process.hrtime.bigint() - t0) / 1e9;
    await sink.close();
    if (sink.stats().spooled > 0) throw new Error('the bench spooled records: the database was not keeping up or went away');

    // One row per INSERT, each awaited: what a naive CDR writer does.
    const singles = Array.from({ length: SINGLE_ROWS }, (_, i) => parseCdrRecord(benchCdr(BATCHED_ROWS + i)));
    t0 = process.hrtime.bigint();
    for (const r of singles) await repo.insert(r);
    const singleSec = Number(process.hrtime.bigint() - t0) / 1e9;

    const count = await repo.count();
    if (count !== BATCHED_ROWS + SINGLE_ROWS) throw new Error(`expected ${BATCHED_ROWS + SINGLE_ROWS} rows, found ${count}`);
    const batched = BATCHED_ROWS / batchedSec;
    const single = SINGLE_ROWS / singleSec;
    return [
      { name: `CDR ingest to MariaDB, batched (${BATCHED_ROWS} rows)`, value: batched, unit: 'rows/s', goal: '>= 20000' },
      { name: `CDR ingest to MariaDB, one row per insert`, value: single, unit: 'rows/s', goal: '' },
      { name: 'batched / one-row-per-insert', value: batched / single, unit: 'x', goal: '' },
    ];
  } finally {
    await db.close();
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  cdrBench()
    .then((results) => {
      for (const r of results) console.log(formatResult(r));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
