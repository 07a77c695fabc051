// A process that holds a CdrSink and writes records as fast as it can, printing `ack N` for each
// record write() acknowledged; the crash test kills it with SIGKILL mid-stream.
// argv: <db url> <data dir> <first index> <count>

import { CdrRepository } from '../../../src/store/cdr-repository';
import { Database } from '../../../src/store/database';
import { CdrSink } from '../../../src/supervisor/cdr/cdr-sink';
import { makeCdr } from './cdr-fixtures';

async function main(): Promise<void> {
  const [url, dataDir, firstText, countText] = process.argv.slice(2);
  const db = Database.open({ url: url as string, dataDir: dataDir as string, sqliteBusyTimeoutMs: 20, connectTimeoutMs: 500, acquireTimeoutMs: 1000, log: { warn: () => undefined } });
  const sink = new CdrSink({ writer: new CdrRepository(db), spoolDir: dataDir as string, batchSize: 20, flushIntervalMs: 5, writeTimeoutMs: 1000, probeInitialMs: 50 });
  await sink.start();
  process.stdout.write(`started ${sink.status}\n`);
  const first = Number(firstText);
  const end = first + Number(countText);
  const inFlight = new Set<Promise<void>>();
  for (let i = first; i < end; i++) {
    const p = sink.write(makeCdr(i)).then(() => {
      process.stdout.write(`ack ${i}\n`);
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= 100) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await sink.close();
  await db.close();
  process.stdout.write('done\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
