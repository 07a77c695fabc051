// One trunk group's share of the dispatcher: its open slots (TrunkMap free channels less the
// inbound reserve and the attempts not yet on a channel), its attempt rate, its sources (the
// group's callback queue, then its running campaigns in turn), and each job it takes: checked
// with the campaigns' gate, recorded in the attempt ledger, dialled, and its fate stored.

import { randomBytes } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import type { OutboundResult } from '../supervisor/outbound/outbound-calls';
import { OUTBOUND_ID_PREFIX } from '../supervisor/outbound/outbound-calls';
import type { Origin } from '../supervisor/outbound/request';
import type { AttemptClaim } from './attempt-ledger';
import { callKeyOf } from './attempt-ledger';
import type { CallDispatcher } from './call-dispatcher';
import { fateOfError, fateOfOutcome, type CallFate } from './call-fate';
import { callJobOf, type CallJobData } from './call-job';
import { AttemptRate } from '../supervisor/outbound/attempt-rate';
import { openSlots } from './capacity';
import { CallTryError, jobKey, type CallJobResult, type DialledGroup, type GateDecision, type QueuedCall, type Taken } from './dispatch-types';
import { callQueueName } from './queue-names';

/** How long a stop waits for a fetch under way (Redis answers one in milliseconds when it is there). */
const FETCH_AT_STOP_MS = 1_000;
/** A taken-over try still up on our Asterisk: looked at again after this. */
const TAKEOVER_RECHECK_MS = 30_000;
const FATE_MESSAGES: Record<CallFate['kind'], string> = {
  completed: 'call job done',
  retry: 'call job to be tried again',
  failed: 'call job failed: not tried again',
  requeue: 'call job back to its queue: nothing was dialled',
};

/** One trunk group's share of the dispatcher: its slots, its rate and its sources. */
export class GroupDialler {
  readonly name: string;
  private readonly rate: AttemptRate;
  private readonly held: Taken[] = [];
  private readonly running = new Set<Promise<void>>();
  /** Tries launched whose originate() has not yet opened their leg. */
  private starting = 0;
  private pumping = false;
  private again = false;
  /** The last look found no job: until the next look, channel changes do not ask Redis again. */
  private drained = false;
  private timer: NodeJS.Timeout | null = null;
  private rotation = 0;
  private tokens = 0;
  private readonly id = randomBytes(4).toString('hex');

  constructor(private readonly g: DialledGroup, private readonly d: CallDispatcher, private readonly now: () => number) {
    this.name = g.name;
    this.rate = new AttemptRate(g.settings.attemptsPerSecond, now());
  }

  slots(): number {
    const o = this.d.options;
    const cap = o.capacity.groupCapacity(this.name);
    return openSlots(this.g.settings.inboundReserve, { free: cap.free, inUse: cap.inUse, unplaced: o.dialer.unplacedAttempts(this.name) + this.starting });
  }

  /**
   * A channel of the TrunkMap changed. With no job found at the last look, nothing is fetched:
   * a group with an empty queue would otherwise ask Redis at every call's every state change on
   * the box (three or more per call), slowing the groups that do have jobs. Jobs added here wake
   * the group, and the idle look finds the others.
   */
  capacityChanged(): void {
    if (!this.drained) this.pump();
  }

  /** Looks for jobs now. A look that finds no slot leaves the next channel change to look. */
  pump(): void {
    this.drained = false;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    this.filling = this.fill().catch((err: unknown) => this.d.options.logger.error({ group: this.name, err: err instanceof Error ? err.message : String(err) }, 'call job dispatch failed: tried again at the next wake-up')).finally(() => {
      this.pumping = false;
      // A wake-up that came between fill's last look and here would otherwise be lost.
      if (this.again && !this.d.isStopping) this.pump();
    });
  }

  /** The fill in progress, if any: stop() lets it end before it hands back what it holds. */
  private filling: Promise<void> = Promise.resolve();

  private async fill(): Promise<void> {
    do {
      this.again = false;
      while (!this.d.isStopping && this.slots() > 0) {
        // The group's own cap, and its spans' (a job taken now would only wait in the hunt).
        const wait = Math.max(this.rate.waitMs(this.now()), this.d.options.dialer.paceWaitMs(this.name));
        if (wait > 0) {
          this.wakeIn(wait);
          break;
        }
        const next = this.held.shift() ?? (await this.fetch());
        this.drained = next === null;
        if (next === null) {
          this.wakeIn(this.d.idleMs);
          break;
        }
        if (this.d.isStopping || this.slots() <= 0) {
          // The slot went while Redis answered: keep the job (its lock renewed) for the next one.
          this.held.unshift(next);
          this.d.stats.held++;
          break;
        }
        this.rate.take(this.now());
        this.launch(next);
      }
    } while (this.again && !this.d.isStopping);
  }

  private wakeIn(ms: number): void {
    if (this.timer || this.d.isStopping) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, ms);
    this.timer.unref();
  }

  /** The next job of the group's queues: callbacks first, then the campaigns in turn. */
  private async fetch(): Promise<Taken | null> {
    const gate = this.d.options.gate;
    let campaigns: string[] = [];
    try {
      campaigns = gate ? await gate.queues(this.name) : [];
    } catch (err) {
      this.d.options.logger.warn({ group: this.name, err: (err as Error).message }, 'campaign queues not listed');
    }
    // Stopped meanwhile: open no worker the stop would not close.
    if (this.d.isStopping) return null;
    const start = this.rotation++;
    const order = [callQueueName(this.name), ...campaigns.map((_, i) => campaigns[(start + i) % campaigns.length] as string)];
    for (const queue of order) {
      if (this.d.isStopping) return null;
      const worker = this.d.worker(queue);
      const token = `${this.id}:${++this.tokens}`;
      let job: Job<QueuedCall> | undefined;
      try {
        job = (await worker.getNextJob(token, { block: false })) as Job<QueuedCall> | undefined;
      } catch (err) {
        this.d.options.logger.warn({ queue, err: (err as Error).message }, 'job not fetched: Redis away?');
        return null;
      }
      if (job) {
        const taken = { job, token, worker };
        this.d.track(taken);
        return taken;
      }
    }
    return null;
  }

  private launch(t: Taken): void {
    this.starting++;
    this.d.stats.started++;
    const run = this.run(t).finally(() => {
      this.running.delete(run);
      this.d.untrack(t);
      this.pump();
    });
    this.running.add(run);
  }

  private async run(t: Taken): Promise<void> {
    const { job } = t;
    const data = callJobOf(job.data);
    const log = this.d.options.logger;
    let startingCounted = true;
    const started = (): void => {
      if (startingCounted) this.starting--;
      startingCounted = false;
    };
    let fate: CallFate;
    let result: OutboundResult | null = null;
    try {
      const gate = this.d.options.gate;
      const decision = gate ? await gate.beforeDial(data, new Date(this.now())) : ({ kind: 'go' } as const);
      if (decision.kind !== 'go') {
        started();
        await this.notDialled(t, data, decision);
        return;
      }
      const key = jobKey(job);
      const callKey = callKeyOf(this.d.options.prefix, key, data.round ?? 0, job.attemptsMade + 1);
      // Recorded before it is dialled: a box that takes this try over after a crash finds it.
      const earlier = await this.d.attempts.claim(callKey);
      const reconciled = earlier === null ? null : await this.takenOver(job, data, callKey, earlier);
      if (reconciled !== null) {
        started();
        fate = reconciled;
      } else {
        log.info({ job: key, try: job.attemptsMade + 1, of: job.opts.attempts ?? 1, number: data.request.number, call: `${OUTBOUND_ID_PREFIX}${callKey}` }, 'call job dialling');
        this.d.jobEvent({ kind: 'dialling', job: key, group: this.name, number: data.request.number, try: job.attemptsMade + 1, of: job.opts.attempts ?? 1, fate: null, outcome: null, at: this.now() });
        const request = { ...data.request, reference: key, callKey, retriesUsed: job.attemptsMade, accountcode: data.request.accountcode ?? key, origin: originOf(data) };
        const placing = this.d.options.dialer.originate(request);
        // originate() opens the attempt's leg (or holds its place under a span's attempt-rate cap)
        // before its first await: unplacedAttempts counts it now.
        started();
        result = await placing;
        fate = fateOfOutcome(result.outcome, result.cause, this.g.settings.retryDelay, data.retryDelay);
      }
    } catch (err) {
      started();
      fate = fateOfError(err, this.g.settings.retryDelay, data.retryDelay);
    }
    try {
      await this.settle(t, data, fate, result);
      if (data.campaignId !== null && fate.kind !== 'requeue') await this.d.options.gate?.afterCall(data, result?.outcome ?? fate.outcome ?? 'failed');
    } catch (err) {
      // The lock may have run out (Redis away too long): the stalled check hands the job on.
      log.warn({ job: jobKey(job), fate: fate.kind, err: (err as Error).message }, 'job outcome not stored');
    }
  }

  /**
   * A try some box recorded before (this one before a restart, or one killed mid-call): never
   * dialled again as such. Still up in our Asterisk: wait for it. Its CDR is in the store: its
   * outcome decides. Neither: the customer may have been called, so the try counts as failed and
   * the next one waits the failed delay.
   */
  private async takenOver(job: Job<QueuedCall>, data: CallJobData, callKey: string, earlier: AttemptClaim): Promise<CallFate | null> {
    const callId = `${OUTBOUND_ID_PREFIX}${callKey}`;
    const prior = await this.d.options.dialer.priorAttempt(callId);
    // Claimed by this very process, which holds no call of it and no record: Redis lost the
    // answer to our claim or to the fetch (it went away then), and the call was never placed.
    if (prior.kind === 'unknown' && earlier.box === this.d.attempts.box) return null;
    this.d.options.logger.warn({ job: jobKey(job), try: job.attemptsMade + 1, call: callId, box: earlier.box, since: new Date(earlier.at).toISOString(), found: prior.kind }, 'call job try taken over: not dialled again');
    if (prior.kind === 'live') return { kind: 'requeue', delayMs: TAKEOVER_RECHECK_MS, reason: `try ${job.attemptsMade + 1} is still up on this Asterisk (${callId})` };
    if (prior.kind === 'ended') return fateOfOutcome(prior.outcome, prior.cause, this.g.settings.retryDelay, data.retryDelay);
    return { kind: 'retry', delayMs: (data.retryDelay.failed ?? this.g.settings.retryDelay.failed) * 1000, reason: `try ${job.attemptsMade + 1} was placed by box ${earlier.box} and left no record (stopped mid-call?)`, outcome: 'failed' };
  }

  private async notDialled(t: Taken, data: CallJobData, decision: Exclude<GateDecision, { kind: 'go' }>): Promise<void> {
    if (decision.kind === 'wait-until') {
      await t.job.moveToDelayed(decision.at.getTime(), t.token);
      this.d.stats.requeued++;
      return;
    }
    this.d.options.logger.info({ job: jobKey(t.job), reason: decision.reason }, 'call job skipped: not dialled');
    await t.job.moveToFailed(new UnrecoverableError(`skipped: ${decision.reason}`), t.token, false);
    this.d.stats.skipped++;
    if (data.campaignId !== null) await this.d.options.gate?.afterCall(data, decision.reason);
  }

  /** Says what the try came to, then stores the job's fate; a Redis gone meanwhile is waited for once. */
  private async settle(t: Taken, data: CallJobData, fate: CallFate, result: OutboundResult | null): Promise<void> {
    const { job } = t;
    const triesLeft = job.attemptsMade + 1 < (job.opts.attempts ?? 1);
    const message = fate.kind === 'retry' && !triesLeft ? 'call job failed: every try used' : FATE_MESSAGES[fate.kind];
    this.d.options.logger.info({ job: jobKey(job), try: job.attemptsMade + 1, of: job.opts.attempts ?? 1, outcome: result?.outcome ?? null, call: result?.callId ?? null, reason: fate.kind === 'completed' ? null : fate.reason }, message);
    this.d.jobEvent({ kind: 'settled', job: jobKey(job), group: this.name, number: data.request.number, try: job.attemptsMade + 1, of: job.opts.attempts ?? 1, fate: fate.kind, outcome: result?.outcome ?? null, at: this.now() });
    try {
      await this.store(t, data, fate, result, triesLeft);
    } catch (err) {
      if (this.d.ready) throw err;
      // Redis went away under the call: its lock outlives a restart, so store the fate when it is back.
      if (!(await this.d.redisBack(this.d.lockMs / 2))) throw err;
      await this.store(t, data, fate, result, triesLeft);
    }
  }

  private async store(t: Taken, data: CallJobData, fate: CallFate, result: OutboundResult | null, triesLeft: boolean): Promise<void> {
    const { job, token } = t;
    if (result) await job.log(`try ${job.attemptsMade + 1}: ${result.outcome}${result.cause === null ? '' : ` cause ${result.cause}`} (${result.attempts.map((a) => `${a.span === null ? 'group' : `span ${a.span}`} ${a.outcome}`).join(', ') || 'no span in service'}) call ${result.callId}`);
    switch (fate.kind) {
      case 'completed':
        await job.moveToCompleted(resultOf(result, data), token, false);
        this.d.stats.completed++;
        return;
      case 'retry':
        await job.moveToFailed(new CallTryError(fate.reason, fate.delayMs), token, false);
        if (triesLeft) this.d.stats.retried++;
        else this.d.stats.failed++;
        return;
      case 'failed':
        await job.moveToFailed(new UnrecoverableError(fate.reason), token, false);
        this.d.stats.failed++;
        return;
      case 'requeue':
        await job.moveToDelayed(this.now() + fate.delayMs, token);
        this.d.stats.requeued++;
    }
  }

  async stop(drainMs: number): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A fetch under way may still bring a job: it is held (isStopping) and handed back below.
    // With Redis away the fetch waits for Redis: the workers' close ends it instead.
    let wait: NodeJS.Timeout | undefined;
    await Promise.race([this.filling, new Promise((r) => (wait = setTimeout(r, FETCH_AT_STOP_MS)))]);
    clearTimeout(wait);
    for (const t of this.held.splice(0)) {
      await t.job.moveToDelayed(this.now(), t.token).catch(() => undefined);
      this.d.untrack(t);
    }
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => (timer = setTimeout(r, drainMs)))]);
    clearTimeout(timer);
  }
}

/** The toll guard's view of a job: came through the queues, for the token that added it, if any. */
function originOf(data: CallJobData): Origin {
  const token = data.request.origin?.token;
  return { via: data.campaignId === null ? 'job' : 'campaign', ...(token === undefined ? {} : { token }) };
}

function resultOf(r: OutboundResult | null, data: CallJobData): CallJobResult {
  return {
    outcome: r?.outcome ?? 'failed',
    cause: r?.cause ?? null,
    callId: r?.callId ?? null,
    channelId: r?.answeredChannelId ?? null,
    e164: r?.e164 ?? null,
    notification: r?.notification ?? null,
    attempts: r?.attempts.map((a) => ({ span: a.span, outcome: a.outcome, cause: a.cause })) ?? [],
    data: data.data,
  };
}
