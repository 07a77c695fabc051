// `npm run bench`: runs every benchmark and prints its figures beside the goals.
// Figures are printed, never asserted: timing belongs here, not in the tests.

import { join } from 'node:path';
import { apiBench } from './api-bench';
import { cdrBench } from './cdr-bench';
import { cdrSearchBench } from './cdr-search-bench';
import { diagScanProcess } from './cli-bench';
import { eventsBench } from './events-bench';
import { importBench } from './import-bench';
import { provisioningBench } from './provisioning-bench';
import { queueBench } from './queue-bench';
import { runSections, type BenchSection } from './report';
import { simEdgeLatency, simThroughput, simWatcherOverhead } from './sim-bench';
import { sqliteLoopBench } from './sqlite-loop-bench';
import { supervisorBench } from './supervisor-bench';
import { webPageBench } from './web-page-bench';
import { webhookBench } from './webhook-bench';

function main(): void {
  // The bundle package.json's bin names: what a technician actually starts.
  const cli = join(__dirname, '..', 'tdmgate.js');
  const sections: BenchSection[] = [
    ['sim event path', async () => [await simThroughput(3)]],
    ['sim watcher', async () => [await simWatcherOverhead(10), ...(await simEdgeLatency(60))]],
    ['CLI process', () => Promise.resolve(diagScanProcess(20, cli))],
    ['provisioning, 32-span site', async () => [...(await provisioningBench()), ...(await importBench())]],
    ['CDR ingest', cdrBench],
    ['CDR writes on SQLite and the event loop', sqliteLoopBench],
    ['CDR search, 1M rows', cdrSearchBench],
    ['supervisor, 32 E1 PRI', supervisorBench],
    ['live event stream, 32 E1 PRI', eventsBench],
    ['REST API', apiBench],
    ['web status page in Chromium, 32 E1 PRI', webPageBench],
    ['webhook delivery', webhookBench],
    ['job queues', queueBench],
  ];
  runSections(sections);
}

main();
