// The REST API as its clients use it: GET /api/v1/spans (every span's status: alarms, counters,
// rates, D-channel, clock) on the 32-E1 sim, and GET /api/v1/cdrs searches on a CDR store of 1M
// records (the CDR-search bench's generated table, copied so the run leaves it untouched) - each
// through the real server with a bearer token, `CONCURRENCY` keep-alive requests at a time from a
// child process for `SECONDS`: requests/s and p50/p99 latency, beside the goals. The rate limit
// is lifted for the bench's token (it would otherwise be what is measured). Alone:
// node --expose-gc dist/bench/api-bench.js.

import { fork } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SQLITE_FILE } from '../src/store/database-url';
import { samples, SQLITE_ROWS, sqliteFile } from './cdr-search-bench';
import { inChildProcess, percentile, runBench, type BenchResult } from './report';
import { siteYaml, startSupervisor } from './supervisor-bench';

const CONCURRENCY = 16;
const SECONDS = 4;

interface LoadReport {
  requests: number;
  failures: number;
  latenciesMs: number[];
  seconds: number;
}

/** The load generator (child process): the paths in turn, CONCURRENCY at a time, for `seconds`. */
function load(base: string, token: string, paths: string[], seconds: number): void {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const report: LoadReport = { requests: 0, failures: 0, latenciesMs: [], seconds };
  const t0 = performance.now();
  let n = 0;
  const one = (): Promise<void> => new Promise((resolve) => {
    const t = performance.now();
    get(`${base}${paths[n++ % paths.length]}`, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => {
        report.requests++;
        if (res.statusCode !== 200) report.failures++;
        report.latenciesMs.push(performance.now() - t);
        resolve();
      });
    }).on('error', () => {
      report.failures++;
      resolve();
    });
  });
  const worker = async (): Promise<void> => {
    while (performance.now() - t0 < seconds * 1000) await one();
  };
  void Promise.all(Array.from({ length: CONCURRENCY }, worker)).then(() => {
    report.seconds = (performance.now() - t0) / 1000;
    process.send?.(report, () => process.exit(0));
  });
}

function drive(base: string, token: string, paths: string[]): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['load', base, token, String(SECONDS), JSON.stringify(paths)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (m: LoadReport) => resolve(m));
    child.once('error', reject);
  });
}

function figures(label: string, r: LoadReport, goalMs: string): BenchResult[] {
  if (r.failures > 0) throw new Error(`${label}: ${r.failures} of ${r.requests} requests failed`);
  return [
    { name: `${label}, ${CONCURRENCY} at a time`, value: r.requests / r.seconds, unit: 'requests/s', goal: '' },
    { name: '  p50', value: percentile(r.latenciesMs, 50), unit: 'ms', goal: '' },
    { name: '  p99', value: percentile(r.latenciesMs, 99), unit: 'ms', goal: goalMs },
  ];
}

async function measure(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tdmgate-api-bench-'));
  try {
    const sitePath = join(dir, 'site.yaml');
    writeFileSync(sitePath, siteYaml());
    const data = join(dir, 'data');
    const filled = await sqliteFile(SQLITE_ROWS);
    mkdirSync(data, { recursive: true });
    copyFileSync(filled, join(data, DEFAULT_SQLITE_FILE));
    const sup = await startSupervisor(sitePath, data, null, { TDMGATE_API_RATE: '100000/s,1000000' });
    try {
      const { token } = await sup.tokens.create({ name: 'api-bench', role: 'viewer' });
      const base = `${sup.url}/api/v1`;
      const query = (q: object): string => `/cdrs?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString()}`;
      // A first pass warms the JIT and SQLite's page cache, as a running supervisor has.
      await drive(base, token, ['/spans']);
      const spans = await drive(base, token, ['/spans']);
      const byDay = await drive(base, token, samples('time', SQLITE_ROWS).map(query));
      const byNumber = await drive(base, token, samples('number-day', SQLITE_ROWS).map(query));
      const bySpan = await drive(base, token, samples('span-timeslot', SQLITE_ROWS).map(query));
      return [
        ...figures('GET /spans (32 E1)', spans, '< 50'),
        ...figures(`GET /cdrs, one day (${SQLITE_ROWS / 1e6}M CDRs)`, byDay, '< 100'),
        ...figures('GET /cdrs, part of a number in one day', byNumber, '< 100'),
        ...figures('GET /cdrs, span + timeslot', bySpan, '< 100'),
      ];
    } finally {
      await sup.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The section of `npm run bench`, in a child node. */
export function apiBench(): Promise<BenchResult[]> {
  return inChildProcess(__filename, 'API');
}

if (require.main === module) {
  if (process.argv[2] === 'load') load(process.argv[3] as string, process.argv[4] as string, JSON.parse(process.argv[6] as string) as string[], Number(process.argv[5]));
  else runBench(measure);
}
