// The dead letters of the webhooks: deliveries whose tries are spent (or that an endpoint
// refused), kept in their endpoint queue's failed set. An operator lists them and replays them
// once the CRM is back; a replayed delivery gets all its tries again, with the same delivery id
// and body (signed afresh when posted). The service the CLI (`tdmgate webhooks dead-letters`,
// `webhooks replay`) and the HTTP API call; it needs only Redis, not the running supervisor.

import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobError } from '../jobs/job-errors';
import type { WebhookEndpoint } from '../supervisor/webhook-endpoints';
import type { WebhookJobData } from './payload';
import { webhookQueueName } from './queue-names';

export interface DeadLetter {
  endpoint: string;
  /** The BullMQ job id: the delivery id. */
  id: string;
  event: string;
  /** The event's call (from the body), for an operator to recognise it. */
  callId: string;
  reason: string;
  attempts: number;
  failedAt: Date | null;
  body: string;
}

export interface WebhookDeadLettersOptions {
  /** A connection the service may share (it does not close it). */
  connection: Redis;
  prefix: string;
  endpoints: readonly Pick<WebhookEndpoint, 'name'>[];
}

export class WebhookDeadLetters {
  private readonly queues = new Map<string, Queue<WebhookJobData>>();

  constructor(private readonly o: WebhookDeadLettersOptions) {}

  /** Endpoint names, as the config names them. */
  get endpoints(): string[] {
    return this.o.endpoints.map((e) => e.name);
  }

  /** Dead letters, newest first: of one endpoint, or of all; at most `limit` per endpoint. */
  async list(endpoint?: string, limit = 100): Promise<DeadLetter[]> {
    const names = endpoint === undefined ? this.endpoints : [this.known(endpoint)];
    const lists = await Promise.all(names.map(async (name) => {
      const jobs = await this.queue(name).getFailed(0, limit - 1);
      return jobs.filter((j): j is Job<WebhookJobData> => j !== undefined).map((j) => deadLetter(name, j));
    }));
    return lists.flat();
  }

  async count(endpoint: string): Promise<number> {
    return this.queue(this.known(endpoint)).getFailedCount();
  }

  /** Replays the named dead letters of `endpoint` (all of them when `ids` is omitted); resolves with how many. */
  async replay(endpoint: string, ids?: readonly string[]): Promise<number> {
    const queue = this.queue(this.known(endpoint));
    let jobs: Job<WebhookJobData>[];
    if (ids === undefined) {
      jobs = (await queue.getFailed(0, -1)).filter((j): j is Job<WebhookJobData> => j !== undefined);
    } else {
      jobs = [];
      for (const id of ids) {
        const job = await queue.getJob(id);
        if (!job || !(await job.isFailed())) throw new JobError('NOT_FOUND', `no dead letter ${JSON.stringify(id)} for endpoint ${endpoint}`, { field: 'id' });
        jobs.push(job);
      }
    }
    for (const job of jobs) await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return jobs.length;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }

  private known(endpoint: string): string {
    if (!this.endpoints.includes(endpoint)) throw new JobError('NOT_FOUND', `no webhook endpoint ${JSON.stringify(endpoint)}; configured: ${this.endpoints.join(', ') || 'none'}`, { field: 'endpoint' });
    return endpoint;
  }

  private queue(name: string): Queue<WebhookJobData> {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue<WebhookJobData>(webhookQueueName({ name }), { connection: this.o.connection, prefix: this.o.prefix });
      // A connection error reaches the caller through the awaited command; unheard, it would crash the process.
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }
}

function deadLetter(endpoint: string, job: Job<WebhookJobData>): DeadLetter {
  let callId = '';
  try {
    callId = (JSON.parse(job.data.body) as { call?: { id?: string } }).call?.id ?? '';
  } catch {
    // a body we did not write: shown as it is
  }
  return {
    endpoint, id: job.id ?? '', event: job.data.event, callId, reason: job.failedReason, attempts: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn) : null, body: job.data.body,
  };
}
