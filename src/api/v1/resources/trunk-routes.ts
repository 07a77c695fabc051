// The trunks as the supervisor sees them: GET /channels (every bearer channel's state, and the
// call on it: the Asterisk channel, numbers, direction, duration) and GET /groups,
// GET /groups/{group} (channels free, in use, blocked, and the reserve kept for inbound calls).
// Read-only; viewer.

import { reservedChannels } from '../../../jobs/capacity';
import type { SiteConfig } from '../../../provisioning/site/site-types';
import type { LegView } from '../../../supervisor/calls/call-legs';
import { settingsFor } from '../../../supervisor/outbound/prepare-call';
import type { TrunkMap } from '../../../supervisor/trunk-map';
import { CHANNEL_STATES } from '../../../supervisor/trunk-map/channel-states';
import { ApiError } from '../../api-errors';
import { route, type AnyRoute, type ObjectSchema } from '../route-types';
import { callView } from './call-views';
import { listOf, shape } from './schemas';

export interface TrunkDeps {
  site: SiteConfig;
  trunkMap: Pick<TrunkMap, 'snapshot' | 'groupCapacity'>;
  legs: () => LegView[];
  now?: () => number;
}

const CHANNELS_QUERY: ObjectSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    state: { enum: [...CHANNEL_STATES], description: 'only channels in this state' },
    span: { type: 'integer', minimum: 1 },
    group: { type: 'string', minLength: 1, description: 'trunk group name or number' },
  },
};

const GROUP_PARAM: ObjectSchema = {
  type: 'object', additionalProperties: false, required: ['group'],
  properties: { group: { type: 'string', minLength: 1, maxLength: 80, description: 'trunk group name or number' } },
};

const GROUP_SCHEMA = shape({
  name: { type: 'string' }, number: { type: 'integer' }, direction: { enum: ['in', 'out', 'both'] }, hunt: { type: 'string' },
  channels: { type: 'integer' }, free: { type: 'integer' }, inUse: { type: 'integer' }, blocked: { type: 'integer' },
  reserved: { type: 'integer', description: 'channels kept free for inbound calls (outbound groups)' },
  freeForOutbound: { type: 'integer', description: 'free less the reserve: what outbound calls may take now' },
  byState: { type: 'object' },
});

export function trunkRoutes(d: TrunkDeps): AnyRoute[] {
  const now = d.now ?? Date.now;
  const groupOf = (ref: string) => d.site.groups.find((g) => g.name === ref || String(g.number) === ref);

  const groupView = (name: string): Record<string, unknown> => {
    const g = d.site.groups.find((x) => x.name === name);
    if (g === undefined) throw new ApiError('NOT_FOUND', `no trunk group ${JSON.stringify(name)}`);
    const cap = d.trunkMap.groupCapacity(g.number);
    const snap = d.trunkMap.snapshot().groups.find((x) => x.group === g.number);
    const reserve = settingsFor(g.number, d.site.routing?.outbound ?? []).inboundReserve;
    const reserved = g.direction === 'in' ? 0 : Math.min(cap.free, reservedChannels(reserve, { free: cap.free, inUse: cap.inUse, unplaced: 0 }));
    return {
      name: g.name, number: g.number, direction: g.direction, hunt: g.hunt,
      channels: cap.free + cap.inUse + cap.blocked, free: cap.free, inUse: cap.inUse, blocked: cap.blocked,
      reserved, freeForOutbound: g.direction === 'in' ? 0 : cap.free - reserved, byState: snap?.counts ?? {},
    };
  };

  return [
    route<Record<string, never>, { state?: string; span?: number; group?: string }>({
      method: 'get', path: '/channels', permission: 'viewer', operationId: 'listChannels', tag: 'trunks',
      summary: 'every bearer channel: state, direction, and the call on it (Asterisk channel, numbers, duration)',
      query: CHANNELS_QUERY,
      responses: { 200: { description: 'the channels', schema: shape({ channels: listOf({ type: 'object' }) }) } },
      handle: ({ query }) => {
        const group = query.group === undefined ? undefined : groupOf(query.group);
        if (query.group !== undefined && group === undefined) {
          throw new ApiError('INVALID_REQUEST', `group ${JSON.stringify(query.group)} is not a trunk group of the site`, { field: 'group', allowed: d.site.groups.map((g) => g.name) });
        }
        const t = now();
        const byChannel = new Map(d.legs().filter((v) => v.leg.channel !== null).map((v) => [v.leg.channel as number, callView(v, t)]));
        const names = new Map(d.site.groups.map((g) => [g.number, g.name]));
        const channels = d.trunkMap.snapshot().channels
          .filter((c) => (query.state === undefined || c.state === query.state) && (query.span === undefined || c.span === query.span) && (group === undefined || c.groups.includes(group.number)))
          .map((c) => ({
            channel: c.channel, span: c.span, timeslot: c.timeslot, port: c.port, groups: c.groups.map((n) => names.get(n) ?? String(n)),
            state: c.state, direction: c.direction, since: new Date(c.since).toISOString(), call: byChannel.get(c.channel) ?? null,
          }));
        return { body: { channels } };
      },
    }),
    route({
      method: 'get', path: '/groups', permission: 'viewer', operationId: 'listGroups', tag: 'trunks',
      summary: 'every trunk group: channels free, in use, blocked, and reserved for inbound calls',
      responses: { 200: { description: 'the groups', schema: shape({ groups: listOf(GROUP_SCHEMA) }) } },
      handle: () => ({ body: { groups: d.site.groups.map((g) => groupView(g.name)) } }),
    }),
    route<{ group: string }>({
      method: 'get', path: '/groups/{group}', permission: 'viewer', operationId: 'getGroup', tag: 'trunks',
      summary: 'one trunk group, by name or number',
      params: GROUP_PARAM,
      responses: { 200: { description: 'the group', schema: GROUP_SCHEMA }, 404: { description: 'no such group' } },
      handle: ({ params }) => {
        const g = groupOf(params.group);
        if (g === undefined) throw new ApiError('NOT_FOUND', `no trunk group ${JSON.stringify(params.group)}; groups: ${d.site.groups.map((x) => x.name).join(', ')}`, { field: 'group' });
        return { body: groupView(g.name) };
      },
    }),
  ];
}

