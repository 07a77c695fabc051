// Turns a route table into an express Router: for every route, in this order, the bearer token
// (401 without a valid one), the route's permission (403), the token's rate (429), the path,
// query and body checked by the route's schemas (400 naming each field), then the handler.
// Failures of any step, and the handler's typed errors, leave as problem+json through the one
// error mapping. Every mutating request is written to the audit table once its answer is sent,
// refused ones too. Unknown paths under the base are a 404 problem, a known path with another
// method a 405 naming the allowed ones.

import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AuditEntry } from '../../store/api-audit';
import type { TokenCheck, TokenIdentity } from '../../store/api-tokens';
import { ApiError } from '../api-errors';
import { httpFailure } from '../http-errors';
import { allows, bearerSecret } from './access';
import { bodySummary } from './audit-summary';
import { sendProblem } from './problem';
import { TokenBuckets, type RateLimit } from './rate-limit';
import type { AnyRoute, ObjectSchema, RouteResult } from './route-types';
import { SchemaValidators, type PartValidator } from './schema-validation';

export interface RestRouterOptions {
  /** '/api/v1'. */
  base: string;
  routes: readonly AnyRoute[];
  tokens: { check(secret: string): Promise<TokenCheck> };
  audit: { record(entry: AuditEntry): Promise<void> };
  rateLimit: RateLimit;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Largest JSON body taken. */
  bodyLimit?: string;
}

const NO_QUERY: ObjectSchema = { type: 'object', additionalProperties: false, properties: {} };
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REASON: Readonly<Record<Exclude<TokenCheck, { ok: true }>['reason'], string>> = {
  unknown: 'the bearer token is not known',
  revoked: 'the bearer token was revoked',
  expired: 'the bearer token has expired',
  suspended: 'the bearer token is suspended (tdmgate token list shows why)',
};

/** `/calls/{id}` -> `/calls/:id` (express's form). */
export function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

function pathPattern(path: string): RegExp {
  return new RegExp(`^${path.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')}/?$`);
}

interface Compiled {
  route: AnyRoute;
  params: PartValidator | null;
  query: PartValidator;
  body: PartValidator | null;
}

export function restRouter(o: RestRouterOptions): Router {
  const router = Router();
  const validators = new SchemaValidators();
  const buckets = new TokenBuckets(o.rateLimit);
  const json = express.json({ limit: o.bodyLimit ?? '1mb', type: 'application/json' });
  const seen = new Set<string>();
  for (const r of o.routes) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) throw new Error(`route ${key} is declared twice`);
    seen.add(key);
    const c: Compiled = {
      route: r,
      params: r.params ? validators.compile('path', r.params) : null,
      // A route without a query schema takes no query: a parameter it would ignore is refused.
      query: validators.compile('query', r.query ?? NO_QUERY),
      body: r.body ? validators.compile('body', r.body) : null,
    };
    router[r.method](`${o.base}${expressPath(r.path)}`, ...(r.body ? [parsed(json)] : []), audited(o), authorised(o, r, buckets), served(c));
  }

  // Below the routes: a path of the API that no route has (404), or not with this method (405).
  const known = o.routes.map((r) => ({ pattern: pathPattern(`${o.base}${r.path}`), method: r.method.toUpperCase() }));
  router.use(o.base, audited(o), (req: Request, res: Response) => {
    const methods = [...new Set(known.filter((k) => k.pattern.test(req.originalUrl.split('?')[0] as string)).map((k) => k.method))];
    if (methods.length === 0) return sendProblem(res, httpFailure(new ApiError('NOT_FOUND', `no route ${req.method} ${req.originalUrl.split('?')[0]}; the routes are in ${o.base}/openapi.json`)), req.originalUrl);
    res.setHeader('Allow', methods.join(', '));
    sendProblem(res, httpFailure(new ApiError('METHOD_NOT_ALLOWED', `${req.method} is not served here; allowed: ${methods.join(', ')}`, { allowed: methods })), req.originalUrl);
  });
  router.use(o.base, (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    sendProblem(res, failureOf(err, o), req.originalUrl);
  });
  return router;
}

/** The JSON body parser's own errors as ours; everything else through the one mapping. */
function failureOf(err: unknown, o: RestRouterOptions): ReturnType<typeof httpFailure> {
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.parse.failed') return httpFailure(new ApiError('MALFORMED_BODY', `the body is not JSON: ${(err as Error).message}`, { field: '' }));
  if (type === 'entity.too.large') return httpFailure(new ApiError('BODY_TOO_LARGE', `the body is larger than ${o.bodyLimit ?? '1mb'}`));
  if ((typeof type === 'string' && type.startsWith('encoding')) || type === 'charset.unsupported') return httpFailure(new ApiError('MALFORMED_BODY', (err as Error).message));
  const f = httpFailure(err);
  if (f.status >= 500) o.log.error({ err: err instanceof Error ? err.message : String(err), code: f.code }, 'API request failed');
  return f;
}

/**
 * Reads the JSON body first, so the audit row of a refused request shows what was asked; a body
 * that is not JSON is held back and refused after the token and role checks, so a caller without
 * a token learns nothing from a 400.
 */
function parsed(json: RequestHandler): RequestHandler {
  return (req, res, next) => json(req, res, (err?: unknown) => {
    if (err !== undefined) res.locals.bodyError = err;
    next();
  });
}

/** A mutating request is written to the audit table once its answer has gone, whatever it was. */
function audited(o: RestRouterOptions): RequestHandler {
  return (req, res, next) => {
    if (MUTATING.has(req.method)) {
      res.once('finish', () => {
        const token = res.locals.token as TokenIdentity | undefined;
        o.audit.record({
          at: new Date(), tokenName: token?.name ?? '', method: req.method, path: req.originalUrl, remote: req.socket.remoteAddress ?? '',
          status: res.statusCode, body: bodySummary(req.body), result: typeof res.locals.refusal === 'string' ? res.locals.refusal : '',
        }).catch((err: unknown) => o.log.warn({ err: err instanceof Error ? err.message : String(err), path: req.originalUrl }, 'API audit row not written'));
      });
    }
    next();
  };
}

function authorised(o: RestRouterOptions, r: AnyRoute, buckets: TokenBuckets): RequestHandler {
  return (req, res, next) => {
    if (r.permission === 'public') return next();
    void (async () => {
      const secret = bearerSecret(req.get('authorization'));
      if (secret === null) throw new ApiError('UNAUTHENTICATED', 'this route needs a bearer token: Authorization: Bearer <token> (tdmgate token create)');
      const checked = await o.tokens.check(secret).catch((err: unknown) => {
        throw new ApiError('AUTH_UNAVAILABLE', 'the token cannot be checked now: the database does not answer; try again shortly', { cause: err });
      });
      if (!checked.ok) throw new ApiError('UNAUTHENTICATED', REASON[checked.reason]);
      res.locals.token = checked.token;
      if (!allows(checked.token.role, r.permission)) {
        throw new ApiError('FORBIDDEN', `${r.method.toUpperCase()} ${r.path} needs the ${r.permission} role; token ${checked.token.name} is ${checked.token.role}`, { allowed: r.permission });
      }
      const wait = buckets.take(checked.token.name);
      if (wait > 0) throw new ApiError('RATE_LIMITED', `token ${checked.token.name} made more than ${o.rateLimit.burst} requests at ${o.rateLimit.perSecond}/s; try again in ${wait} s`, { retryAfter: wait });
    })().then(() => next(), next);
  };
}

function served(c: Compiled): RequestHandler {
  return (req, res, next) => {
    void (async () => {
      if (res.locals.bodyError !== undefined) throw res.locals.bodyError;
      const params = c.params ? c.params({ ...req.params }) : {};
      const query = c.query({ ...(req.query as Record<string, unknown>) });
      if (!c.body && hasBody(req)) throw new ApiError('INVALID_REQUEST', `${req.method} ${c.route.path} takes no body`, { field: '', errors: [{ in: 'body', field: '', message: 'this route takes no body' }] });
      if (c.body && req.body === undefined) throw new ApiError('MALFORMED_BODY', 'this route takes a JSON body: send it with Content-Type: application/json', { field: '' });
      const body = c.body ? c.body(req.body) : undefined;
      const result = await c.route.handle({ params, query, body, token: (res.locals.token as TokenIdentity | undefined) ?? null });
      send(req, res, result);
    })().catch(next);
  };
}

function hasBody(req: Request): boolean {
  return Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
}

function send(req: Request, res: Response, r: RouteResult): void {
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  if (r.stream) return r.stream(req, res);
  res.status(r.status ?? 200);
  if (r.text) res.type(r.text.contentType).send(r.text.content);
  else if (r.body === undefined) res.end();
  else res.json(r.body);
}
