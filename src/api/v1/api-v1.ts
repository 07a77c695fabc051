// /api/v1: the REST API, assembled from one route table per resource - hardware, trunks, calls,
// jobs and campaigns (when the queues run), the live events, call records, admin, health - served by the one rest router and
// published as the OpenAPI 3.1 document at /api/v1/openapi.json. It gets services, never the
// App: the composition root hands it what each resource needs. A resource joins with one line
// in the list below (and its services in ApiV1Deps).

import type { Router } from 'express';
import type { HardwareBackend } from '../../hardware/types';
import type { SiteConfig } from '../../provisioning/site/site-types';
import type { ApiAuditLog } from '../../store/api-audit';
import type { ApiTokenStore } from '../../store/api-tokens';
import type { CdrSearch } from '../../store/cdr-search';
import type { DchannelStates } from '../dchannel-states';
import type { EventStream } from '../events/event-stream';
import type { ReadinessProbe } from '../health-routes';
import { openApiDocument } from './openapi';
import type { RateLimit } from './rate-limit';
import { adminRoutes } from './resources/admin-routes';
import { callRoutes, type CallDeps } from './resources/call-routes';
import { cdrRoutes } from './resources/cdr-routes';
import { eventRoutes } from './resources/event-routes';
import { hardwareRoutes } from './resources/hardware-routes';
import { queueRoutes, type QueueDeps } from './resources/queue-routes';
import { SpanReadings } from './resources/span-readings';
import { trunkRoutes, type TrunkDeps } from './resources/trunk-routes';
import { restRouter } from './rest-router';
import { route, type AnyRoute } from './route-types';
import { shape } from './resources/schemas';

export const API_BASE = '/api/v1';

/** The version of this API's description (OpenAPI info.version): rises when routes change. */
export const API_VERSION = '1.0.0';

export interface ApiV1Deps {
  site: SiteConfig;
  backend: Pick<HardwareBackend, 'cards' | 'spans' | 'span' | 'channels'>;
  trunkMap: TrunkDeps['trunkMap'];
  calls: Omit<CallDeps, 'log'>;
  /** The job queues' services, or null when they are off (their routes answer 503 QUEUES_OFF). */
  queues: QueueDeps['queues'];
  tokens: ApiTokenStore;
  audit: ApiAuditLog;
  /** The CDR store's search behind GET /cdrs and /cdrs.csv. */
  cdrs: Pick<CdrSearch, 'search' | 'exportCsv'>;
  /** Each span's D-channel (GET /spans). */
  dchannels: Pick<DchannelStates, 'of'>;
  /** The live event stream behind GET /events. */
  events: Pick<EventStream, 'serve'>;
  readiness: ReadinessProbe;
  rateLimit: RateLimit;
  log: CallDeps['log'] & { error(obj: object, msg: string): void };
}

export function apiV1(d: ApiV1Deps): Router {
  const readings = new SpanReadings();
  const routes: AnyRoute[] = [
    ...hardwareRoutes({ backend: d.backend, readings, dchannels: d.dchannels }),
    ...trunkRoutes({ site: d.site, trunkMap: d.trunkMap, legs: d.calls.legs }),
    ...callRoutes({ ...d.calls, log: d.log }),
    ...queueRoutes({ site: d.site, queues: d.queues }),
    ...eventRoutes({ events: d.events }),
    ...cdrRoutes({ search: d.cdrs }),
    ...adminRoutes({ tokens: d.tokens, audit: d.audit }),
    route({
      method: 'get', path: '/me', permission: 'viewer', operationId: 'getMe', tag: 'health',
      summary: 'the token this request carries: its name and role (what the web page may offer)',
      responses: { 200: { description: 'the token', schema: shape({ name: { type: 'string' }, role: { enum: ['viewer', 'operator', 'admin'] } }) } },
      handle: ({ token }) => ({ body: { name: token?.name ?? '', role: token?.role ?? 'viewer' } }),
    }),
    route({
      method: 'get', path: '/health', permission: 'viewer', operationId: 'getHealth', tag: 'health',
      summary: 'whether each part is ready: ARI, the CDR store, the job queues, the hardware',
      responses: { 200: { description: 'ready', schema: shape({ ready: { type: 'boolean' }, checks: { type: 'object' } }) }, 503: { description: 'a part is not ready (the same body)' } },
      handle: () => {
        const checks = d.readiness();
        const ready = Object.values(checks).every((c) => c.ok);
        return { status: ready ? 200 : 503, body: { ready, checks } };
      },
    }),
  ];
  const docRoute = route({
    method: 'get', path: '/openapi.json', permission: 'public', operationId: 'getOpenApi', tag: 'health',
    summary: 'this document: every route, its permission and its schemas',
    responses: { 200: { description: 'the OpenAPI 3.1 document', schema: { type: 'object' } } },
    handle: () => ({ body: document }),
  });
  const all = [...routes, docRoute];
  const document = openApiDocument(API_BASE, all, {
    title: 'tdmgate REST API', version: API_VERSION,
    description: 'Cards, spans, channels, trunk groups, calls, jobs and campaigns of one tdmgate supervisor. Bearer tokens from `tdmgate token create`; errors as application/problem+json (RFC 9457).',
  });
  const router = restRouter({ base: API_BASE, routes: all, tokens: d.tokens, audit: d.audit, rateLimit: d.rateLimit, log: d.log });
  return router;
}
