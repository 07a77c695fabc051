// Capacity-aware dialling, as issue 10 asks: a campaign of N numbers (default 10,000;
// TDMGATE_BENCH_JOBS sets another N) on the demo site's carrier group - the sim's 2 E1 PRI, 60
// channels, a 20 % inbound reserve, so 48 for outbound - against the built-in ARI stand-in, whose
// far end answers, is busy, does not answer or is a wrong number in a campaign's usual shares,
// with ring and talk times compressed (ring 50-300 ms, talk 0.2-1.2 s; unanswered calls cleared
// by the carrier with cause 19 after 0.5-1.2 s of ringing, since an originate timeout is at
// least 5 s), so both runs of 10,000 take about three minutes. One call job per number, one try.
// Two runs, one supervisor each, on the private Redis scripts/redis starts (a prefix per run,
// its keys removed after): the job queues' dispatcher (src/jobs), and the naive way - a BullMQ
// Worker of fixed concurrency (48, the outbound share) whose processor calls the outbound
// service. Measured while jobs wait: utilisation (outbound channels ringing or in a call in the
// TrunkMap / channels there for outbound: usable - reserve - inbound calls), sampled every 20 ms,
// mean and max; originates refused for lack of a channel (attempts that made no channel:
// Allocation failed) and the numbers never rung for it; jobs/s and the event loop's delay; for
// the dispatcher, from an outbound channel going idle in the TrunkMap to the next originate() it
// sends. Alone: node dist/bench/queue-bench.js.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { App } from '../src/app/app';
import type { OutcomeMix } from '../src/demo/ari-standin';
import { createSimBackend } from '../src/hardware/sim';
import { checkCallJob, type CallJobData } from '../src/jobs/call-job';
import { jobOptions } from '../src/jobs/call-jobs';
import { reservedChannels } from '../src/jobs/capacity';
import { callQueueName } from '../src/jobs/queue-names';
import { connectRedis } from '../src/jobs/redis';
import type { InboundReserve } from '../src/provisioning/site/routing-types';
import { loadConfig } from '../src/supervisor/config';
import { compileNumbering } from '../src/supervisor/numbering/numbering';
import { settingsFor } from '../src/supervisor/outbound/prepare-call';
import { DEMO_SITE, silent } from '../test/supervisor/supervisor-harness';
import { redisUrl, uniquePrefix } from '../test/jobs/test-redis';
import { percentile, runSections, type BenchResult } from './report';

const GROUP = 'carrier';
const DEFAULT_JOBS = 10_000;
const NAIVE_CONCURRENCY = 48;
const SAMPLE_MS = 20;
const ADD_BATCH = 1000;
/** The shortest originate timeout a request may ask for; the far end clears unanswered calls before it. */
const TIMEOUT_SECONDS = 5;

function benchJobs(): number {
  const raw = process.env.TDMGATE_BENCH_JOBS;
  if (raw === undefined || raw === '') return DEFAULT_JOBS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 100) throw new Error(`TDMGATE_BENCH_JOBS=${raw}: expected a whole number of at least 100`);
  return n;
}

/** `steps` values spread evenly from lo to hi. */
function spread(lo: number, hi: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => Math.round(lo + ((hi - lo) * i) / (steps - 1)));
}

/** A campaign's far end: 55 % answered, 25 % not answered, 15 % busy, 5 % unallocated numbers. */
function campaignFarEnd(): OutcomeMix {
  const mix: OutcomeMix['mix'] = [];
  const rings = spread(50, 300, 6);
  const talks = spread(200, 1200, 6);
  for (const afterMs of rings) for (const talkMs of talks) mix.push({ weight: 55 / (rings.length * talks.length), outcome: { kind: 'answer', afterMs, talkMs } });
  for (const afterMs of spread(500, 1200, 4)) mix.push({ weight: 25 / 4, outcome: { kind: 'reject', cause: 19, alerting: true, afterMs } });
  for (const afterMs of spread(50, 150, 3)) mix.push({ weight: 15 / 3, outcome: { kind: 'busy', afterMs } });
  mix.push({ weight: 5, outcome: { kind: 'invalid', cause: 1, afterMs: 80 } });
  return { mix };
}

/** The demo site on a fresh sim and the stand-in, data in `dir`; job queues on `redis` or off. */
async function startSupervisor(dir: string, redis: { url: string; prefix: string } | null): Promise<App> {
  const queues = redis ? { TDMGATE_REDIS_URL: redis.url, TDMGATE_QUEUE_PREFIX: redis.prefix } : { TDMGATE_REDIS_URL: 'off' };
  const config = await loadConfig({
    env: { TDMGATE_DATA_DIR: dir, TDMGATE_LISTEN: '127.0.0.1:0', ...queues },
    flags: { config: '/nonexistent-ok' },
    readText: () => Promise.resolve(''),
  });
  const sup = await App.start({ config, logger: silent, demoSitePath: DEMO_SITE, backend: createSimBackend(), demoTraffic: false, tuning: { queueIdleMs: 100 } });
  await sup.ari.waitReady(5000);
  sup.standin?.setDefaultOutcome(campaignFarEnd());
  return sup;
}

/** The campaign's call jobs, checked as `tdmgate jobs add` checks them, added in batches. */
async function addCampaign(queue: Queue<CallJobData>, sup: App, jobs: number, added: () => void): Promise<void> {
  const plan = sup.site.routing?.numbering ? compileNumbering(sup.site.routing.numbering) : null;
  for (let first = 0; first < jobs; first += ADD_BATCH) {
    const batch = Array.from({ length: Math.min(ADD_BATCH, jobs - first) }, (_, i) => {
      const data = checkCallJob({ group: GROUP, number: `030 5${String(first + i).padStart(6, '0')}`, timeoutSeconds: TIMEOUT_SECONDS, attempts: 1 }, sup.site, plan);
      return { name: 'call', data, opts: jobOptions(data) };
    });
    await queue.addBulk(batch);
    added();
  }
}

/**
 * Watches one supervisor while its N jobs are dialled: wraps the outbound service's originate()
 * (a job's originate is sent; the attempts that got no channel), listens to the TrunkMap (an
 * outbound channel gone idle) and samples the utilisation of the group's outbound share.
 */
class Probe {
  readonly utilisation: number[] = [];
  readonly freedToNext: number[] = [];
  /** Attempts that made no channel (Allocation failed), and jobs whose number never rang for it. */
  refused = 0;
  unrung = 0;
  /** The event loop the supervisor, the stand-in and this probe share: how late it ran its timers. */
  readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private sent = 0;
  private sampling: NodeJS.Timeout | null = null;
  /** Times outbound channels went idle with jobs waiting, not yet followed by an originate. */
  private readonly frees: number[] = [];
  private readonly directions = new Map<number, 'in' | 'out' | null>();
  private readonly unsubscribe: () => void;
  private readonly restore: () => void;
  private allSent: () => void = () => undefined;
  readonly whenAllSent = new Promise<void>((resolve) => (this.allSent = resolve));

  constructor(private readonly sup: App, private readonly jobs: number) {
    const outbound = sup.calls.outbound;
    const originate = outbound.originate.bind(outbound);
    outbound.originate = async (input) => {
      this.sent++;
      const freed = this.frees.shift();
      if (freed !== undefined) this.freedToNext.push(performance.now() - freed);
      if (this.sent === this.jobs) this.allSent();
      const result = await originate(input);
      const refused = result.attempts.filter((a) => a.channelId === null && a.outcome === 'congestion').length;
      this.refused += refused;
      if (refused > 0 && refused === result.attempts.length) this.unrung++;
      return result;
    };
    this.restore = () => void (outbound.originate = originate);
    this.unsubscribe = sup.trunkMap.on('state-changed', (e) => {
      if (e.to !== 'idle') return void this.directions.set(e.channel, sup.trunkMap.channel(e.channel).direction);
      if (this.directions.get(e.channel) === 'out' && this.sampling && this.waiting > 0) this.frees.push(performance.now());
      this.directions.delete(e.channel);
    });
  }

  get waiting(): number {
    return this.jobs - this.sent;
  }

  /** Samples from now until every job's originate is sent. */
  startSampling(reserve: InboundReserve): void {
    this.loopDelay.enable();
    this.sampling = setInterval(() => {
      if (this.waiting > 0) this.utilisation.push(outboundUtilisation(this.sup, reserve));
    }, SAMPLE_MS);
  }

  stop(): void {
    if (this.sampling) clearInterval(this.sampling);
    this.loopDelay.disable();
    this.unsubscribe();
    this.restore();
  }
}

/** Outbound calls on the group now, as a share of the channels there for outbound (%). */
function outboundUtilisation(sup: App, reserve: InboundReserve): number {
  const cap = sup.trunkMap.groupCapacity(GROUP);
  let out = 0;
  let inbound = 0;
  for (const c of sup.trunkMap.snapshot().channels) {
    if (!c.groups.includes(cap.group) || (c.state !== 'ringing' && c.state !== 'in-call')) continue;
    if (c.direction === 'out') out++;
    else inbound++;
  }
  const available = cap.free + cap.inUse - reservedChannels(reserve, { free: cap.free, inUse: cap.inUse, unplaced: 0 }) - inbound;
  return (100 * out) / available;
}

function reserveOf(sup: App): InboundReserve {
  const group = sup.site.groups.find((g) => g.name === GROUP);
  if (!group) throw new Error(`the demo site has no group ${GROUP}`);
  return settingsFor(group.number, sup.site.routing?.outbound ?? []).inboundReserve;
}

interface RunFigures {
  probe: Probe;
  jobs: number;
  /** From the first job added to the last job's originate. */
  seconds: number;
}

/**
 * One supervisor dialling `jobs` call jobs, queued under a prefix of its own; `dial` starts
 * whatever takes the jobs (and returns how to stop it). The supervisor, the queue's keys and the
 * data dir are gone after.
 */
async function measureRun(jobs: number, queuesOn: boolean, dial: (sup: App, connection: Redis, prefix: string) => Promise<() => Promise<void>>): Promise<RunFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tdmgate-queue-bench-'));
  const url = redisUrl();
  const prefix = uniquePrefix('queue-bench');
  const connection = connectRedis(url, { name: 'tdmgate-queue-bench' });
  const queue = new Queue<CallJobData>(callQueueName(GROUP), { connection, prefix });
  const sup = await startSupervisor(dir, queuesOn ? { url, prefix } : null);
  const probe = new Probe(sup, jobs);
  try {
    const t0 = performance.now();
    const stopDialling = await dial(sup, connection, prefix);
    await addCampaign(queue, sup, jobs, () => sup.queues?.dispatcher.wake(GROUP));
    probe.startSampling(reserveOf(sup));
    await probe.whenAllSent;
    const seconds = (performance.now() - t0) / 1000;
    await stopDialling();
    return { probe, jobs, seconds };
  } finally {
    probe.stop();
    await sup.stop();
    await queue.close();
    await removeKeys(connection, prefix);
    connection.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function removeKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
}

/** The job queues' own dispatcher takes the jobs (it runs in the supervisor already). */
const dispatcherDials = (): Promise<() => Promise<void>> => Promise.resolve(() => Promise.resolve());

/** The naive way: a fixed number of jobs at a time, each handed to originate() as it comes. */
function naiveWorkerDials(sup: App, connection: Redis, prefix: string): Promise<() => Promise<void>> {
  const worker = new Worker<CallJobData>(callQueueName(GROUP), async (job) => (await sup.calls.outbound.originate(job.data.request)).outcome, {
    connection, prefix, concurrency: NAIVE_CONCURRENCY, removeOnComplete: { count: 0 },
  });
  worker.on('error', () => undefined);
  return Promise.resolve(() => worker.close());
}

function utilisationResults(label: string, run: RunFigures, goals: boolean): BenchResult[] {
  const u = run.probe.utilisation;
  return [
    { name: `${label}: utilisation mean`, value: u.reduce((s, x) => s + x, 0) / u.length, unit: '% of outbound', goal: goals ? '>= 95' : '' },
    { name: '  utilisation max', value: Math.max(...u), unit: '% of outbound', goal: goals ? '<= 100' : '' },
    { name: '  originates refused, no channel free', value: run.probe.refused, unit: 'attempts', goal: goals ? '<= 0' : '' },
    { name: '  jobs whose number never rang (no channel)', value: run.probe.unrung, unit: 'jobs', goal: '' },
    { name: '  jobs taken per second', value: run.jobs / run.seconds, unit: 'jobs/s', goal: '' },
    { name: '  event loop delay p99 (supervisor + stand-in)', value: run.probe.loopDelay.percentile(99) / 1e6, unit: 'ms', goal: '' },
  ];
}

/** The bench's figures: the dispatcher's campaign, then the naive worker's, then the dispatcher's reaction time. */
export async function queueBench(): Promise<BenchResult[]> {
  const jobs = benchJobs();
  const queued = await measureRun(jobs, true, dispatcherDials);
  const naive = await measureRun(jobs, false, naiveWorkerDials);
  const freed = queued.probe.freedToNext;
  return [
    ...utilisationResults(`campaign of ${jobs}, job queues`, queued, true),
    ...utilisationResults(`same, BullMQ worker of concurrency ${NAIVE_CONCURRENCY}`, naive, false),
    { name: `channel freed -> next originate p50 (${freed.length})`, value: percentile(freed, 50), unit: 'ms', goal: '' },
    { name: 'channel freed -> next originate p99', value: percentile(freed, 99), unit: 'ms', goal: '< 50' },
  ];
}

if (require.main === module) runSections([['job queues', queueBench]]);
