// A call job as it sits in Redis: the outbound request (the same fields the supervisor's outbound
// service checks - group, number, caller ID, target, timeout, variables) plus what the queue
// decides with: the kind, how many tries, per-outcome retry delays, the campaign it belongs to and
// the customer data it carries. Checked once when added, field by field, against the site, so a
// bad job is refused at the door with the field named instead of failing later at dial time.
// The request's `origin` (the API token that added the job) is the adder's to set, never a
// client's: the toll guard counts the job's calls against that token when they are dialled.

import type { SiteConfig } from '../provisioning/site/site-types';
import { isOutboundError } from '../supervisor/outbound/errors';
import type { NumberingPlan } from '../supervisor/numbering/numbering';
import { e164Of } from '../supervisor/outbound/prepare-call';
import { checkRequest, type OutboundRequest } from '../supervisor/outbound/request';
import type { CampaignJobData } from './campaigns/campaign-types';
import { JobError } from './job-errors';

export const CALL_KINDS = ['callback', 'notification', 'campaign'] as const;
export type CallKind = (typeof CALL_KINDS)[number];

/** Seconds before the next try, per outcome; unset ones come from the group's routing.outbound retryDelay. */
export interface RetryDelaysOverride {
  busy?: number;
  noAnswer?: number;
  congestion?: number;
  failed?: number;
}

export interface CallJobData {
  kind: CallKind;
  /** The trunk group's name (queues are per group name). */
  group: string;
  request: OutboundRequest;
  /** Tries in all, the first included (BullMQ's attempts). */
  attempts: number;
  retryDelay: RetryDelaysOverride;
  campaignId: string | null;
  /** The customer's own fields (a campaign CSV's other columns), handed back in the result. */
  data: Record<string, string>;
  /** Times an operator sent the job back (jobs retry): its tries are counted afresh in a new round. */
  round?: number;
}

export const MAX_ATTEMPTS = 20;
const JOB_KEYS = ['kind', 'attempts', 'retryDelay', 'campaignId', 'data'] as const;
const RETRY_KEYS = ['busy', 'noAnswer', 'congestion', 'failed'] as const;
/** Fields the queue sets on the request itself: the job id goes into reference. */
const QUEUE_OWNED = ['retriesUsed', 'reference'] as const;
const DAY_SECONDS = 86_400;

/**
 * Checks `input` (parsed JSON: the CLI's flags or an API body) - the request fields at the top
 * level beside the job's own - and returns the job to queue. The number is read with the site's
 * numbering (`plan`) as the dialler will. JobError INVALID_JOB names the field.
 */
export function checkCallJob(input: unknown, site: SiteConfig, plan: NumberingPlan | null): CallJobData {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('job', 'is not an object with group and number');
  const all = input as Record<string, unknown>;
  const owned = QUEUE_OWNED.find((k) => all[k] !== undefined);
  if (owned !== undefined) throw invalid(owned, 'is set by the queue itself; leave it out');
  const request: Record<string, unknown> = {};
  const job: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) ((JOB_KEYS as readonly string[]).includes(k) ? job : request)[k] = v;
  let checked;
  try {
    checked = checkRequest(request, site);
    e164Of(checked.number, plan);
  } catch (err) {
    if (isOutboundError(err)) throw new JobError('INVALID_JOB', err.message, { field: err.field, cause: err });
    throw err;
  }
  const kind = job.kind ?? 'callback';
  if (!(CALL_KINDS as readonly unknown[]).includes(kind)) throw invalid('kind', `${JSON.stringify(kind)} is not a call kind; allowed: ${CALL_KINDS.join(', ')}`);
  const campaignId = job.campaignId === undefined || job.campaignId === null ? null : text(job.campaignId, 'campaignId', /^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64');
  if (kind === 'notification' && checked.prompt === null) throw invalid('prompt', 'is required for a notification call: { media: [...], confirm?: { digits, timeoutSeconds } }');
  if ((kind === 'campaign') !== (campaignId !== null)) throw invalid('campaignId', kind === 'campaign' ? 'is required for a campaign call' : 'belongs to campaign calls only (kind: campaign)');
  return {
    kind: kind as CallKind,
    group: checked.group.name,
    request: request as unknown as OutboundRequest,
    attempts: job.attempts === undefined ? defaultAttempts(site, checked.group.number) : whole(job.attempts, 'attempts', 1, MAX_ATTEMPTS),
    retryDelay: retryDelays(job.retryDelay),
    campaignId,
    data: customerData(job.data),
  };
}

/** The group's maxRetries + the first try, as the site file says for calls placed by the supervisor. */
function defaultAttempts(site: SiteConfig, group: number): number {
  const settings = site.routing?.outbound.find((s) => s.group === group);
  return (settings?.maxRetries ?? 2) + 1;
}

function retryDelays(value: unknown): RetryDelaysOverride {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('retryDelay', `is not a map of ${RETRY_KEYS.join(', ')} to seconds`);
  const out: RetryDelaysOverride = {};
  for (const [k, v] of Object.entries(value)) {
    if (!(RETRY_KEYS as readonly string[]).includes(k)) throw invalid(`retryDelay.${k}`, `is not an outcome with a delay; allowed: ${RETRY_KEYS.join(', ')}`);
    out[k as keyof RetryDelaysOverride] = whole(v, `retryDelay.${k}`, 0, DAY_SECONDS);
  }
  return out;
}

function customerData(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('data', 'is not a map of name: text');
  const entries = Object.entries(value);
  if (entries.length > 64) throw invalid('data', `has ${entries.length} fields; at most 64`);
  for (const [k, v] of entries) {
    if (typeof v !== 'string' || v.length > 1000) throw invalid(`data.${k}`, 'is not a text of at most 1000 characters');
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function whole(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalid(field, `${JSON.stringify(value)} is not a whole number from ${min} to ${max}`);
  return value;
}

function text(value: unknown, field: string, shape: RegExp, allowed: string): string {
  if (typeof value !== 'string' || !shape.test(value)) throw invalid(field, `${JSON.stringify(value)} is not allowed; expected ${allowed}`);
  return value;
}

function invalid(field: string, problem: string): JobError {
  return new JobError('INVALID_JOB', `${field} ${problem}`, { field });
}

/**
 * What a job taken from a queue asks for: a call job as added above, or a campaign's job (its
 * own shape: the number already in E.164, the campaign's caller ID and target) read as one.
 */
export function callJobOf(raw: CallJobData | CampaignJobData): CallJobData {
  if ('request' in raw) return raw;
  const request: OutboundRequest = {
    group: raw.group, number: raw.number,
    ...(raw.token === undefined ? {} : { origin: { via: 'campaign', token: raw.token } }),
    ...(raw.callerId === undefined ? {} : { callerId: raw.callerId }),
    ...(raw.target === undefined ? {} : { target: raw.target }),
  };
  return { kind: 'campaign', group: raw.group, request, attempts: raw.attempts, retryDelay: {}, campaignId: raw.campaignId, data: raw.data, ...(raw.round === undefined ? {} : { round: raw.round }) };
}
