// The REST routing of the stand-in: a table of method + path pattern -> handler, Asterisk's
// answers for no such resource (404) and a known path with another method (405), and the
// parameters merged as res_ari does (query string, then the JSON body's fields).

import { AriHttpError, badRequest } from './errors';

export interface RestRequest {
  method: string;
  path: string;
  /** Query parameters, with a JSON object body's fields merged in (body wins, as res_ari). */
  params: Map<string, string>;
  /** Every value of query parameter `name`, comma lists split (allowMultiple parameters). */
  list(name: string): string[];
  body: unknown;
  /** Captures of the path pattern, URI-decoded. */
  captures: string[];
  host: string;
}

export interface RestReply {
  status: number;
  json?: unknown;
  /** A binary body instead of JSON (a stored recording's file), with its Content-Type. */
  bytes?: { body: Buffer; contentType: string };
  /** 201 Created: where the new resource lives (res_ari's ast_ari_response_created). */
  location?: string;
}

export type Handler = (req: RestRequest) => RestReply;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

export const ok = (json: unknown): RestReply => ({ status: 200, json });
export const noContent = (): RestReply => ({ status: 204 });
export const created = (location: string, json: unknown): RestReply => ({ status: 201, json, location });

export class Router {
  private readonly routes: Route[] = [];

  add(...routes: Route[]): void {
    this.routes.push(...routes);
  }

  dispatch(method: string, path: string, build: (captures: string[]) => RestRequest): RestReply {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      return r.handler(build(m.slice(1).map((c) => decodeURIComponent(c))));
    }
    if (pathMatched) throw new AriHttpError(405, 'Invalid method');
    throw new AriHttpError(404, 'Resource not found');
  }
}

export function intParam(req: RestRequest, name: string): number | undefined {
  const v = req.params.get(name);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`Invalid value for ${name}`);
  return n;
}

/** ast_true's reading of a boolean parameter: yes, true, y, t, 1, on (any case); absent is false. */
export function boolParam(req: RestRequest, name: string): boolean {
  return /^(yes|true|y|t|1|on)$/i.test(req.params.get(name) ?? '');
}

export function strParam(req: RestRequest, name: string): string | undefined {
  const v = req.params.get(name);
  return v === undefined || v === '' ? undefined : v;
}
