// /ari/bridges: list, create (with or without an id), get, destroy, addChannel, removeChannel,
// play and record, with resource_bridges.c's lookups: the bridge first (404 "Bridge not found"),
// then the channels (400 not found, 422 not in Stasis). Bridge variables, video source and music
// on hold are left to the unmodelled routes (501).

import type { SimAsterisk } from '../asterisk';
import { allocationFailed } from '../errors';
import { boolParam, created, intParam, noContent, ok, strParam, type RestReply, type RestRequest, type Route } from '../router';
import { recordRequest } from './recording-routes';

export function bridgeRoutes(asterisk: SimAsterisk): Route[] {
  const bridges = asterisk.bridges;
  const bridge = (req: RestRequest): ReturnType<typeof bridges.get> => bridges.get(req.captures[0] ?? '');
  const create = (req: RestRequest, id: string | undefined, withId: boolean): RestReply =>
    ok(bridges.create({ ...(id !== undefined ? { id } : {}), type: strParam(req, 'type'), name: strParam(req, 'name'), withId }).toJSON());
  return [
    { method: 'GET', pattern: /^\/ari\/bridges$/, handler: () => ok(bridges.list().map((b) => b.toJSON())) },
    { method: 'POST', pattern: /^\/ari\/bridges$/, handler: (req) => create(req, strParam(req, 'bridgeId'), false) },
    { method: 'POST', pattern: /^\/ari\/bridges\/([^/]+)$/, handler: (req) => create(req, req.captures[0], true) },
    { method: 'GET', pattern: /^\/ari\/bridges\/([^/]+)$/, handler: (req) => ok(bridge(req).toJSON()) },
    {
      method: 'DELETE', pattern: /^\/ari\/bridges\/([^/]+)$/, handler: (req) => {
        bridges.destroy(bridge(req));
        return noContent();
      },
    },
    {
      method: 'POST', pattern: /^\/ari\/bridges\/([^/]+)\/addChannel$/, handler: (req) => {
        const b = bridge(req);
        // role, absorbDTMF, mute and inhibitConnectedLineUpdates shape the media only: no event shows them.
        for (const flag of ['absorbDTMF', 'mute', 'inhibitConnectedLineUpdates']) boolParam(req, flag);
        bridges.addChannels(b, req.list('channel'));
        return noContent();
      },
    },
    {
      method: 'POST', pattern: /^\/ari\/bridges\/([^/]+)\/removeChannel$/, handler: (req) => {
        bridges.removeChannels(bridge(req), req.list('channel'));
        return noContent();
      },
    },
    { method: 'POST', pattern: /^\/ari\/bridges\/([^/]+)\/play$/, handler: (req) => play(asterisk, req, strParam(req, 'playbackId')) },
    { method: 'POST', pattern: /^\/ari\/bridges\/([^/]+)\/play\/([^/]+)$/, handler: (req) => play(asterisk, req, req.captures[1]) },
    {
      method: 'POST', pattern: /^\/ari\/bridges\/([^/]+)\/record$/, handler: (req) => {
        const target = bridges.target(bridge(req));
        const rec = asterisk.recordings.recordBridge(target, recordRequest(req));
        return created(`/recordings/live/${encodeURIComponent(rec.name)}`, rec);
      },
    },
  ];
}

/**
 * POST /bridges/{id}/play[/{playbackId}]: queued on the bridge's announcer (target_uri
 * "bridge:<id>"), 201 with its Location; no media is a failed allocation, as
 * stasis_app_control_play_uri refusing it gives there.
 */
function play(asterisk: SimAsterisk, req: RestRequest, playbackId: string | undefined): RestReply {
  const target = asterisk.bridges.target(asterisk.bridges.get(req.captures[0] ?? ''));
  const media = req.list('media');
  if (media.length === 0 || media.includes('')) throw allocationFailed();
  for (const p of ['skipms', 'offsetms']) intParam(req, p);
  const pb = asterisk.playbacks.play(target, media, { ...(playbackId ? { id: playbackId } : {}), lang: strParam(req, 'lang') ?? 'en' });
  return created(`/playbacks/${pb.id}`, pb);
}
