// The capacity-aware dialler: for each trunk group this box can dial, it takes call jobs from
// the group's queue (and the group's running campaigns) only when the group has a channel free
// for outbound - free in the live TrunkMap, less the inbound reserve, less attempts started but
// not yet on a channel - and the carrier's attempt rate allows. Jobs are fetched by hand from
// BullMQ (a Worker without a processor), so no job is ever taken that cannot be dialled now;
// a channel freeing, a span back in service or a call ending starts the next job at once.
// Each try's outcome decides the job's fate (call-fate.ts); BullMQ keeps the tries, the delays
// and the failed jobs. The dispatcher renews the locks of the jobs it holds; a box killed
// mid-call stops renewing, and BullMQ's stalled-job check on any box puts its jobs back. Each
// group's share (slots, rate, sources, the jobs it takes) is group-dialler.ts.

import { hostname } from 'node:os';
import { Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TrunkMapLogger } from '../supervisor/trunk-map';
import { Listeners } from '../listeners';
import { AttemptLedger } from './attempt-ledger';
import { CallTryError, type CapacityView, type DialGate, type DialledGroup, type DispatcherStats, type JobEvent, type OutboundDialer, type QueuedCall, type Taken } from './dispatch-types';
import { GroupDialler } from './group-dialler';

export { CallTryError, jobKey } from './dispatch-types';
export type { CallJobResult, CapacityView, DialGate, DialledGroup, DispatcherStats, GateDecision, OutboundDialer, PriorAttempt } from './dispatch-types';

export interface CallDispatcherOptions {
  /** For the dispatcher's own commands (the attempt ledger) and its readiness. */
  connection: Redis;
  /** How the workers connect: each opens and closes its own connections (see redisOptions). */
  workerConnection: ConnectionOptions;
  prefix: string;
  groups: readonly DialledGroup[];
  dialer: OutboundDialer;
  capacity: CapacityView;
  logger: TrunkMapLogger;
  gate?: DialGate;
  /** How long a job stays ours without a renewal; renewed at half of it. */
  lockMs?: number;
  /** How often every box looks for jobs of a box that stopped renewing. */
  stalledIntervalMs?: number;
  /** This box's name in the attempt records (default host:pid). */
  box?: string;
  /** With nothing to take, how soon the queues are looked at again (jobs added elsewhere, delays due). */
  idleMs?: number;
  now?: () => number;
}

const DEFAULT_LOCK_MS = 30_000;
const DEFAULT_IDLE_MS = 1_000;

export class CallDispatcher {
  private readonly groups: GroupDialler[];
  private readonly workers = new Map<string, Worker<QueuedCall>>();
  private readonly taken = new Map<string, Taken>();
  private readonly unsubscribe: (() => void)[] = [];
  private renewTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  readonly attempts: AttemptLedger;
  readonly stats: DispatcherStats = { started: 0, completed: 0, retried: 0, failed: 0, requeued: 0, skipped: 0, held: 0 };
  private readonly jobListeners: Listeners<JobEvent>;

  constructor(private readonly o: CallDispatcherOptions) {
    this.groups = o.groups.map((g) => new GroupDialler(g, this, o.now ?? Date.now));
    this.jobListeners = new Listeners<JobEvent>((err) => o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'job event listener failed'));
    this.attempts = new AttemptLedger(o.connection, o.prefix, o.box ?? `${hostname()}:${process.pid}`, o.now ?? Date.now);
  }

  /** Each job taken and dialled, and each fate stored (the live event stream); returns the unsubscribe. */
  onJob(listener: (e: JobEvent) => void): () => void {
    return this.jobListeners.on(listener);
  }

  /** Tells the job listeners; one that throws is the listener's problem, never the job's. */
  jobEvent(e: JobEvent): void {
    this.jobListeners.emit(e);
  }

  get lockMs(): number {
    return this.o.lockMs ?? DEFAULT_LOCK_MS;
  }

  get idleMs(): number {
    return this.o.idleMs ?? DEFAULT_IDLE_MS;
  }

  get options(): CallDispatcherOptions {
    return this.o;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Redis reachable: the queues flow (inbound calls never depend on it). */
  get ready(): boolean {
    return this.o.connection.status === 'ready';
  }

  start(): void {
    const pumpAll = (): void => this.groups.forEach((g) => g.pump());
    // A channel change matters only to groups that have jobs to take (see capacityChanged).
    const capacityChanged = (): void => this.groups.forEach((g) => g.capacityChanged());
    for (const name of ['state-changed', 'span-in-service', 'span-out-of-service'] as const) this.unsubscribe.push(this.o.capacity.on(name, capacityChanged));
    // Redis back after an outage: whatever waited is taken now, not at the next idle look.
    const onReady = (): void => pumpAll();
    this.o.connection.on('ready', onReady);
    this.unsubscribe.push(() => this.o.connection.off('ready', onReady));
    this.renewTimer = setInterval(() => void this.renewLocks(), this.lockMs / 2);
    this.renewTimer.unref();
    pumpAll();
  }

  /** A job was added in this process: look now rather than at the next idle look. */
  wake(group?: string): void {
    for (const g of this.groups) if (group === undefined || g.name === group) g.pump();
  }

  /**
   * Stops taking jobs. Jobs taken but not dialled go back to their queue at once; calls in
   * progress get `drainMs` to end; a call still up after that keeps its job locked until the
   * lock runs out, and then the stalled-job check puts it back.
   */
  async stop(drainMs = 5_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const u of this.unsubscribe.splice(0)) u();
    await Promise.all(this.groups.map((g) => g.stop(drainMs)));
    if (this.renewTimer) clearInterval(this.renewTimer);
    await Promise.all([...this.workers.values()].map((w) => w.close(true).catch(() => undefined)));
  }

  // ---- for the group diallers ----------------------------------------------------------------

  /** Resolves true when Redis is ready again within `ms`, false otherwise. */
  redisBack(ms: number): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onReady = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.o.connection.off('ready', onReady);
        resolve(false);
      }, ms);
      this.o.connection.once('ready', onReady);
    });
  }

  worker(queue: string): Worker<QueuedCall> {
    let w = this.workers.get(queue);
    if (w) return w;
    w = new Worker<QueuedCall>(queue, null, {
      connection: this.o.workerConnection,
      prefix: this.o.prefix,
      lockDuration: this.lockMs,
      stalledInterval: this.o.stalledIntervalMs ?? 30_000,
      maxStalledCount: 1,
      autorun: false,
      settings: { backoffStrategy: (_made: number, _type?: string, err?: Error) => (err instanceof CallTryError ? err.delayMs : 60_000) },
    });
    w.on('error', (err) => this.o.logger.warn({ queue, err: err.message }, 'job queue worker error'));
    // Every box checks for jobs whose box stopped renewing their locks (killed mid-call).
    void w.startStalledCheckTimer().catch((err: unknown) => this.o.logger.warn({ queue, err: (err as Error).message }, 'stalled-job check not started'));
    this.workers.set(queue, w);
    return w;
  }

  track(t: Taken): void {
    this.taken.set(`${t.worker.name}/${t.job.id}`, t);
  }

  untrack(t: Taken): void {
    this.taken.delete(`${t.worker.name}/${t.job.id}`);
  }

  private async renewLocks(): Promise<void> {
    const byWorker = new Map<Worker<QueuedCall>, Taken[]>();
    for (const t of this.taken.values()) byWorker.set(t.worker, [...(byWorker.get(t.worker) ?? []), t]);
    for (const [worker, list] of byWorker) {
      try {
        await worker.extendJobLocks(list.map((t) => t.job.id as string), list.map((t) => t.token), this.lockMs);
      } catch (err) {
        // Redis away: the locks may run out, and the stalled check may hand the jobs on.
        this.o.logger.warn({ queue: worker.name, jobs: list.length, err: (err as Error).message }, 'job locks not renewed');
      }
    }
  }
}
