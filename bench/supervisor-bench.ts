// The supervisor under load on 32 E1 PRI (960 B-channels), beside the goals: 1,000
// call setups/s on this 2-core box, decision latency p99 < 5 ms, RSS < 300 MB with 960 calls up.
// It starts the real supervisor (src/app) as `tdmgate supervise --backend sim` does - sim hardware, the
// built-in ARI stand-in, ari-client, SQLite CDRs in a temp data dir - on a temp site of 32 PRI
// spans with routing rules, and drives calls through the stand-in's control API. An inbound
// setup is timed at the stand-in's boundary: from the StasisStart it publishes
// (placeInboundCall returns right after) to the `continue` it receives (its 'continued' event),
// so it holds the supervisor's whole path - event parse, TrunkMap (the channel from the Stasis
// argument, as the recommended dialplan passes it), decideInbound, four setVariable sent
// together, answer, continue. Outbound calls are timed from originate() to the answered result.
// In process the stand-in shares the supervisor's event loop and every figure pays for both
// sides of each REST call and event; a second run puts the stand-in on a worker thread, so the
// supervisor has a core to itself as it would beside a real Asterisk. `npm run bench` runs it in
// a fresh node with --expose-gc, so RSS is this bench's alone and taken after a GC. Alone:
// node --expose-gc dist/bench/supervisor-bench.js.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { AriStandin, planFromSite, type InboundCall } from '../src/demo/ari-standin';
import { createSimBackend, parseScenario } from '../src/hardware/sim';
import { loadSiteFile } from '../src/provisioning/site/load';
import { loadConfig } from '../src/supervisor/config';
import { compileInbound } from '../src/supervisor/routing/compile';
import { decideInbound } from '../src/supervisor/routing/decide-inbound';
import { App } from '../src/app/app';
import { STASIS_APP } from '../src/supervisor/call-control';
import { inChildProcess, percentile, runBench, type BenchResult } from './report';
import { thirtyTwoE1Scenario } from './sim-bench';

const SPANS = 32;
export const B_CHANNELS = SPANS * 30;
/** Setups offered at once in the rate phase: enough to keep the loop busy, far below 960. */
export const IN_FLIGHT = 32;
const WARMUP_CALLS = 1000;
const RATE_SECONDS = 4;
const SERIAL_CALLS = 500;
const DECIDE_CALLS = 20_000;
/** A phase with no setup for this long has stalled (a rejected or lost call): fail, not hang. */
const STALL_MS = 5000;

const STANDIN_USER = 'tdmgate';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The same 32 spans as a site, one carrier group, and routing shaped like the demo's. */
export function siteYaml(): string {
  const card = (i: number): string => `
  - name: TE820 ${i + 1}
    location: PCI_Bus_0${i + 1}_Slot_01
    spans:
${Array.from({ length: 8 }, (_, p) => `      - { port: ${p + 1}, line: E1, signalling: pri_cpe, switchtype: euroisdn, group: carrier }`).join('\n')}`;
  return `site: bench-32e1
toneZone: de
timezone: Europe/Berlin
cards:${[0, 1, 2, 3].map(card).join('')}
groups:
  - { number: 1, name: carrier, context: from-carrier, direction: both, hunt: ascending }
routing:
  numbering: { country: "49", nationalPrefix: "0", internationalPrefix: "00", localAreaCode: "69" }
  targets:
    - { name: sales, context: cc-sales, extension: s, limit: 300, overflow: sales-overflow }
    - { name: sales-overflow, context: cc-voicemail, extension: sales, limit: 100 }
    - { name: support, context: cc-support, extension: "{did}", limit: 400 }
    - { name: vip, context: cc-vip, extension: s }
    - { name: reception, context: cc-reception, extension: s }
  vip:
    - { name: key-accounts, callers: ["+4969123456"], target: vip }
  blacklist:
    callers: ["+49900", "+49137"]
  inbound:
    - { name: sales, did: ["_6912345XX"], target: sales }
    - { name: support, did: ["6912347"], target: support }
  default: reception
`;
}

/**
 * The n-th call: spans in turn; a third each to sales (a DID range, reaching its overflow when
 * 960 are up), support and the default, every 50th from the VIP caller. None is refused, so
 * every offer is a setup.
 */
function callOf(n: number): InboundCall {
  const did = ['69123450' + String(n % 10), '6912347', '100'][n % 3] as string;
  return { span: (n % SPANS) + 1, did, callerId: n % 50 === 0 ? '069123456' : `0691${String(n).padStart(6, '0')}` };
}

interface Phase {
  setups: number;
  seconds: number;
  /** Process CPU (user + system) over the phase, µs. */
  cpuUs: number;
  latenciesMs: number[];
}

/**
 * Offers calls with at most `inFlight` waiting for their `continue`, until `more(offered, elapsedMs)`
 * says stop. A continued call is hung up by the far end (`hangUp`) or kept; either way the next call
 * is offered on the next turn of the loop, after the stand-in has answered the continue request.
 */
export function drive(standin: AriStandin, first: number, inFlight: number, hangUp: boolean, more: (offered: number, elapsedMs: number) => boolean): Promise<Phase> {
  return new Promise((resolve, reject) => {
    const waiting = new Map<string, number>();
    const latenciesMs: number[] = [];
    let offered = 0;
    let setups = 0;
    let lastProgress = performance.now();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const offer = (): void => {
      const ch = standin.placeInboundCall(callOf(first + offered++));
      waiting.set(ch.id, performance.now());
    };
    const finish = (err?: Error): void => {
      clearInterval(watchdog);
      standin.off('continued', onContinued);
      if (err) return reject(err);
      const cpu = process.cpuUsage(cpu0);
      resolve({ setups, seconds: (performance.now() - t0) / 1000, cpuUs: cpu.user + cpu.system, latenciesMs });
    };
    const onContinued = (id: string): void => {
      const now = performance.now();
      const at = waiting.get(id);
      if (at === undefined) return;
      waiting.delete(id);
      latenciesMs.push(now - at);
      setups++;
      lastProgress = now;
      setImmediate(() => {
        if (hangUp) standin.remoteHangup(id);
        if (more(offered, performance.now() - t0)) offer();
        else if (waiting.size === 0) finish();
      });
    };
    const watchdog = setInterval(() => {
      if (performance.now() - lastProgress > STALL_MS) finish(new Error(`setups stalled with ${waiting.size} calls waiting for their continue`));
    }, 500);
    standin.on('continued', onContinued);
    while (offered < inFlight && more(offered, 0)) offer();
  });
}

/**
 * Outbound: `inFlight` originates on the carrier group at a time through the supervisor's
 * OutboundCalls, the far end answering at once; each answered call is hung up by the far end
 * and the next one asked for. Timed from originate() to its answered result.
 */
async function driveOutbound(sup: App, standin: AriStandin, inFlight: number, seconds: number, legs: { made: number }): Promise<Phase> {
  standin.setDefaultOutcome({ kind: 'answer', afterMs: 0 });
  const latenciesMs: number[] = [];
  let setups = 0;
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const one = async (): Promise<void> => {
    while (performance.now() - t0 < seconds * 1000) {
      const t = performance.now();
      const result = await sup.calls.outbound.originate({ group: 1, number: `+49301${String(n++).padStart(6, '0')}`, target: 'sales' });
      if (result.outcome !== 'answered' || result.answeredChannelId === null) throw new Error(`outbound bench call not answered: ${JSON.stringify(result)}`);
      latenciesMs.push(performance.now() - t);
      setups++;
      // Attempts refused with "Allocation failed" (span full, hunt moved on) made no channel and get no CDR.
      legs.made += result.attempts.filter((a) => a.channelId !== null).length;
      standin.remoteHangup(result.answeredChannelId);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, one));
  const cpu = process.cpuUsage(cpu0);
  return { setups, seconds: (performance.now() - t0) / 1000, cpuUs: cpu.user + cpu.system, latenciesMs };
}

/** Every outbound attempt of the bench that made a channel ended and got its CDR. */
async function outboundRecorded(sup: App, legs: number): Promise<void> {
  const until = performance.now() + 10_000;
  while (sup.calls.outbound.active > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
  await sup.calls.settled();
  const { records, recordFailures } = sup.calls.outbound.stats;
  if (sup.calls.outbound.active > 0 || recordFailures > 0 || records !== legs) {
    throw new Error(`outbound bench: ${sup.calls.outbound.active} calls still up, ${records} CDRs for ${legs} channels made, ${recordFailures} failed`);
  }
}

function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}

/** decideInbound alone on the same rules and calls, each timed (µs). */
function decideLatencies(sup: App): number[] {
  const rules = compileInbound(sup.site);
  const state = { activeCallsByTarget: {} };
  const out: number[] = [];
  for (let n = 0; n < DECIDE_CALLS; n++) {
    const c = callOf(n);
    const at = new Date();
    const t = performance.now();
    decideInbound({ did: c.did, callerId: c.callerId, span: c.span ?? 1, timeslot: (n % 30) + 1, groups: [1], at }, rules, state);
    out.push((performance.now() - t) * 1000);
  }
  // The first calls pay for JIT compilation; a running supervisor has long done that.
  return out.slice(DECIDE_CALLS / 10);
}

/** Starts the real supervisor on the 32-span site and a fresh sim, its data in `dataDir`. */
export async function startSupervisor(sitePath: string, dataDir: string, ari: { url: string; password: string } | null, extraEnv: Record<string, string> = {}): Promise<App> {
  mkdirSync(dataDir, { recursive: true });
  const env: Record<string, string> = { TDMGATE_DATA_DIR: dataDir, TDMGATE_LISTEN: '127.0.0.1:0', TDMGATE_SITE: sitePath, ...extraEnv };
  if (ari) Object.assign(env, { TDMGATE_ARI_URL: ari.url, TDMGATE_ARI_USER: STANDIN_USER, TDMGATE_ARI_PASSWORD: ari.password });
  const config = await loadConfig({ env, flags: { config: '/nonexistent-ok' }, readText: () => Promise.resolve('') });
  const backend = createSimBackend({ scenario: parseScenario(thirtyTwoE1Scenario('pri_cpe'), '32-e1-pri') });
  const sup = await App.start({ config, logger: silent, demoSitePath: sitePath, backend, demoTraffic: false });
  await sup.ari.waitReady(5000);
  return sup;
}

/** Every call of the bench must have been routed and recorded, or its figures mean nothing. */
async function checkAllRecorded(sup: App): Promise<number> {
  if (!(await sup.calls.legs.whenIdle(10_000))) throw new Error(`${sup.calls.inbound.active} calls still tracked 10 s after the last hangup`);
  await sup.calls.settled();
  const { rejected, records, recordFailures } = sup.calls.inbound.stats;
  if (rejected > 0 || recordFailures > 0) throw new Error(`every bench call should be routed and recorded: ${rejected} rejected, ${recordFailures} CDRs failed`);
  return records;
}

function rateResults(label: string, rate: Phase, serial: Phase): BenchResult[] {
  return [
    { name: `setups/s, ${label}`, value: rate.setups / rate.seconds, unit: 'setups/s', goal: '>= 1000' },
    { name: '  process CPU over it', value: (100 * rate.cpuUs) / (rate.seconds * 1e6), unit: '% of one core', goal: '' },
    { name: '  process CPU per setup', value: rate.cpuUs / rate.setups, unit: 'µs', goal: '' },
    { name: `  StasisStart -> continue p50, ${IN_FLIGHT} in flight`, value: percentile(rate.latenciesMs, 50), unit: 'ms', goal: '' },
    { name: `  StasisStart -> continue p99, ${IN_FLIGHT} in flight`, value: percentile(rate.latenciesMs, 99), unit: 'ms', goal: '' },
    { name: '  decision latency p50, 1 call at a time', value: percentile(serial.latenciesMs, 50), unit: 'ms', goal: '' },
    { name: '  decision latency p99, 1 call at a time', value: percentile(serial.latenciesMs, 99), unit: 'ms', goal: '< 5' },
  ];
}

/**
 * As `tdmgate supervise --backend sim` runs: the stand-in inside the supervisor's process. Memory
 * first, before the load phases grow the heap: idle, then all 960 B-channels up and answered.
 */
async function inProcessRun(sitePath: string, dataDir: string): Promise<BenchResult[]> {
  const sup = await startSupervisor(sitePath, dataDir, null);
  try {
    const standin = sup.standin;
    if (!standin) throw new Error('the supervisor did not start the ARI stand-in');
    const gcNote = typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'after GC' : 'no GC: run node with --expose-gc';
    const rssIdle = rssMb();
    await drive(standin, 0, IN_FLIGHT, false, (n) => n < B_CHANNELS);
    const up = standin.channels();
    if (up.length !== B_CHANNELS || up.some((c) => c.state !== 'Up') || sup.calls.inbound.active !== B_CHANNELS) {
      throw new Error(`expected ${B_CHANNELS} answered calls, found ${up.filter((c) => c.state === 'Up').length} up in the stand-in and ${sup.calls.inbound.active} tracked`);
    }
    const rssFull = rssMb();
    for (const c of up) standin.remoteHangup(c.id);

    await drive(standin, B_CHANNELS, IN_FLIGHT, true, (n) => n < WARMUP_CALLS);
    const rate = await drive(standin, B_CHANNELS + WARMUP_CALLS, IN_FLIGHT, true, (_n, ms) => ms < RATE_SECONDS * 1000);
    const serial = await drive(standin, B_CHANNELS + WARMUP_CALLS + rate.setups, 1, true, (n) => n < SERIAL_CALLS);
    const records = await checkAllRecorded(sup);
    const decide = decideLatencies(sup);
    const legs = { made: 0 };
    await driveOutbound(sup, standin, IN_FLIGHT, 1, legs);
    const outbound = await driveOutbound(sup, standin, IN_FLIGHT, RATE_SECONDS, legs);
    const outSerial = await driveOutbound(sup, standin, 1, 1, legs);
    await outboundRecorded(sup, legs.made);
    return [
      ...rateResults('stand-in in process', rate, serial),
      { name: `outbound originates answered/s, ${IN_FLIGHT} in flight`, value: outbound.setups / outbound.seconds, unit: 'calls/s', goal: '' },
      { name: '  process CPU per outbound call', value: outbound.cpuUs / outbound.setups, unit: 'µs', goal: '' },
      { name: '  originate() -> answered p50, 1 at a time', value: percentile(outSerial.latenciesMs, 50), unit: 'ms', goal: '' },
      { name: '  originate() -> answered p99, 1 at a time', value: percentile(outSerial.latenciesMs, 99), unit: 'ms', goal: '' },
      { name: 'decideInbound alone p50', value: percentile(decide, 50), unit: 'µs', goal: '' },
      { name: 'decideInbound alone p99', value: percentile(decide, 99), unit: 'µs', goal: '' },
      { name: `RSS, supervisor + stand-in idle (${gcNote})`, value: rssIdle, unit: 'MB', goal: '' },
      { name: `RSS, ${B_CHANNELS} calls up and answered`, value: rssFull, unit: 'MB', goal: '< 300' },
      { name: '  CDRs written in this run', value: records, unit: 'records', goal: '' },
    ];
  } finally {
    await sup.stop();
  }
}

// ---- the stand-in on its own thread ------------------------------------------------------------

interface WorkerInit {
  role: 'ari-standin';
  sitePath: string;
  password: string;
}
type ToWorker = { first: number; inFlight: number; calls?: number; seconds?: number } | 'stop';
type FromWorker = { url: string } | { phase: Phase } | { error: string } | 'stopped';

/** The worker: a stand-in on the same site and hardware, driven by the same loop as in process. */
async function standinWorker(init: WorkerInit): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('the stand-in worker runs in a worker thread');
  const { site } = await loadSiteFile(init.sitePath);
  const hardware = createSimBackend({ scenario: parseScenario(thirtyTwoE1Scenario('pri_cpe'), '32-e1-pri') });
  const standin = new AriStandin({ user: STANDIN_USER, password: init.password, hardware, trunks: planFromSite(site), defaultApp: STASIS_APP });
  const { url } = await standin.start();
  port.on('message', (m: ToWorker) => {
    if (m === 'stop') {
      void standin.stop().then(() => hardware.close()).then(() => port.postMessage('stopped'));
      return;
    }
    const { calls, seconds = 0 } = m;
    const more = calls !== undefined ? (n: number): boolean => n < calls : (_n: number, ms: number): boolean => ms < seconds * 1000;
    drive(standin, m.first, m.inFlight, true, more).then(
      (phase) => port.postMessage({ phase }),
      (err: unknown) => port.postMessage({ error: String(err) }),
    );
  });
  port.postMessage({ url });
}

function reply(worker: Worker): Promise<FromWorker> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      worker.off('message', onMessage);
      reject(err);
    };
    const onMessage = (m: FromWorker): void => {
      worker.off('error', onError);
      resolve(m);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
  });
}

async function phaseIn(worker: Worker, request: Exclude<ToWorker, 'stop'>): Promise<Phase> {
  const answer = reply(worker);
  worker.postMessage(request);
  const m = await answer;
  if (typeof m === 'object' && 'phase' in m) return m.phase;
  throw new Error(`stand-in worker: ${JSON.stringify(m)}`);
}

/**
 * The same load with the stand-in on a worker thread, so the supervisor has the main thread to
 * itself as it would beside a real Asterisk process (and 5 REST calls a call: no answer in Stasis).
 * Tells the supervisor's own ceiling apart from the in-process figure, where both share one core.
 */
async function workerRun(sitePath: string, dataDir: string): Promise<BenchResult[]> {
  const password = randomBytes(12).toString('hex');
  const worker = new Worker(__filename, { workerData: { role: 'ari-standin', sitePath, password } satisfies WorkerInit });
  try {
    const hello = await reply(worker);
    if (typeof hello !== 'object' || !('url' in hello)) throw new Error(`stand-in worker: ${JSON.stringify(hello)}`);
    const sup = await startSupervisor(sitePath, dataDir, { url: hello.url, password });
    try {
      await phaseIn(worker, { first: 0, inFlight: IN_FLIGHT, calls: WARMUP_CALLS });
      const rate = await phaseIn(worker, { first: WARMUP_CALLS, inFlight: IN_FLIGHT, seconds: RATE_SECONDS });
      const serial = await phaseIn(worker, { first: WARMUP_CALLS + rate.setups, inFlight: 1, calls: SERIAL_CALLS });
      await checkAllRecorded(sup);
      return rateResults('stand-in on a worker thread', rate, serial);
    } finally {
      await sup.stop();
    }
  } finally {
    const stopped = reply(worker).catch(() => undefined);
    worker.postMessage('stop');
    await stopped;
    await worker.terminate();
  }
}

async function measure(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tdmgate-sup-bench-'));
  try {
    const sitePath = join(dir, 'site.yaml');
    writeFileSync(sitePath, siteYaml());
    const inProcess = await inProcessRun(sitePath, join(dir, 'in-process'));
    return [...inProcess, ...(await workerRun(sitePath, join(dir, 'worker')))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The section of `npm run bench`: measured in a child node, since RSS in the bench's own process
 * would hold every earlier section's heap. Figures come back over IPC.
 */
export function supervisorBench(): Promise<BenchResult[]> {
  return inChildProcess(__filename, 'supervisor');
}

if (!isMainThread && (workerData as Partial<WorkerInit> | null)?.role === 'ari-standin') {
  standinWorker(workerData as WorkerInit).catch((err: unknown) => parentPort?.postMessage({ error: String(err) }));
} else if (require.main === module) {
  runBench(measure);
}
