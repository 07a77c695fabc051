// Every other operation the Swagger documents declare, so a request the stand-in does not model
// still gets Asterisk's lookup answer first - 404 "Channel not found" / "Bridge not found" /
// "Playback not found" for an unknown id, as the real resource does before anything else - and
// then 501 for the operation itself, never a misleading 404 "Resource not found" for a path
// Asterisk has. Added after the modelled routes, which win. (Every recordings operation is
// modelled, so no recordingName lookup is needed here.)

import type { ApiDocs } from '../api-docs';
import { AriHttpError } from '../errors';
import type { Route } from '../router';

export interface Lookups {
  /** Throws Asterisk's 404 when the id is unknown. */
  channel(id: string): void;
  playback(id: string): void;
  bridge(id: string): void;
}

/** Path parameter -> the check Asterisk makes on it. */
function checks(lookups: Lookups): Readonly<Record<string, (id: string) => void>> {
  return {
    channelId: (id) => lookups.channel(id),
    playbackId: (id) => lookups.playback(id),
    bridgeId: (id) => lookups.bridge(id),
  };
}

interface ApiDeclaration {
  path: string;
  operations: { httpMethod: string }[];
}

export function unmodelledRoutes(docs: ApiDocs, lookups: Lookups): Route[] {
  const byParam = checks(lookups);
  const routes: Route[] = [];
  for (const [file, doc] of docs.docs) {
    if (file === 'resources.json' || file === 'events.json') continue;
    for (const api of (doc.apis ?? []) as ApiDeclaration[]) {
      const names = [...api.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
      const pattern = new RegExp(`^/ari${api.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '([^/]+)')}$`);
      for (const op of api.operations) {
        routes.push({
          method: op.httpMethod, pattern, handler: (req) => {
            names.forEach((name, i) => byParam[name]?.(req.captures[i] ?? ''));
            throw new AriHttpError(501, 'Not implemented by the ARI stand-in');
          },
        });
      }
    }
  }
  return routes;
}
