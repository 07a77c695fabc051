// The call-job service the CLI and the HTTP API use: add a call job (checked against the site),
// list jobs, list the dead letters (jobs that used all their tries or can never be dialled) and
// send one back to its queue. It only talks to Redis, so it works from any box or a technician's
// shell while the supervisors dial.

import { Queue, type Job, type JobType } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SiteConfig } from '../provisioning/site/site-types';
import { compileNumbering, type NumberingPlan } from '../supervisor/numbering/numbering';
import type { CallJobResult } from './call-dispatcher';
import { checkCallJob, type CallJobData } from './call-job';
import { JobError } from './job-errors';
import { callQueueName, groupOfCallQueue } from './queue-names';

export const JOB_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobView {
  /** queue/id: what `jobs retry` takes and the CDR's accountcode holds. */
  key: string;
  group: string;
  kind: string;
  number: string;
  state: string;
  triesMade: number;
  tries: number;
  /** The last try's outcome (completed: its result; failed: why it stopped). */
  outcome: string | null;
  reason: string | null;
  campaignId: string | null;
  /** What the last try gave (completed jobs). */
  result: CallJobResult | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface AddedJob {
  key: string;
  group: string;
}

/** Finished jobs kept for the report: a week, at most 100k per group. */
const KEEP_COMPLETED = { age: 7 * 86_400, count: 100_000 };

export class CallJobs {
  private readonly queues = new Map<string, Queue<CallJobData>>();
  private readonly numbering: NumberingPlan | null;

  constructor(private readonly o: { connection: Redis; prefix: string; site: SiteConfig; added?: (group: string) => void }) {
    this.numbering = o.site.routing?.numbering ? compileNumbering(o.site.routing.numbering) : null;
  }

  /** Checks and queues one call; JobError INVALID_JOB names the field. */
  async add(input: unknown): Promise<AddedJob> {
    const data = checkCallJob(input, this.o.site, this.numbering);
    const job = await this.queue(data.group).add('call', data, jobOptions(data));
    this.o.added?.(data.group);
    return { key: `${job.queueName}/${job.id}`, group: data.group };
  }

  /** Jobs of every group of the site (or one), newest first. */
  async list(filter: { group?: string; states?: readonly JobState[]; limit?: number } = {}): Promise<JobView[]> {
    const groups = filter.group === undefined ? this.o.site.groups.filter((g) => g.direction !== 'in').map((g) => g.name) : [this.groupName(filter.group)];
    const limit = filter.limit ?? 100;
    const views: JobView[] = [];
    // One state at a time, so each job is shown in the state it was listed from.
    for (const g of groups) {
      for (const state of filter.states ?? JOB_STATES) {
        const jobs = await this.queue(g).getJobs([state as JobType], 0, limit - 1, false);
        views.push(...jobs.filter((j) => j !== undefined).map((j) => viewOf(j, state)));
      }
    }
    return views.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  /** Jobs that stopped for good: every try used, or a number that can never be dialled. */
  deadLetters(group?: string, limit?: number): Promise<JobView[]> {
    return this.list({ ...(group === undefined ? {} : { group }), states: ['failed'], ...(limit === undefined ? {} : { limit }) });
  }

  /** Sends a dead letter back to its queue with its tries counted afresh. */
  async retry(key: string): Promise<JobView> {
    const m = /^(calls-[^/]+)\/(.+)$/.exec(key);
    const group = m ? groupOfCallQueue(m[1] as string) : null;
    if (m === null || group === null) throw new JobError('INVALID_JOB', `${JSON.stringify(key)} is not a job key; expected calls-<group>/<id> as jobs list shows it`, { field: 'job' });
    const job = await this.queue(this.groupName(group)).getJob(m[2] as string);
    if (!job) throw new JobError('NOT_FOUND', `job ${key} does not exist (finished jobs are kept a week)`, { field: 'job' });
    const state = await job.getState();
    if (state !== 'failed') throw new JobError('INVALID_STATE', `job ${key} is ${state}; only failed jobs are retried`, { field: 'job' });
    // A new round: its tries get new call ids, so the ledger does not take them for the old ones.
    await job.updateData({ ...job.data, round: (job.data.round ?? 0) + 1 });
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    this.o.added?.(group);
    return viewOf(job, 'waiting');
  }

  /** Waiting, delayed, active, completed and failed counts per group. */
  async counts(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const g of this.o.site.groups.filter((x) => x.direction !== 'in')) out[g.name] = await this.queue(g.name).getJobCounts(...JOB_STATES);
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }

  private groupName(group: string): string {
    const g = this.o.site.groups.find((x) => x.name === group || String(x.number) === group);
    if (!g) throw new JobError('INVALID_JOB', `group ${JSON.stringify(group)} is not a trunk group of the site; groups: ${this.o.site.groups.map((x) => x.name).join(', ')}`, { field: 'group' });
    return g.name;
  }

  private queue(group: string): Queue<CallJobData> {
    let q = this.queues.get(group);
    if (!q) {
      q = new Queue<CallJobData>(callQueueName(group), { connection: this.o.connection, prefix: this.o.prefix });
      // Connection trouble reaches the caller as a failed call of its own; unheard, BullMQ prints it.
      q.on('error', () => undefined);
      this.queues.set(group, q);
    }
    return q;
  }
}

/** BullMQ's options for a call job: its tries, delays from the outcome, failures kept. */
export function jobOptions(data: CallJobData, jobId?: string): { attempts: number; backoff: { type: string }; removeOnComplete: typeof KEEP_COMPLETED; removeOnFail: false; jobId?: string } {
  return { attempts: data.attempts, backoff: { type: 'call-outcome' }, removeOnComplete: KEEP_COMPLETED, removeOnFail: false, ...(jobId === undefined ? {} : { jobId }) };
}

function viewOf(job: Job<CallJobData>, state: string): JobView {
  const result = job.returnvalue as CallJobResult | null | undefined;
  return {
    key: `${job.queueName}/${job.id}`,
    group: job.data.group,
    kind: job.data.kind,
    number: job.data.request.number,
    state,
    triesMade: job.attemptsMade,
    tries: job.opts.attempts ?? 1,
    outcome: result?.outcome ?? null,
    reason: job.failedReason ?? null,
    campaignId: job.data.campaignId,
    result: result ?? null,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
