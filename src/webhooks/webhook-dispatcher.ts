// The CRM screen-pop webhooks at work: every call event (ring, answer, hang-up) becomes one
// delivery per endpoint that wants its kind, queued on BullMQ - one queue per endpoint, whose
// worker posts it signed (signing.ts), retries it with exponential backoff, and leaves it in the
// failed set as a dead letter when its tries are spent (dead-letters.ts replays them).
//
// The call never waits for any of it. The listener runs inside the call path and only pushes
// the event into a bounded local buffer; the buffer is handed to Redis off that path, and only
// while Redis is ready - so a Redis that is away costs memory up to the bound, then dropped
// events (counted and logged), never a delayed or failed call. The endpoint's concurrency is
// the worker's and, through BullMQ's global concurrency, that of all boxes sharing the queue.
// The toll-fraud guard's alerts take the same road to the endpoints that list fraud.alert.

import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { connectRedis, redisOptions } from '../jobs/redis';
import type { CallEvent, CallEventListener } from '../supervisor/calls/call-events';
import type { GuardAlert } from '../supervisor/toll-guard/toll-guard';
import type { RedisTarget } from '../supervisor/config';
import type { TrunkMapLogger } from '../supervisor/trunk-map';
import type { WebhookEndpoint } from '../supervisor/webhook-endpoints';
import { alertJob, webhookJob, type WebhookJobData } from './payload';
import { postWebhook } from './post';
import { KEEP_COMPLETED, KEEP_DEAD_LETTERS, webhookQueueName } from './queue-names';
import { signedHeaders } from './signing';

export interface CallEventSource {
  on(listener: CallEventListener): () => void;
}

/** The toll guard's alerts (its 'alert' event). */
export interface AlertSource {
  on(event: 'alert', listener: (alert: GuardAlert) => void): unknown;
  off(event: 'alert', listener: (alert: GuardAlert) => void): unknown;
}

export interface WebhookDispatcherOptions {
  redis: RedisTarget;
  endpoints: readonly WebhookEndpoint[];
  events: CallEventSource;
  alerts?: AlertSource;
  logger: TrunkMapLogger;
  /** Events held while Redis is away; beyond it they are dropped (counted). */
  bufferLimit?: number;
  /** How long stop() waits to hand the buffer to Redis and for POSTs in flight. */
  stopTimeoutMs?: number;
}

export interface WebhookStats {
  /** Deliveries handed to Redis (one per event and endpoint). */
  queued: number;
  /** Events dropped: the buffer was full (Redis away) or stop() could not hand them over. */
  dropped: number;
  delivered: number;
  /** Tries that failed and will be tried again. */
  retried: number;
  /** Deliveries that became dead letters (tries spent, or refused by the endpoint). */
  deadLetters: number;
  /** Events waiting in the local buffer now. */
  buffered: number;
}

const DEFAULT_BUFFER_LIMIT = 10_000;
const DEFAULT_STOP_TIMEOUT_MS = 5_000;
/** What a forced close of a worker gets before we go on without it. */
const FORCE_CLOSE_MS = 1_000;
/** Events per round trip to Redis: one addBulk per endpoint. */
const BATCH = 200;
/** Connection errors repeat every reconnect try: one log line per this many ms. */
const ERROR_LOG_EVERY_MS = 30_000;

interface Lane {
  endpoint: WebhookEndpoint;
  queue: Queue<WebhookJobData>;
  worker: Worker<WebhookJobData>;
}

export class WebhookDispatcher {
  private readonly redis: Redis;
  private readonly lanes: Lane[];
  private readonly log: TrunkMapLogger;
  private readonly bufferLimit: number;
  private buffer: (CallEvent | GuardAlert)[] = [];
  private pumping: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Dropped since the last successful hand-over, for the one summary line. */
  private droppedInOutage = 0;
  private lastErrorLog = 0;
  private readonly counts = { queued: 0, dropped: 0, delivered: 0, retried: 0, deadLetters: 0 };

  constructor(private readonly o: WebhookDispatcherOptions) {
    this.log = o.logger;
    this.bufferLimit = o.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
    this.redis = connectRedis(o.redis.url, { name: 'tdmgate-webhooks' });
    this.redis.on('error', (err: Error) => this.connectionError('Redis', err));
    this.redis.on('ready', () => this.pump());
    this.lanes = o.endpoints.map((endpoint) => this.lane(endpoint));
  }

  get stats(): WebhookStats {
    return { ...this.counts, buffered: this.buffer.length };
  }

  /** Listens to the call events; deliveries begin whenever Redis is ready. */
  start(): void {
    if (this.unsubscribe) return;
    const off = this.o.events.on((e) => this.take(e));
    const alerts = this.o.alerts;
    const onAlert = (a: GuardAlert): void => this.take(a);
    alerts?.on('alert', onAlert);
    this.unsubscribe = () => {
      off();
      alerts?.off('alert', onAlert);
    };
    for (const { endpoint, queue, worker } of this.lanes) {
      worker.run().catch((err: unknown) => this.connectionError('webhook worker', err));
      // All boxes sharing the queue together keep to the endpoint's concurrency.
      queue.setGlobalConcurrency(endpoint.concurrency).catch((err: unknown) => this.connectionError('Redis', err));
      this.log.info({ endpoint: endpoint.name, url: safeUrl(endpoint.url), events: endpoint.events, concurrency: endpoint.concurrency, attempts: endpoint.attempts }, 'webhook endpoint');
    }
  }

  /**
   * Stops listening, hands what is buffered to Redis (undelivered deliveries wait there for the
   * next start), lets POSTs in flight finish, and closes. Bounded by stopTimeoutMs.
   */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    const limit = this.o.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.pump();
    await within(this.drained(), limit);
    if (this.buffer.length > 0) {
      this.drop(this.buffer.length, 'Redis not ready at stop');
      this.buffer = [];
    }
    // With Redis away a worker's close never ends, and nothing it holds could be marked done anyway.
    const graceful = this.redis.status === 'ready';
    await Promise.all(this.lanes.map(async ({ worker }) => {
      if (graceful && (await within(worker.close(), limit))) return;
      await within(worker.close(true), FORCE_CLOSE_MS);
    }));
    await Promise.all(this.lanes.map((l) => within(l.queue.close(), limit)));
    this.redis.disconnect();
    if (this.counts.dropped > 0) this.log.warn({ dropped: this.counts.dropped }, 'webhook events dropped in this run');
  }

  // ---- the call path: take and go ----------------------------------------------------------

  private take(e: CallEvent | GuardAlert): void {
    if (this.buffer.length >= this.bufferLimit) {
      this.drop(1, 'buffer full: Redis away');
      return;
    }
    this.buffer.push(e);
    if (this.pumping === null) this.pump();
  }

  private drop(n: number, why: string): void {
    if (this.droppedInOutage === 0) this.log.warn({ why, bufferLimit: this.bufferLimit }, 'webhook events dropped');
    this.counts.dropped += n;
    this.droppedInOutage += n;
  }

  // ---- off the call path: to Redis ---------------------------------------------------------

  /** Starts handing the buffer to Redis on a later turn, once at a time, while Redis is ready. */
  private pump(): void {
    if (this.pumping !== null || this.buffer.length === 0 || this.redis.status !== 'ready') return;
    this.pumping = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.handOver())
      .finally(() => {
        this.pumping = null;
      });
  }

  private async handOver(): Promise<void> {
    while (this.buffer.length > 0 && this.redis.status === 'ready') {
      const batch = this.buffer.splice(0, BATCH);
      try {
        await this.enqueue(batch);
      } catch (err) {
        // Back to the front (a delivery id is the job id: one added twice stays one); tried again at the next ready.
        this.buffer.unshift(...batch.slice(0, Math.max(0, this.bufferLimit - this.buffer.length)));
        this.connectionError('Redis', err);
        return;
      }
      if (this.droppedInOutage > 0) {
        this.log.warn({ dropped: this.droppedInOutage }, 'webhook events were dropped while Redis was away');
        this.droppedInOutage = 0;
      }
    }
  }

  private async enqueue(batch: readonly (CallEvent | GuardAlert)[]): Promise<void> {
    const jobs = batch.map((e) => ('rule' in e ? alertJob(e) : webhookJob(e)));
    await Promise.all(this.lanes.map(async ({ endpoint, queue }) => {
      const wanted = jobs.filter((j) => endpoint.events.includes(j.event));
      if (wanted.length === 0) return;
      await queue.addBulk(wanted.map((data) => ({
        name: data.event,
        data,
        opts: {
          jobId: data.deliveryId, attempts: endpoint.attempts, backoff: { type: 'exponential', delay: endpoint.backoffMs },
          removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_DEAD_LETTERS,
        },
      })));
      this.counts.queued += wanted.length;
    }));
  }

  /** Resolves when the buffer is empty or Redis is not ready to take it. */
  private async drained(): Promise<void> {
    while (this.pumping !== null) {
      await this.pumping;
      this.pump();
    }
  }

  // ---- the workers ---------------------------------------------------------------------------

  private lane(endpoint: WebhookEndpoint): Lane {
    const name = webhookQueueName(endpoint);
    const prefix = this.o.redis.prefix;
    const queue = new Queue<WebhookJobData>(name, { connection: this.redis, prefix });
    queue.on('error', (err) => this.connectionError('webhook queue', err));
    // Its own connections (options, not the shared one): a Worker never closes the duplicate it
    // makes of a shared connection, which would keep the process alive once Redis is gone.
    const worker = new Worker<WebhookJobData>(name, (job) => this.post(endpoint, job), { connection: redisOptions(this.o.redis.url, { name: 'tdmgate-webhooks' }), prefix, concurrency: endpoint.concurrency, autorun: false });
    worker.on('error', (err) => this.connectionError('webhook worker', err));
    worker.on('completed', () => this.counts.delivered++);
    worker.on('failed', (job, err) => {
      if (!job || !job.finishedOn) {
        this.counts.retried++;
        return;
      }
      this.counts.deadLetters++;
      this.log.warn({ endpoint: endpoint.name, delivery: job.data.deliveryId, event: job.data.event, attempts: job.attemptsMade, reason: err.message }, 'webhook delivery failed: kept as a dead letter');
    });
    return { endpoint, queue, worker };
  }

  private async post(endpoint: WebhookEndpoint, job: Job<WebhookJobData>): Promise<{ status: number }> {
    const { body, event, deliveryId } = job.data;
    const headers = signedHeaders(endpoint.secret, body, { event, deliveryId, attempt: job.attemptsMade + 1 }, Date.now() / 1000);
    const outcome = await postWebhook(endpoint.url, headers, body, endpoint.timeoutMs);
    switch (outcome.kind) {
      case 'delivered':
        return { status: outcome.status };
      case 'retry':
        throw new Error(outcome.reason);
      default:
        // 410 and refusals: another try would get the same answer.
        throw new UnrecoverableError(outcome.reason);
    }
  }

  private connectionError(part: string, err: unknown): void {
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_EVERY_MS) return;
    this.lastErrorLog = now;
    this.log.warn({ part, err: err instanceof Error ? err.message : String(err) }, 'webhooks: Redis error (deliveries wait; calls go on)');
  }
}

/** The URL without credentials or query (a token there is a secret too), for logs. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** Whether `p` settled within `ms` (its rejection counts as settled). */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
