// The campaigns service: load a list into the campaign's own BullMQ queue, pause, resume and
// cancel it, report its progress; and the three questions the dispatcher asks - which campaign
// queues of a group may be dialled now, may this job be dialled now, and what came of it. The
// CLI and the API are thin shells over it. State lives in Redis only (registry hash, BullMQ's
// queue), so every box sharing the Redis sees the same campaign; status changes are atomic
// compare-and-set scripts, so two operators or two boxes cannot undo each other's cancel.

import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { OUTCOMES } from '../../supervisor/outbound/outcomes';
import { JobError } from '../job-errors';
import { describeWindow, windowClock, type WindowClock } from './calling-window';
import { campaignKeys, campaignQueueName, type CampaignKeys } from './campaign-keys';
import { campaignIdOf } from './campaign-settings';
import type { CallingWindow, Campaign, CampaignJobData, CampaignOutcome, CampaignProgress, CampaignRow, CampaignSettings, CampaignStatus, DialDecision } from './campaign-types';
import { DncList } from './dnc-list';

/** Jobs per addBulk: large enough to load 10,000 numbers in a second, small enough for one Redis call. */
const LOAD_CHUNK = 500;
/** A job found paused at dial time is looked at again after this (the paused queue holds it meanwhile). */
const PAUSED_RECHECK_MS = 1_000;
const OUTCOME_FIELD = 'outcome:';
const RECORDABLE: readonly string[] = [...OUTCOMES, 'dnc', 'cancelled'];

/**
 * Moves a campaign from one of the allowed statuses to another and keeps the group's set of
 * callable campaigns in step. Returns [1, previous] when it moved, [0, current] when the current
 * status is not allowed, [-1, ''] when there is no such campaign.
 */
const SET_STATUS = `
local cur = redis.call('HGET', KEYS[1], 'status')
if not cur then return {-1, ''} end
for i = 3, #ARGV do
  if ARGV[i] == cur then
    redis.call('HSET', KEYS[1], 'status', ARGV[2])
    if ARGV[2] == 'active' or ARGV[2] == 'paused' then redis.call('SADD', KEYS[2], ARGV[1]) else redis.call('SREM', KEYS[2], ARGV[1]) end
    return {1, cur}
  end
end
return {0, cur}`;

export interface CampaignServiceOptions {
  /** A connection the caller owns (the service never closes it). */
  redis: Redis;
  /** The queues' key prefix (config redis.prefix). */
  prefix: string;
}

export interface LoadResult {
  campaign: Campaign;
  /** Jobs new in the queue. */
  added: number;
  /** Rows whose job was already there (a repeated load). */
  alreadyLoaded: number;
}

export class CampaignService {
  readonly dnc: DncList;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly keys: CampaignKeys;
  private readonly queues = new Map<string, Queue>();
  /** Window clocks by window: building the zone's formatter costs more than a Redis round trip. */
  private readonly clocks = new Map<string, WindowClock>();

  constructor(options: CampaignServiceOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.keys = campaignKeys(options.prefix);
    this.dnc = new DncList(options.redis, options.prefix);
  }

  /**
   * Creates the campaign (or finds the one of the same name and settings) and adds one job per
   * row with the id `<campaign>-<line>`: loading a file again adds only the lines not there yet.
   * `token`: the API token that loads it; its calls count against that token's toll-guard caps.
   */
  async load(settings: CampaignSettings, rows: readonly CampaignRow[], now = new Date(), token?: string): Promise<LoadResult> {
    if (rows.length === 0) throw new JobError('INVALID_JOB', 'has no number to call', { field: 'rows' });
    const id = campaignIdOf(settings.name);
    const key = this.keys.campaign(id);
    const stored = JSON.stringify(settingsOf(settings));
    // Only the first load creates; a later one (another box, a re-run) finds what is there.
    const created = await this.redis.multi()
      .hsetnx(key, 'settings', stored)
      .hsetnx(key, 'status', 'active')
      .hsetnx(key, 'created', now.toISOString())
      .zadd(this.keys.all, 'NX', now.getTime(), id)
      .exec();
    const failed = created?.find(([err]) => err !== null)?.[0];
    if (failed) throw failed;
    const campaign = await this.get(id);
    if (JSON.stringify(settingsOf(campaign)) !== stored) {
      throw new JobError('INVALID_STATE', `campaign ${id} already exists with other settings (group ${campaign.group}, window ${describeWindow(campaign.window)}, ${campaign.maxAttempts} attempts); give this list another --name`, { field: 'name' });
    }
    if (campaign.status === 'cancelled') {
      throw new JobError('INVALID_STATE', `campaign ${id} was cancelled; its numbers are not loaded again - give the list another --name`, { field: 'name' });
    }
    const queue = this.queue(id);
    await this.applyPacing(queue, settings);
    const before = await this.total(queue);
    for (let i = 0; i < rows.length; i += LOAD_CHUNK) {
      await queue.addBulk(rows.slice(i, i + LOAD_CHUNK).map((row) => ({
        name: 'call',
        data: jobData(id, settings, row, token),
        // The outcome's delay comes from the dispatcher's backoff (call-fate.ts), as for call jobs.
        opts: { jobId: `${id}-${row.line}`, attempts: settings.maxAttempts, backoff: { type: 'call-outcome' }, removeOnComplete: false, removeOnFail: false },
      })));
    }
    const added = (await this.total(queue)) - before;
    // New numbers in a finished campaign make it callable again; a paused one stays paused.
    await this.setStatus(id, campaign.group, 'active', ['active', 'done']);
    const loaded = await this.get(id);
    await this.publish(loaded);
    return { campaign: loaded, added, alreadyLoaded: rows.length - added };
  }

  async get(id: string): Promise<Campaign> {
    const hash = await this.redis.hgetall(this.keys.campaign(id));
    if (hash.settings === undefined) throw new JobError('NOT_FOUND', `no campaign ${JSON.stringify(id)}; tdmgate campaign list shows them`, { field: 'id' });
    return campaignOf(id, hash);
  }

  /** Every campaign, oldest first. */
  async list(): Promise<Campaign[]> {
    const ids = await this.redis.zrange(this.keys.all, 0, -1);
    const found = await Promise.all(ids.map(async (id) => {
      const hash = await this.redis.hgetall(this.keys.campaign(id));
      return hash.settings === undefined ? [] : [campaignOf(id, hash)];
    }));
    return found.flat();
  }

  /** Numbers pending, in progress, answered and failed, attempts by outcome, and the window now. */
  async progress(id: string, now = new Date()): Promise<CampaignProgress> {
    let campaign = await this.get(id);
    const counts = await this.queue(id).getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'completed', 'failed');
    const n = (type: string): number => counts[type] ?? 0;
    const pending = n('waiting') + n('delayed') + n('prioritized') + n('waiting-children');
    if (campaign.status === 'active' && pending === 0 && n('active') === 0 && n('completed') + n('failed') > 0) {
      await this.setStatus(id, campaign.group, 'done', ['active']);
      campaign = await this.get(id);
      if (campaign.status === 'done') await this.publish(campaign);
      await this.release(id);
    }
    const hash = await this.redis.hgetall(this.keys.campaign(id));
    const byOutcome: Record<string, number> = {};
    for (const [field, value] of Object.entries(hash)) if (field.startsWith(OUTCOME_FIELD)) byOutcome[field.slice(OUTCOME_FIELD.length)] = Number(value);
    const clock = this.clock(campaign.window);
    const change = clock.nextChange(now.getTime());
    return {
      campaign,
      pending,
      inProgress: n('active'),
      answered: n('completed'),
      failed: n('failed'),
      cancelled: Number(hash.cancelled ?? 0),
      byOutcome,
      window: { open: clock.isOpen(now.getTime()), nextChange: change === null ? null : change.at.toISOString() },
    };
  }

  /** Stops new calls of the campaign on every box (BullMQ's pause); calls up now finish. */
  async pause(id: string): Promise<Campaign> {
    const campaign = await this.get(id);
    await this.transition(campaign, 'paused', ['active', 'paused'], 'pause');
    await this.queue(id).pause();
    return this.changed(id);
  }

  async resume(id: string): Promise<Campaign> {
    const campaign = await this.get(id);
    await this.transition(campaign, 'active', ['paused', 'active'], 'resume');
    await this.queue(id).resume();
    return this.changed(id);
  }

  /**
   * No more calls: marked cancelled first (a job already fetched is then skipped at dial time),
   * then every number not yet tried is removed. Answered and failed jobs stay for the report.
   */
  async cancel(id: string): Promise<Campaign> {
    const campaign = await this.get(id);
    if (campaign.status !== 'cancelled') await this.transition(campaign, 'cancelled', ['active', 'paused'], 'cancel');
    const queue = this.queue(id);
    await queue.pause();
    const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized');
    const removed = Object.values(counts).reduce((a, b) => a + b, 0);
    await queue.drain(true);
    if (removed > 0) await this.redis.hincrby(this.keys.campaign(id), 'cancelled', removed);
    await this.release(id);
    return this.changed(id);
  }

  /**
   * For the dispatcher: the queues of `group`'s campaigns that may be dialled at `now` (active,
   * window open). Paused ones are left out too, though BullMQ would hand out none of their jobs.
   */
  async activeQueues(group: string, now = new Date()): Promise<string[]> {
    return (await this.callable(group)).filter((c) => this.clock(c.window).isOpen(now.getTime())).map((c) => c.queue);
  }

  /** For the dispatcher's one timer: the next instant a window of `group`'s active campaigns opens or closes. */
  async nextWindowChange(group: string, now = new Date()): Promise<Date | null> {
    const changes = (await this.callable(group)).map((c) => this.clock(c.window).nextChange(now.getTime())?.at.getTime() ?? Infinity);
    const first = Math.min(Infinity, ...changes);
    return first === Infinity ? null : new Date(first);
  }

  /**
   * For the dispatcher, just before it dials a campaign job: skip it (cancelled, on the
   * do-not-call list), put it back until the window opens or the campaign is resumed, or go.
   */
  async beforeDial(job: Pick<CampaignJobData, 'campaignId' | 'number'>, now = new Date()): Promise<DialDecision> {
    const [status, settings, dnc] = await Promise.all([
      this.redis.hget(this.keys.campaign(job.campaignId), 'status'),
      this.redis.hget(this.keys.campaign(job.campaignId), 'settings'),
      this.redis.sismember(this.keys.dnc, job.number),
    ]);
    if (status === null || settings === null || status === 'cancelled') return { action: 'skip', reason: 'cancelled' };
    if (dnc === 1) return { action: 'skip', reason: 'dnc' };
    if (status === 'paused') return { action: 'wait', until: new Date(now.getTime() + PAUSED_RECHECK_MS), reason: 'paused' };
    const clock = this.clock((JSON.parse(settings) as CampaignSettings).window);
    if (!clock.isOpen(now.getTime())) {
      // A window that is closed now opens again: parseWindow refuses one that never does.
      const opens = clock.nextChange(now.getTime());
      return { action: 'wait', until: opens?.at ?? new Date(now.getTime() + PAUSED_RECHECK_MS), reason: 'window' };
    }
    return { action: 'go' };
  }

  /** For the dispatcher: counts one attempt's outcome (or a skip) for the campaign's progress. */
  async recordOutcome(campaignId: string, outcome: CampaignOutcome): Promise<void> {
    if (!RECORDABLE.includes(outcome)) throw new JobError('INVALID_JOB', `${JSON.stringify(outcome)} is not an outcome; one of ${RECORDABLE.join(', ')}`, { field: 'outcome' });
    await this.redis.hincrby(this.keys.campaign(campaignId), `${OUTCOME_FIELD}${outcome}`, 1);
  }

  /** The campaign's queue (created on first use and closed by close()). */
  queue(id: string): Queue {
    let queue = this.queues.get(id);
    if (queue === undefined) {
      queue = new Queue(campaignQueueName(id), { connection: this.redis, prefix: this.prefix });
      // Connection trouble reaches the caller as a failed call of its own; unheard, BullMQ prints it.
      queue.on('error', () => undefined);
      this.queues.set(id, queue);
    }
    return queue;
  }

  /** Closes the queues it opened; the Redis connection stays the caller's. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }

  private clock(window: CallingWindow): WindowClock {
    const key = JSON.stringify(window);
    let clock = this.clocks.get(key);
    if (clock === undefined) {
      clock = windowClock(window);
      this.clocks.set(key, clock);
    }
    return clock;
  }

  /** A finished campaign's queue is not used again by this service: a long-running box must not keep one per campaign ever run. */
  private async release(id: string): Promise<void> {
    const queue = this.queues.get(id);
    this.queues.delete(id);
    await queue?.close();
  }

  private async callable(group: string): Promise<Campaign[]> {
    const ids = await this.redis.smembers(this.keys.group(group));
    const found = await Promise.all(ids.map(async (id) => {
      const hash = await this.redis.hgetall(this.keys.campaign(id));
      return hash.settings === undefined || hash.status !== 'active' ? [] : [campaignOf(id, hash)];
    }));
    return found.flat();
  }

  private async transition(campaign: Campaign, to: CampaignStatus, from: readonly CampaignStatus[], verb: string): Promise<void> {
    const [moved, current] = await this.setStatus(campaign.id, campaign.group, to, from);
    if (moved === -1) throw new JobError('NOT_FOUND', `no campaign ${JSON.stringify(campaign.id)}`, { field: 'id' });
    if (moved === 0) throw new JobError('INVALID_STATE', `campaign ${campaign.id} is ${current}; only a campaign that is ${from.join(' or ')} can be told to ${verb}`, { field: 'status' });
  }

  private async setStatus(id: string, group: string, to: CampaignStatus, from: readonly CampaignStatus[]): Promise<[number, string]> {
    return (await this.redis.eval(SET_STATUS, 2, this.keys.campaign(id), this.keys.group(group), id, to, ...from)) as [number, string];
  }

  private async changed(id: string): Promise<Campaign> {
    const campaign = await this.get(id);
    await this.publish(campaign);
    return campaign;
  }

  private async publish(campaign: Campaign): Promise<void> {
    await this.redis.publish(this.keys.changes, JSON.stringify({ id: campaign.id, group: campaign.group, queue: campaign.queue, status: campaign.status }));
  }

  /** BullMQ enforces both when a job is fetched, on whichever box fetches it. */
  private async applyPacing(queue: Queue, settings: CampaignSettings): Promise<void> {
    if (settings.pacing.maxConcurrent === null) await queue.removeGlobalConcurrency();
    else await queue.setGlobalConcurrency(settings.pacing.maxConcurrent);
    if (settings.pacing.perMinute === null) await queue.removeGlobalRateLimit();
    else await queue.setGlobalRateLimit(settings.pacing.perMinute, 60_000);
  }

  private async total(queue: Queue): Promise<number> {
    const counts = await queue.getJobCounts();
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }
}

function jobData(campaignId: string, settings: CampaignSettings, row: CampaignRow, token: string | undefined): CampaignJobData {
  return {
    ...(token === undefined ? {} : { token }),
    campaignId,
    group: settings.group,
    number: row.number,
    ...(settings.callerId !== null ? { callerId: settings.callerId } : {}),
    ...(settings.target !== null ? { target: settings.target } : {}),
    attempts: settings.maxAttempts,
    line: row.line,
    data: row.data,
  };
}

/** The settings alone, keys in one order, so two loads compare by their JSON. */
function settingsOf(c: CampaignSettings): CampaignSettings {
  return { name: c.name, group: c.group, window: c.window, maxAttempts: c.maxAttempts, pacing: c.pacing, callerId: c.callerId, target: c.target };
}

function campaignOf(id: string, hash: Record<string, string>): Campaign {
  const settings = JSON.parse(hash.settings ?? '{}') as CampaignSettings;
  return { id, queue: campaignQueueName(id), ...settings, status: (hash.status ?? 'active') as CampaignStatus, created: hash.created ?? '' };
}
