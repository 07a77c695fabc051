// Call jobs and campaigns over the job queues, thin over the services the CLI uses (CallJobs,
// CampaignService): list and add jobs, the dead letters and a retry; list, load, follow, pause,
// resume and cancel campaigns. Every refusal is the services' JobError naming the field. With
// the queues off (TDMGATE_REDIS_URL=off) each route answers 503 QUEUES_OFF.

import { campaignSettings, readCampaignEntries, type CampaignEntry, type CampaignOptions, type CampaignService } from '../../../jobs/campaigns';
import { JOB_STATES, type CallJobs, type JobState } from '../../../jobs/call-jobs';
import { JobError } from '../../../jobs/job-errors';
import type { SiteConfig } from '../../../provisioning/site/site-types';
import { compileNumbering } from '../../../supervisor/numbering/numbering';
import { ApiError, type FieldError } from '../../api-errors';
import { route, type AnyRoute, type JsonSchema, type ObjectSchema } from '../route-types';
import { ORIGINATE_SCHEMA } from './call-routes';
import { LIMIT, listOf, shape } from './schemas';

export interface QueueDeps {
  site: SiteConfig;
  queues: { jobs: CallJobs; campaigns: CampaignService } | null;
}

const originate = ORIGINATE_SCHEMA.properties as Record<string, JsonSchema>;

const JOB_BODY: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['group', 'number'],
  properties: {
    group: originate.group, number: originate.number, callerId: originate.callerId, target: originate.target, timeoutSeconds: originate.timeoutSeconds,
    attempts: { type: 'integer', minimum: 1, maximum: 20, description: 'tries in all; default the group\'s maxRetries + 1' },
  },
};

const JOBS_QUERY: ObjectSchema = {
  type: 'object', additionalProperties: false,
  properties: { group: { type: 'string', minLength: 1 }, state: { enum: [...JOB_STATES] }, limit: LIMIT },
};

const DEAD_QUERY: ObjectSchema = { type: 'object', additionalProperties: false, properties: { group: { type: 'string', minLength: 1 }, limit: LIMIT } };

const JOB_KEY_PARAMS: ObjectSchema = {
  type: 'object', additionalProperties: false, required: ['queue', 'id'],
  properties: { queue: { type: 'string', pattern: '^calls-[^/]+$', description: 'the key\'s queue: calls-<group>' }, id: { type: 'string', minLength: 1, maxLength: 200 } },
};

const CAMPAIGN_ID: ObjectSchema = {
  type: 'object', additionalProperties: false, required: ['id'],
  properties: { id: { type: 'string', pattern: '^[a-z0-9-]{1,40}$' } },
};

const CAMPAIGN_BODY: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['name', 'group', 'entries'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 120, description: 'its slug is the campaign id; loading the same name again adds new entries only' },
    group: { type: 'string', minLength: 1, description: 'trunk group name or number' },
    window: { type: 'string', pattern: '^\\d{2}:\\d{2}-\\d{2}:\\d{2}$', description: 'HH:MM-HH:MM in the site\'s time zone; default 09:00-20:00' },
    days: { type: 'string', minLength: 3, description: 'mon-fri,sat; default every day' },
    maxAttempts: { type: 'integer', minimum: 1, maximum: 20 },
    maxConcurrent: { type: 'integer', minimum: 1, maximum: 1000 },
    perMinute: { type: 'integer', minimum: 1, maximum: 6000 },
    callerId: originate.callerId,
    target: originate.target,
    entries: {
      type: 'array', minItems: 1, maxItems: 100_000,
      items: { type: 'object', additionalProperties: false, required: ['number'], properties: { number: { type: 'string', minLength: 1, maxLength: 40 }, data: { type: 'object', additionalProperties: { type: 'string' } } } },
    },
  },
};

const JOB_VIEW = shape({ key: { type: 'string' }, group: { type: 'string' }, number: { type: 'string' }, state: { type: 'string' }, triesMade: { type: 'integer' }, tries: { type: 'integer' }, outcome: { type: ['string', 'null'] } }, ['key', 'group', 'state']);
const PROGRESS = shape({ campaign: { type: 'object' }, pending: { type: 'integer' }, inProgress: { type: 'integer' }, answered: { type: 'integer' }, failed: { type: 'integer' }, byOutcome: { type: 'object' }, window: { type: 'object' } });

/** The campaign's options as the CLI takes them, and its numbers. */
type CampaignBody = CampaignOptions & { entries: CampaignEntry[] };

/** A refused entry as a field of the request: `entries[3].number` -> `/entries/3/number`. */
function entryError(err: JobError): FieldError {
  return { in: 'body', field: `/${(err.field ?? '').replace(/\[(\d+)\]/g, '/$1').replace(/\./g, '/')}`, message: err.message };
}

export function queueRoutes(d: QueueDeps): AnyRoute[] {
  const q = () => {
    if (d.queues === null) throw new ApiError('QUEUES_OFF', 'the job queues are off on this supervisor (TDMGATE_REDIS_URL=off)');
    return d.queues;
  };
  const plan = d.site.routing?.numbering ? compileNumbering(d.site.routing.numbering) : null;
  const progressAfter = (act: (s: CampaignService, id: string) => Promise<unknown>) => async ({ params }: { params: { id: string } }) => {
    const s = q().campaigns;
    await act(s, params.id);
    return { body: await s.progress(params.id) };
  };
  return [
    route<Record<string, never>, { group?: string; state?: JobState; limit: number }>({
      method: 'get', path: '/jobs', permission: 'viewer', operationId: 'listJobs', tag: 'jobs',
      summary: 'call jobs on the queues, newest first',
      query: JOBS_QUERY,
      responses: { 200: { description: 'the jobs', schema: shape({ jobs: listOf(JOB_VIEW) }) } },
      handle: async ({ query }) => ({ body: { jobs: await q().jobs.list({ ...(query.group === undefined ? {} : { group: query.group }), ...(query.state === undefined ? {} : { states: [query.state] }), limit: query.limit }) } }),
    }),
    route<Record<string, never>, Record<string, never>, Record<string, unknown>>({
      method: 'post', path: '/jobs', permission: 'operator', operationId: 'addJob', tag: 'jobs',
      summary: 'queue an outbound call: dialled when the group has a channel free for outbound',
      body: JOB_BODY,
      responses: { 201: { description: 'queued', schema: shape({ key: { type: 'string' }, group: { type: 'string' } }) } },
      // The job's calls count against the token that added it (the toll guard), never one the body names.
      handle: async ({ body, token }) => ({ status: 201, body: await q().jobs.add({ ...body, origin: { via: 'api', ...(token ? { token: token.name } : {}) } }) }),
    }),
    route<Record<string, never>, { group?: string; limit: number }>({
      method: 'get', path: '/jobs/dead-letters', permission: 'viewer', operationId: 'listDeadLetters', tag: 'jobs',
      summary: 'call jobs that stopped for good: every try used, or never dialable',
      query: DEAD_QUERY,
      responses: { 200: { description: 'the dead letters', schema: shape({ jobs: listOf(JOB_VIEW) }) } },
      handle: async ({ query }) => ({ body: { jobs: await q().jobs.deadLetters(query.group, query.limit) } }),
    }),
    route<{ queue: string; id: string }>({
      method: 'post', path: '/jobs/{queue}/{id}/retry', permission: 'operator', operationId: 'retryJob', tag: 'jobs',
      summary: 'send a dead letter back to its queue, its tries counted afresh',
      params: JOB_KEY_PARAMS,
      responses: { 200: { description: 'the job, waiting again', schema: JOB_VIEW }, 404: { description: 'no such job' }, 409: { description: 'the job has not failed' } },
      handle: async ({ params }) => ({ body: await q().jobs.retry(`${params.queue}/${params.id}`) }),
    }),
    route({
      method: 'get', path: '/campaigns', permission: 'viewer', operationId: 'listCampaigns', tag: 'campaigns',
      summary: 'every campaign with its status, group and window',
      responses: { 200: { description: 'the campaigns', schema: shape({ campaigns: listOf({ type: 'object' }) }) } },
      handle: async () => ({ body: { campaigns: await q().campaigns.list() } }),
    }),
    route<Record<string, never>, Record<string, never>, CampaignBody>({
      method: 'post', path: '/campaigns', permission: 'operator', operationId: 'loadCampaign', tag: 'campaigns',
      summary: 'load a list of numbers as a campaign (or add new ones to it); bad entries refused, the rest loaded',
      body: CAMPAIGN_BODY,
      responses: { 201: { description: 'loaded; `refused` names each entry that was not', schema: shape({ campaign: { type: 'object' }, added: { type: 'integer' }, alreadyLoaded: { type: 'integer' }, refused: listOf({ type: 'object' }) }) } },
      handle: async ({ body, token }) => {
        const { entries, ...options } = body;
        const settings = campaignSettings(options, d.site);
        const { rows, refusals } = readCampaignEntries(entries, plan);
        if (rows.length === 0) throw new ApiError('INVALID_REQUEST', `no entry could be loaded (${refusals.length} refused)`, { field: '/entries', errors: refusals.map(entryError) });
        const loaded = await q().campaigns.load(settings, rows, new Date(), token?.name);
        return { status: 201, body: { ...loaded, refused: refusals.map(entryError) } };
      },
    }),
    route<{ id: string }>({
      method: 'get', path: '/campaigns/{id}', permission: 'viewer', operationId: 'getCampaign', tag: 'campaigns',
      summary: 'a campaign\'s progress: pending, in progress, answered, failed, by outcome, window',
      params: CAMPAIGN_ID,
      responses: { 200: { description: 'its progress', schema: PROGRESS }, 404: { description: 'no such campaign' } },
      handle: progressAfter(async () => undefined),
    }),
    ...(['pause', 'resume', 'cancel'] as const).map((verb) => route<{ id: string }>({
      method: 'post', path: `/campaigns/{id}/${verb}`, permission: 'operator', operationId: `${verb}Campaign`, tag: 'campaigns',
      summary: { pause: 'stop starting calls of a campaign on every box (calls up now finish)', resume: 'start calling again for a paused campaign', cancel: 'end a campaign: numbers not tried are removed, results kept' }[verb],
      params: CAMPAIGN_ID,
      responses: { 200: { description: 'its progress afterwards', schema: PROGRESS }, 404: { description: 'no such campaign' }, 409: { description: 'not allowed in its status' } },
      handle: progressAfter((s, id) => s[verb](id)),
    })),
  ];
}
