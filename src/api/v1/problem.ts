// Errors as RFC 9457 problem details (application/problem+json): a stable type URI per code, a
// title, the status, the detail, the request path as the instance, and tdmgate's members - the
// code, the field at fault and what it allows, every refused field of a request. Built from the
// one error-to-status mapping (http-errors.ts), so /api/v1 and the CLI never disagree on a code.

import type { Response } from 'express';
import type { FieldError } from '../api-errors';
import type { HttpFailure } from '../http-errors';
import type { JsonSchema } from './route-types';

export const PROBLEM_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  field?: string;
  allowed?: unknown;
  errors?: readonly FieldError[];
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** `INVALID_NUMBER` -> `urn:tdmgate:problem:invalid-number`: stable, and names the code. */
export function problemType(code: string): string {
  return `urn:tdmgate:problem:${code.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

export function problemOf(f: HttpFailure, instance: string): Problem {
  return {
    type: problemType(f.code),
    title: TITLES[f.status] ?? 'Error',
    status: f.status,
    detail: f.message,
    instance,
    code: f.code,
    ...(f.field === undefined ? {} : { field: f.field }),
    ...(f.allowed === undefined ? {} : { allowed: f.allowed }),
    ...(f.errors === undefined ? {} : { errors: f.errors }),
  };
}

export function sendProblem(res: Response, f: HttpFailure, instance: string): void {
  if (f.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="tdmgate"');
  if (f.retryAfter !== undefined) res.setHeader('Retry-After', String(f.retryAfter));
  // The audit row of the request says why it was refused.
  res.locals.refusal = `${f.code}: ${f.message}`;
  res.status(f.status).type(PROBLEM_TYPE).send(JSON.stringify(problemOf(f, instance)));
}

/** The problem document's schema, as the OpenAPI document publishes it. */
export const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', description: 'urn:tdmgate:problem:<code>' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'what was refused and why, in words' },
    instance: { type: 'string', description: 'the request path' },
    code: { type: 'string', description: 'stable machine-readable code (INVALID_NUMBER, FORBIDDEN, ...)' },
    field: { type: 'string', description: 'the field at fault' },
    allowed: { description: 'what the field allows' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['in', 'field', 'message'],
        properties: { in: { enum: ['path', 'query', 'body'] }, field: { type: 'string', description: 'JSON pointer, /number' }, message: { type: 'string' }, allowed: {} },
      },
    },
  },
};
