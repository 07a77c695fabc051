// Typed errors the HTTP layer raises itself: no or a bad token, a role too low, a request its
// route's schema refuses, a route or a resource that is not there, a token over its rate, the
// job queues switched off. Codes are stable; http-errors.ts gives each its status.

export type ApiErrorCode =
  /** No bearer token, or one that is unknown, revoked, expired or suspended. */
  | 'UNAUTHENTICATED'
  /** The tokens cannot be read (the database is away): nobody can be let in, nobody is to blame. */
  | 'AUTH_UNAVAILABLE'
  /** The token's role is below what the route declares. */
  | 'FORBIDDEN'
  /** Path, query or body refused by the route's schema: `errors` names each field. */
  | 'INVALID_REQUEST'
  /** The body is not JSON, or not sent as application/json. */
  | 'MALFORMED_BODY'
  | 'BODY_TOO_LARGE'
  /** No such route, or no such resource behind it (an active call that ended). */
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  /** The token used its bucket up; Retry-After says when the next request is let through. */
  | 'RATE_LIMITED'
  /** The route needs the job queues and they are off (TDMGATE_REDIS_URL=off). */
  | 'QUEUES_OFF';

/** One refused field: a JSON pointer in its part of the request, and what is allowed there. */
export interface FieldError {
  in: 'path' | 'query' | 'body';
  field: string;
  message: string;
  allowed?: unknown;
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  readonly allowed: unknown;
  readonly errors: readonly FieldError[];
  /** Seconds until a rate-limited token may try again. */
  readonly retryAfter: number | undefined;

  constructor(code: ApiErrorCode, message: string, options: { field?: string; allowed?: unknown; errors?: readonly FieldError[]; retryAfter?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.field = options.field;
    this.allowed = options.allowed;
    this.errors = options.errors ?? [];
    this.retryAfter = options.retryAfter;
  }
}
