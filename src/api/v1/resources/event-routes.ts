// GET /api/v1/events: the live event stream (server-sent events) - channel, span, call and job
// events, a snapshot first, resumable with Last-Event-ID (or `lastEventId` where a client cannot
// set headers). Through the rest router like every route, so a token and the viewer role are
// checked before the stream opens; then the stream takes the response over (events/event-stream.ts).

import type { EventStream } from '../../events/event-stream';
import { STREAM_EVENT_TYPES } from '../../events/live-events';
import { route, type AnyRoute } from '../route-types';

const TYPE = `(${STREAM_EVENT_TYPES.join('|')})`;

export function eventRoutes(d: { events: Pick<EventStream, 'serve'> }): AnyRoute[] {
  return [route<Record<string, never>, { types?: string; lastEventId?: string }>({
    method: 'get', path: '/events', permission: 'viewer', operationId: 'streamEvents', tag: 'events',
    summary: 'live events as text/event-stream: a snapshot of the trunks first, then channel, span, call and job events',
    query: {
      type: 'object', additionalProperties: false, properties: {
        types: { type: 'string', pattern: `^${TYPE}(,${TYPE})*$`, description: `comma-separated event types to receive: ${STREAM_EVENT_TYPES.join(', ')}; default all` },
        lastEventId: { type: 'string', maxLength: 64, description: 'resume after this event (as the Last-Event-ID header, which wins)' },
      },
    },
    responses: { 200: { description: 'the event stream; stays open', contentType: 'text/event-stream' } },
    handle: ({ query }) => ({
      stream: (req, res) => d.events.serve(req, res, query.types === undefined ? null : new Set(query.types.split(',')), req.get('Last-Event-ID') ?? query.lastEventId),
    }),
  })];
}
