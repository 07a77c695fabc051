// /ari/endpoints (chan_dahdi creates none: DAHDI is a 404) and /ari/applications (the Stasis
// apps registered by an open events socket, with the channels and bridges they are subscribed to).

import { AriHttpError } from '../errors';
import { ok, type Route } from '../router';

export interface AppFacts {
  apps(): string[];
  channelIdsOf(app: string): string[];
  /** Bridges the app is subscribed to (one of its channels is in them). */
  bridgeIdsOf(app: string): string[];
}

export function miscRoutes(facts: AppFacts): Route[] {
  const appJson = (name: string): unknown => ({
    name, channel_ids: facts.channelIdsOf(name), bridge_ids: facts.bridgeIdsOf(name), endpoint_ids: [], device_names: [],
    events_allowed: [], events_disallowed: [],
  });
  return [
    { method: 'GET', pattern: /^\/ari\/endpoints$/, handler: () => ok([]) },
    {
      method: 'GET', pattern: /^\/ari\/endpoints\/([^/]+)$/, handler: (req) => {
        throw new AriHttpError(404, `No Endpoints found - invalid tech ${req.captures[0] ?? ''}`);
      },
    },
    {
      method: 'GET', pattern: /^\/ari\/endpoints\/([^/]+)\/([^/]+)$/, handler: () => {
        throw new AriHttpError(404, 'Endpoint not found');
      },
    },
    { method: 'GET', pattern: /^\/ari\/applications$/, handler: () => ok(facts.apps().map(appJson)) },
    {
      method: 'GET', pattern: /^\/ari\/applications\/([^/]+)$/, handler: (req) => {
        const name = req.captures[0] ?? '';
        if (!facts.apps().includes(name)) throw new AriHttpError(404, 'Application not found');
        return ok(appJson(name));
      },
    },
  ];
}
