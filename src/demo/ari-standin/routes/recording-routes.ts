// Recording over ARI: POST /channels/{id}/record, /recordings/live/{name} (get, cancel, stop,
// pause/unpause, mute/unmute - 404 "Recording not found" once it is over, 409 "Recording not in
// session" where the state allows no such operation) and /recordings/stored (list, get, the
// file's bytes with "audio/<format>", delete, copy).

import type { SimAsterisk } from '../asterisk';
import type { RecordRequest, RecordingOperation } from '../recordings';
import { boolParam, created, intParam, noContent, ok, strParam, type RestRequest, type Route } from '../router';

/** The parameters of a record request (channel or bridge). */
export function recordRequest(req: RestRequest): RecordRequest {
  return {
    name: strParam(req, 'name'), format: strParam(req, 'format'),
    maxDurationSeconds: intParam(req, 'maxDurationSeconds'), maxSilenceSeconds: intParam(req, 'maxSilenceSeconds'),
    ifExists: strParam(req, 'ifExists'), beep: boolParam(req, 'beep'), terminateOn: strParam(req, 'terminateOn'),
  };
}

export function recordingRoutes(asterisk: SimAsterisk): Route[] {
  const live = asterisk.recordings;
  const stored = live.store;
  const name = (captures: string[]): string => captures[0] ?? '';
  const operation = (method: string, suffix: string, op: RecordingOperation): Route => ({
    method, pattern: new RegExp(`^/ari/recordings/live/([^/]+)${suffix}$`), handler: (req) => {
      live.operate(name(req.captures), op);
      return noContent();
    },
  });
  return [
    {
      method: 'POST', pattern: /^\/ari\/channels\/([^/]+)\/record$/, handler: (req) => {
        const rec = live.recordChannel(name(req.captures), recordRequest(req));
        return created(`/recordings/live/${encodeURIComponent(rec.name)}`, rec);
      },
    },
    { method: 'GET', pattern: /^\/ari\/recordings\/live\/([^/]+)$/, handler: (req) => ok(live.get(name(req.captures))) },
    operation('DELETE', '', 'cancel'),
    operation('POST', '/stop', 'stop'),
    operation('POST', '/pause', 'pause'),
    operation('DELETE', '/pause', 'unpause'),
    operation('POST', '/mute', 'mute'),
    operation('DELETE', '/mute', 'unmute'),
    { method: 'GET', pattern: /^\/ari\/recordings\/stored$/, handler: () => ok(stored.list()) },
    {
      method: 'GET', pattern: /^\/ari\/recordings\/stored\/([^/]+)$/, handler: (req) => {
        const found = stored.get(name(req.captures));
        return ok({ name: found.name, format: found.format });
      },
    },
    {
      method: 'DELETE', pattern: /^\/ari\/recordings\/stored\/([^/]+)$/, handler: (req) => {
        stored.delete(name(req.captures));
        return noContent();
      },
    },
    {
      method: 'GET', pattern: /^\/ari\/recordings\/stored\/([^/]+)\/file$/, handler: (req) => {
        const { bytes, contentType } = stored.file(name(req.captures));
        return { status: 200, bytes: { body: bytes, contentType } };
      },
    },
    {
      method: 'POST', pattern: /^\/ari\/recordings\/stored\/([^/]+)\/copy$/, handler: (req) =>
        ok(stored.copy(name(req.captures), strParam(req, 'destinationRecordingName'))),
    },
  ];
}
