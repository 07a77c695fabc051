// /ari/playbacks/{id}: the playback's JSON, and stop (204, PlaybackFinished); 404 "Playback not
// found" for an id that is not playing or queued.

import type { Playbacks } from '../playbacks';
import { noContent, ok, type Route } from '../router';

export function playbackRoutes(playbacks: Playbacks): Route[] {
  return [
    { method: 'GET', pattern: /^\/ari\/playbacks\/([^/]+)$/, handler: (req) => ok(playbacks.get(req.captures[0] ?? '')) },
    {
      method: 'DELETE', pattern: /^\/ari\/playbacks\/([^/]+)$/, handler: (req) => {
        playbacks.stop(req.captures[0] ?? '');
        return noContent();
      },
    },
  ];
}
