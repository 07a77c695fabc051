// What SQLite CDR writes cost the event loop that handles calls: the same 20,000 records
// through a CdrSink (batches of 500, as the supervisor's default) into a fresh SQLite file, once
// with better-sqlite3 on the main thread and once on the writer thread (openCdrWriter's
// default). The loop's delay is sampled by perf_hooks' monitorEventLoopDelay every millisecond;
// its p99 and max are how long a call event could wait behind a batch; on a shared box they
// include the process being preempted, so the loop's busy time per record is printed too. Alone:
// node dist/bench/sqlite-loop-bench.js.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { CdrSink } from '../src/supervisor/cdr/cdr-sink';
import { openCdrWriter } from '../src/supervisor/cdr/open-cdr-writer';
import { benchCdr } from './bench-cdr';
import { formatResult, type BenchResult } from './report';

const RECORDS = 20_000;
const BATCH = 500;
const PER_TURN = 10;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };


async function run(thread: 'main' | 'worker'): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), `tdmgate-sqlite-loop-${thread}-`));
  const store = await openCdrWriter({ dataDir, log: silent, sqliteThread: thread });
  const sink = new CdrSink({ writer: store.writer, spoolDir: dataDir, batchSize: BATCH, flushIntervalMs: 50 });
  try {
    await sink.start();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    // A few records a turn of the loop, as calls ending at a high rate hand them over, so the
    // delay measured is the writer's, not this loop's own.
    const acked: Promise<void>[] = [];
    for (let i = 0; i < RECORDS; i += PER_TURN) {
      for (let k = i; k < i + PER_TURN; k++) acked.push(sink.write(benchCdr(k)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(acked);
    const seconds = (performance.now() - t0) / 1000;
    const busy = performance.eventLoopUtilization(elu0);
    delay.disable();
    if (sink.stats().written !== RECORDS) throw new Error(`sqlite loop bench: ${JSON.stringify(sink.stats())}`);
    const ms = (ns: number): number => ns / 1e6;
    return [
      { name: `SQLite CDR rows/s, writes on the ${thread} thread`, value: RECORDS / seconds, unit: 'rows/s', goal: '' },
      // Busy time per record: robust to the box preempting the process, unlike the delays.
      { name: '  main event loop busy per record', value: (busy.active * 1000) / RECORDS, unit: 'µs', goal: '' },
      { name: '  event loop delay p99 while writing', value: ms(delay.percentile(99)), unit: 'ms', goal: '' },
      { name: '  event loop delay max while writing', value: ms(delay.max), unit: 'ms', goal: '' },
    ];
  } finally {
    await sink.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function sqliteLoopBench(): Promise<BenchResult[]> {
  return [...(await run('main')), ...(await run('worker'))];
}

if (require.main === module) {
  sqliteLoopBench()
    .then((results) => {
      for (const r of results) console.log(formatResult(r));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
