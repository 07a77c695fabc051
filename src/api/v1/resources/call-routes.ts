// Active calls: GET /calls (every open leg), GET /calls/{id}, POST /calls to originate through
// the supervisor's outbound service (the same checks, hunting and retries as a job's call) and
// DELETE /calls/{id} to hang one up. An originate answers 202 with the call's id as soon as the
// request is accepted - the call rings on, GET /calls shows it - or, with ?wait=true, 200 with
// its outcome once known. A request the outbound service refuses is a 4xx naming the field.

import { randomBytes } from 'node:crypto';
import type { LegView } from '../../../supervisor/calls/call-legs';
import { OUTBOUND_ID_PREFIX, type OutboundResult } from '../../../supervisor/outbound/outbound-calls';
import type { OutboundRequest } from '../../../supervisor/outbound/request';
import { ApiError } from '../../api-errors';
import { route, type AnyRoute, type JsonSchema, type ObjectSchema } from '../route-types';
import { CALL_SCHEMA, callView } from './call-views';
import { ID_PARAM, listOf, shape } from './schemas';

export interface CallDeps {
  /** `accepted` is told once the call is past every check and dialling. */
  originate(request: OutboundRequest, accepted: () => void): Promise<OutboundResult>;
  legs(): LegView[];
  /** Asks Asterisk to hang up the legs of a call (by call id or channel id): how many. */
  hangupCall(id: string): Promise<number>;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  now?: () => number;
}

const NAME = { type: 'string', pattern: '^[A-Za-z0-9_\\-+.*#]{1,79}$' };

export const ORIGINATE_SCHEMA: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['group', 'number'],
  properties: {
    group: { type: ['string', 'integer'], description: 'trunk group name or number', example: 'carrier' },
    number: { type: 'string', minLength: 1, maxLength: 40, description: 'in any form the site\'s numbering reads: +E.164, national, local', example: '030 1234567' },
    callerId: { type: 'string', minLength: 1, maxLength: 40, description: 'caller ID presented; default the group\'s' },
    target: {
      description: 'where the answered call goes: a routing target of the site, or a dialplan place',
      oneOf: [
        { type: 'string', minLength: 1, maxLength: 80 },
        { type: 'object', additionalProperties: false, required: ['context'], properties: { context: NAME, extension: NAME, priority: { type: 'integer', minimum: 1 } } },
      ],
    },
    timeoutSeconds: { type: 'integer', minimum: 5, maximum: 300, description: 'seconds of ringing per attempt; default the group\'s' },
    variables: { type: 'object', maxProperties: 32, additionalProperties: { type: 'string', maxLength: 255 }, description: 'channel variables for the dialplan' },
    accountcode: { type: 'string', maxLength: 80 },
    reference: { type: 'string', maxLength: 80, description: 'your reference, in the CDR\'s userfield; default api:<token name>' },
  },
};

const WAIT_QUERY: ObjectSchema = {
  type: 'object', additionalProperties: false,
  properties: { wait: { type: 'boolean', default: false, description: 'answer once the outcome is known (200) instead of at once (202)' } },
};

const ORIGINATE_RESULT = shape({ callId: { type: 'string' }, outcome: { type: 'string' }, cause: { type: ['integer', 'null'] }, attempts: listOf({ type: 'object' }), next: { type: 'object' } }, ['callId', 'outcome']);

type OriginateBody = Omit<OutboundRequest, 'callKey' | 'prompt' | 'retriesUsed'>;

/** The refusal of a call the outbound service rejects before dialling (it does so at once), or null once it dials. */
/** The originate's refusal (the request, Asterisk away, the toll guard), or null once it is accepted and dialling. */
async function refusal(placing: Promise<unknown>, accepted: Promise<void>): Promise<unknown> {
  return Promise.race([placing.then(() => null, (err: unknown) => err), accepted.then(() => null)]);
}

export function callRoutes(d: CallDeps): AnyRoute[] {
  const now = d.now ?? Date.now;
  const find = (id: string) => d.legs().filter((v) => v.leg.id === id || v.parties?.callId === id);
  return [
    route({
      method: 'get', path: '/calls', permission: 'viewer', operationId: 'listCalls', tag: 'calls',
      summary: 'the calls up now, one entry per leg: Asterisk channel, numbers, direction, state, duration',
      responses: { 200: { description: 'the active calls', schema: shape({ calls: listOf(CALL_SCHEMA) }) } },
      handle: () => {
        const t = now();
        return { body: { calls: d.legs().map((v) => callView(v, t)) } };
      },
    }),
    route<{ id: string }>({
      method: 'get', path: '/calls/{id}', permission: 'viewer', operationId: 'getCall', tag: 'calls',
      summary: 'the legs of one active call, by its call id or a leg\'s channel id',
      params: ID_PARAM,
      responses: { 200: { description: 'the call\'s legs', schema: shape({ calls: listOf(CALL_SCHEMA) }) }, 404: { description: 'no such call is up' } },
      handle: ({ params }) => {
        const legs = find(params.id);
        if (legs.length === 0) throw new ApiError('NOT_FOUND', `no call ${JSON.stringify(params.id)} is up (ended calls are in the CDRs)`, { field: 'id' });
        const t = now();
        return { body: { calls: legs.map((v) => callView(v, t)) } };
      },
    }),
    route<Record<string, never>, { wait: boolean }, OriginateBody>({
      method: 'post', path: '/calls', permission: 'operator', operationId: 'originateCall', tag: 'calls',
      summary: 'place an outbound call on a trunk group: number, caller ID, answer target',
      query: WAIT_QUERY, body: ORIGINATE_SCHEMA,
      responses: {
        202: { description: 'accepted and dialling; GET /calls/{callId} follows it', schema: shape({ callId: { type: 'string' }, status: { const: 'dialling' } }) },
        200: { description: 'with ?wait=true: the outcome', schema: ORIGINATE_RESULT },
        404: { description: 'unknown group or target' }, 409: { description: 'the group takes inbound calls only' }, 503: { description: 'Asterisk is not connected; nothing was dialled' },
      },
      handle: async ({ query, body, token }) => {
        const callKey = randomBytes(6).toString('hex');
        const callId = `${OUTBOUND_ID_PREFIX}${callKey}`;
        // The origin is ours to set, never the client's: the toll guard counts the call against this token.
        let accept = (): void => undefined;
        const accepted = new Promise<void>((resolve) => (accept = resolve));
        const placing = d.originate({ reference: `api:${token?.name ?? ''}`, ...body, callKey, origin: { via: 'api', ...(token ? { token: token.name } : {}) } }, () => accept());
        if (query.wait) return { body: await placing };
        // 202 once the call is past every check and dialling; a refusal before that is the answer.
        const refused = await refusal(placing, accepted);
        if (refused !== null) throw refused;
        placing.then(
          (r) => d.log.info({ call: r.callId, outcome: r.outcome, token: token?.name }, 'API call finished dialling'),
          (err: unknown) => d.log.warn({ call: callId, err: err instanceof Error ? err.message : String(err), token: token?.name }, 'API call failed'),
        );
        return { status: 202, headers: { Location: `/api/v1/calls/${callId}` }, body: { callId, status: 'dialling' } };
      },
    }),
    route<{ id: string }>({
      method: 'delete', path: '/calls/{id}', permission: 'operator', operationId: 'hangupCall', tag: 'calls',
      summary: 'hang up an active call (every leg of it), by its call id or a leg\'s channel id',
      params: ID_PARAM,
      responses: { 202: { description: 'hang-up asked of Asterisk; the call ends and is recorded', schema: shape({ id: { type: 'string' }, legs: { type: 'integer' } }) }, 404: { description: 'no such call is up' } },
      handle: async ({ params }) => {
        const legs = await d.hangupCall(params.id);
        if (legs === 0) throw new ApiError('NOT_FOUND', `no call ${JSON.stringify(params.id)} is up (ended calls are in the CDRs)`, { field: 'id' });
        return { status: 202, body: { id: params.id, legs } };
      },
    }),
  ];
}
