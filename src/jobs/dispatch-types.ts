// The dispatcher's vocabulary: what it needs of call control and the TrunkMap, what campaigns
// plug in, what a job it holds and a job's result look like, and the error a try worth another
// try ends with (BullMQ's backoff reads its delay). Shared by the dispatcher and its per-group
// part; no behaviour beyond naming a job.

import type { Job, Worker } from 'bullmq';
import type { OutboundSettings } from '../provisioning/site/routing-types';
import type { OutboundResult } from '../supervisor/outbound/outbound-calls';
import type { Outcome } from '../supervisor/outbound/outcomes';
import type { CallFate } from './call-fate';
import type { CallJobData } from './call-job';
import type { CampaignJobData } from './campaigns/campaign-types';

/** What the dispatcher needs of call control's outbound side. */
export interface OutboundDialer {
  originate(request: unknown): Promise<OutboundResult>;
  /** Attempts on the group whose channel the TrunkMap does not show taken yet. */
  unplacedAttempts(group: string): number;
  /** Milliseconds before the group's next attempt may start under its per-span attempt-rate cap (0 = now). */
  paceWaitMs(group: string): number;
  /** What is known of a call placed before (by its id): still up here, ended with a record, or nothing. */
  priorAttempt(callId: string): Promise<PriorAttempt>;
}

export type PriorAttempt = { kind: 'live' } | { kind: 'ended'; outcome: Outcome; cause: number | null } | { kind: 'unknown' };

/** What it needs of the TrunkMap. */
export interface CapacityView {
  groupCapacity(group: string): { free: number; inUse: number };
  on(name: 'state-changed' | 'span-in-service' | 'span-out-of-service', listener: () => void): () => void;
}

export type GateDecision =
  | { kind: 'go' }
  /** Not now (outside the calling window): the job waits until then, no try used. */
  | { kind: 'wait-until'; at: Date; reason: string }
  /** Not at all (on the do-not-call list, campaign cancelled): failed as skipped, never tried again. */
  | { kind: 'skip'; reason: string };

/** Campaigns plug in here: more queues per group, a check at dial time, the outcome after. */
export interface DialGate {
  queues(group: string): Promise<string[]>;
  beforeDial(job: CallJobData, now: Date): Promise<GateDecision>;
  afterCall(job: CallJobData, outcome: string): Promise<void>;
}

export interface DialledGroup {
  name: string;
  settings: OutboundSettings;
}

/** What a completed job's result holds. */
export interface CallJobResult {
  outcome: string;
  cause: number | null;
  callId: string | null;
  /** The answered channel (now in its dialplan target), for hanging it up or finding its CDR. */
  channelId: string | null;
  e164: string | null;
  /** A notification's end: the digit pressed (null: none), whether the prompt was heard out. */
  notification: OutboundResult['notification'];
  attempts: { span: number | null; outcome: string; cause: number | null }[];
  data: Record<string, string>;
}

export interface DispatcherStats {
  started: number;
  completed: number;
  retried: number;
  failed: number;
  requeued: number;
  skipped: number;
  /** Jobs taken and then held because the slot went while fetching. */
  held: number;
}

/** A try that ended in an outcome worth another try: BullMQ's backoff reads the delay from it. */
export class CallTryError extends Error {
  constructor(message: string, readonly delayMs: number) {
    super(message);
    this.name = 'CallTryError';
  }
}

/** A queued job's data: a call job, or a campaign's job (read through callJobOf). */
export type QueuedCall = CallJobData | CampaignJobData;

export interface Taken {
  job: Job<QueuedCall>;
  token: string;
  worker: Worker<QueuedCall>;
}

/** The job's name in CDRs and logs: queue/id. */
export function jobKey(job: { queueName: string; id?: string | undefined }): string {
  return `${job.queueName}/${job.id ?? '?'}`;
}

/** A job's step as the live event stream shows it: taken and dialled, or its fate stored. */
export interface JobEvent {
  kind: 'dialling' | 'settled';
  /** `calls-carrier/42`. */
  job: string;
  group: string;
  number: string;
  /** This try, and how many the job has. */
  try: number;
  of: number;
  /** Settled only: completed, retry, failed or requeue. */
  fate: CallFate['kind'] | null;
  outcome: string | null;
  at: number;
}
