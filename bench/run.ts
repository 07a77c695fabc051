// `npm run bench`: runs every benchmark and prints its figures beside the goals.
// Figures are printed, never asserted: timing belongs here, not in the tests.

import { join } from 'node:path';
import { diagScanProcess } from './cli-bench';
import { formatResult, type BenchResult } from './report';
import { simEdgeLatency, simThroughput, simWatcherOverhead } from './sim-bench';

async function main(): Promise<void> {
  // The bundle package.json's bin names: what a technician actually starts.
  const cli = join(__dirname, '..', 'tdmgate.js');
  const sections: Array<[string, () => Promise<BenchResult[]>]> = [
    ['sim event path', async () => [await simThroughput(3)]],
    ['sim watcher', async () => [await simWatcherOverhead(10), ...(await simEdgeLatency(60))]],
    ['CLI process', () => Promise.resolve(diagScanProcess(20, cli))],
  ];
  for (const [title, run] of sections) {
    console.log(`\n## ${title}`);
    for (const r of await run()) console.log(formatResult(r));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
