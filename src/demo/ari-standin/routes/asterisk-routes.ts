// /ari/asterisk: info (build, system, config, status with startup and reload times), ping, and
// module reload - 204, 404 for a module not loaded, 409 when the module refuses the reload.

import { AriHttpError } from '../errors';
import { noContent, ok, strParam, type Route } from '../router';
import { ariTimestamp } from '../timestamp';

export type ModuleState = 'running' | 'not-running' | 'refuses-reload';

export interface AsteriskFacts {
  asteriskId: string;
  startupTime(): number;
  reloadTime(): number;
  reloaded(name: string): void;
  modules: Map<string, ModuleState>;
  now(): number;
}

export const ASTERISK_VERSION = '22.10.1';

export function asteriskRoutes(facts: AsteriskFacts): Route[] {
  return [
    {
      method: 'GET', pattern: /^\/ari\/asterisk\/info$/, handler: (req) => {
        const all: Record<string, unknown> = {
          build: { os: 'Linux', kernel: '6.1.0', machine: 'x86_64', options: 'BUILD_NATIVE, OPTIONAL_API', date: '2026-06-25 00:00:00 UTC', user: 'tdmgate' },
          system: { version: ASTERISK_VERSION, entity_id: facts.asteriskId },
          config: { name: '', default_language: 'en', setid: { user: 'asterisk', group: 'asterisk' } },
          status: { startup_time: ariTimestamp(facts.startupTime()), last_reload_time: ariTimestamp(facts.reloadTime()) },
        };
        const only = strParam(req, 'only');
        if (!only) return ok(all);
        return ok(Object.fromEntries(only.split(',').filter((k) => k in all).map((k) => [k, all[k]])));
      },
    },
    { method: 'GET', pattern: /^\/ari\/asterisk\/ping$/, handler: () => ok({ asterisk_id: facts.asteriskId, ping: 'pong', timestamp: ariTimestamp(facts.now()) }) },
    {
      method: 'GET', pattern: /^\/ari\/asterisk\/modules$/, handler: () =>
        ok([...facts.modules].map(([name, state]) => ({ name, description: name, use_count: 0, status: state === 'not-running' ? 'Not Running' : 'Running', support_level: 'core' }))),
    },
    {
      method: 'PUT', pattern: /^\/ari\/asterisk\/modules\/([^/]+)$/, handler: (req) => {
        const name = req.captures[0] ?? '';
        const state = facts.modules.get(name);
        if (state === undefined) throw new AriHttpError(404, 'Module could not be found in running modules');
        if (state !== 'running') throw new AriHttpError(409, 'Module could not be reloaded');
        facts.reloaded(name);
        return noContent();
      },
    },
  ];
}
