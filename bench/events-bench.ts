// The live event stream under the load: the real supervisor on 32 E1 PRI (960
// B-channels, the stand-in in process), every B-channel busy and calls churning - the oldest
// call hung up and a new one placed on its span, CHURN_PER_SECOND a second - streamed as
// server-sent events to CLIENTS clients. The clients run in a child process (their parsing is
// not the server's cost) and time each channel event from the TrunkMap's own timestamp to its
// arrival. The server's CPU is measured with the same churn and no client, then with the
// clients: the difference is what the stream costs. Alone: node --expose-gc dist/bench/events-bench.js.

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AriStandin } from '../src/demo/ari-standin';
import { inChildProcess, percentile, runBench, type BenchResult } from './report';
import { B_CHANNELS, drive, IN_FLIGHT, siteYaml, startSupervisor } from './supervisor-bench';

const CLIENTS = 20;
const CHURN_PER_SECOND = 200;
const SECONDS = 5;
const TICK_MS = 10;

interface ClientReport {
  events: number[];
  delaysMs: number[];
  dropped: number;
}

/** Keeps every B-channel busy: each tick hangs up the oldest calls and places as many on their spans (the web page bench churns with it too). */
export async function churn(standin: AriStandin, seconds: number): Promise<{ calls: number; cpuUs: number; seconds: number }> {
  const up = standin.channels().map((c) => ({ id: c.id, span: Number(/^DAHDI\/i(\d+)\//.exec(c.name)?.[1]) }));
  const perTick = (CHURN_PER_SECOND * TICK_MS) / 1000;
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (let i = 0; i < perTick; i++) {
      const old = up.shift();
      if (!old) break;
      standin.remoteHangup(old.id);
      // The freed timeslot is taken by the next call on that span once the hang-up is through.
      await new Promise((r) => setImmediate(r));
      const ch = standin.placeInboundCall({ span: old.span, did: '6912347', callerId: `0691${String(n++).padStart(6, '0')}` });
      up.push({ id: ch.id, span: old.span });
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  const cpu = process.cpuUsage(cpu0);
  return { calls: n, cpuUs: cpu.user + cpu.system, seconds: (performance.now() - t0) / 1000 };
}

/** The clients' process: CLIENTS streams, each event counted, channel events timed. */
function clients(url: string, token: string, seconds: number): void {
  const report: ClientReport = { events: [], delaysMs: [], dropped: 0 };
  let open = 0;
  for (let i = 0; i < CLIENTS; i++) {
    report.events.push(0);
    get(url, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      open++;
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!block.includes('event: channel')) {
            if (block.includes('event: ')) report.events[i] = (report.events[i] ?? 0) + 1;
            continue;
          }
          report.events[i] = (report.events[i] ?? 0) + 1;
          const at = /"at":(\d+)/.exec(block);
          if (at && i === 0) report.delaysMs.push(Date.now() - Number(at[1]));
        }
      });
      res.on('close', () => report.dropped++);
    });
  }
  process.send?.({ ready: true });
  process.once('message', () => {
    process.send?.({ report: { ...report, open } }, () => process.exit(0));
  });
  setTimeout(() => undefined, seconds * 1000 * 10);
}

async function measure(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tdmgate-events-bench-'));
  const sitePath = join(dir, 'site.yaml');
  writeFileSync(sitePath, siteYaml());
  const sup = await startSupervisor(sitePath, join(dir, 'data'), null);
  try {
    const standin = sup.standin;
    if (!standin) throw new Error('the supervisor did not start the ARI stand-in');
    // The users' path: the supervisor's own stream behind its bearer-token check.
    const { token } = await sup.tokens.create({ name: 'events-bench', role: 'viewer' });
    const url = `${sup.url}/api/v1/events`;
    await drive(standin, 0, IN_FLIGHT, false, (n) => n < B_CHANNELS);
    await churn(standin, 1);
    const quiet = await churn(standin, SECONDS);

    const child = fork(__filename, ['clients', url, token, String(SECONDS)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await new Promise((r) => child.once('message', r));
    await new Promise((r) => setTimeout(r, 500));
    const seq0 = sup.events.eventsMade;
    const heap0 = process.memoryUsage();
    const loaded = await churn(standin, SECONDS);
    const events = sup.events.eventsMade - seq0;
    const heap1 = process.memoryUsage();
    await new Promise((r) => setTimeout(r, 300));
    const report = await new Promise<ClientReport & { open: number }>((resolve) => {
      child.once('message', (m: { report: ClientReport & { open: number } }) => resolve(m.report));
      child.send('report');
    });
    const perClient = report.events.reduce((a, b) => a + b, 0) / CLIENTS;
    return [
      { name: `calls churned/s (${B_CHANNELS} B-channels busy)`, value: loaded.calls / loaded.seconds, unit: 'calls/s', goal: '' },
      { name: '  events/s made (channel, span, call)', value: events / loaded.seconds, unit: 'events/s', goal: '' },
      { name: `events/s delivered to ${CLIENTS} clients in all`, value: (perClient * CLIENTS) / loaded.seconds, unit: 'events/s', goal: '' },
      { name: '  clients dropped for falling behind', value: sup.events.stats.dropped, unit: 'clients', goal: '' },
      { name: '  channel event -> client p50', value: percentile(report.delaysMs, 50), unit: 'ms', goal: '' },
      // The web page's promise: an alarm shows within a second.
      { name: '  channel event -> client p99', value: percentile(report.delaysMs, 99), unit: 'ms', goal: '< 1000' },
      { name: '  server CPU, churn with no client', value: (100 * quiet.cpuUs) / (quiet.seconds * 1e6), unit: '% of one core', goal: '' },
      { name: `  server CPU, churn with ${CLIENTS} clients`, value: (100 * loaded.cpuUs) / (loaded.seconds * 1e6), unit: '% of one core', goal: '' },
      // Per call, so a phase that churned a little less is not counted as cheaper.
      { name: '  stream CPU per event delivered', value: ((loaded.cpuUs / loaded.calls - quiet.cpuUs / quiet.calls) * loaded.calls) / Math.max(1, perClient * CLIENTS), unit: 'µs', goal: '' },
      { name: '  server RSS under that load', value: heap1.rss / 2 ** 20, unit: 'MB', goal: '' },
      { name: '  heap growth over the phase', value: (heap1.heapUsed - heap0.heapUsed) / 2 ** 20, unit: 'MB', goal: '' },
    ];
  } finally {
    await sup.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The section of `npm run bench`, in a child node (its own heap and CPU figures). */
export function eventsBench(): Promise<BenchResult[]> {
  return inChildProcess(__filename, 'events');
}

if (require.main === module) {
  if (process.argv[2] === 'clients') clients(process.argv[3] as string, process.argv[4] as string, Number(process.argv[5]));
  else runBench(measure);
}
