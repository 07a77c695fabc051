// The one place that says which HTTP status each of the project's errors becomes. Every route
// (health, /api/v1) hands its failures here; the tables below are the whole policy,
// so a new error code gets its status in one line and a test that walks every code keeps them
// complete. Anything not in them is a 500: a bug, not a client's mistake.

import { HardwareError, type HardwareErrorCode } from '../hardware/errors';
import { JobError, type JobErrorCode } from '../jobs/job-errors';
import { CdrSearchError, type CdrSearchErrorCode } from '../store/cdr-search-errors';
import { TokenError, type TokenErrorCode } from '../store/token-errors';
import { AriError, type AriErrorKind } from '../supervisor/ari/ari-errors';
import { CdrError, type CdrErrorCode } from '../supervisor/cdr/cdr-errors';
import { OutboundError, type OutboundErrorCode } from '../supervisor/outbound/errors';
import { TrunkMapError, type TrunkMapErrorCode } from '../supervisor/trunk-map/errors';
import { ApiError, type ApiErrorCode, type FieldError } from './api-errors';

export interface HttpFailure {
  status: number;
  /** Stable, machine-readable: the error's code or kind ('INVALID_NUMBER', 'ari-timeout'). */
  code: string;
  message: string;
  /** The request field at fault, when the error names one. */
  field?: string;
  /** What the field allows, when the error says. */
  allowed?: unknown;
  /** Every refused field of a request a schema refused. */
  errors?: readonly FieldError[];
  /** Seconds to wait (429). */
  retryAfter?: number;
}

/** A request the site can never carry is the client's (400/404/409); ARI trouble is ours (502/503/504). */
export const OUTBOUND_STATUS: Readonly<Record<OutboundErrorCode, number>> = {
  INVALID_NUMBER: 400,
  NO_NUMBERING: 400,
  INVALID_REQUEST: 400,
  UNKNOWN_GROUP: 404,
  UNKNOWN_TARGET: 404,
  GROUP_NOT_OUTBOUND: 409,
  // The request is understood and refused for who asks or where it goes: the guard's rule says which.
  GUARD_REFUSED: 403,
};

export const ARI_STATUS: Readonly<Record<AriErrorKind, number>> = {
  'not-ready': 503,
  unavailable: 503,
  timeout: 504,
  'not-found': 404,
  // chan_dahdi had no free channel: the trunks are full, try later.
  'allocation-failed': 503,
  rejected: 502,
};

export const TRUNK_MAP_STATUS: Readonly<Record<TrunkMapErrorCode, number>> = {
  BAD_CHANNEL_NAME: 400,
  BAD_DIAL_STRING: 400,
  UNKNOWN_CHANNEL: 404,
  UNKNOWN_SPAN: 404,
  UNKNOWN_GROUP: 404,
  NOT_A_BEARER: 409,
  CHANNEL_UNAVAILABLE: 409,
  BAD_TRANSITION: 409,
  NOT_RUNNING: 503,
  BAD_TRANSITION_TABLE: 500,
};

export const HARDWARE_STATUS: Readonly<Record<HardwareErrorCode, number>> = {
  UNKNOWN_SPAN: 404,
  UNKNOWN_CHANNEL: 404,
  CHANNEL_BUSY: 409,
  CHANNEL_UNCONFIGURED: 409,
  IOCTL_UNSUPPORTED: 501,
  DRIVER_MISSING: 503,
  BINDING_MISSING: 503,
  CLOSED: 503,
  PERMISSION_DENIED: 500,
  SYSTEM_ERROR: 500,
  SCENARIO_INVALID: 500,
};

export const CDR_STATUS: Readonly<Record<CdrErrorCode, number>> = {
  CDR_INVALID: 400,
  CDR_REJECTED_BY_DATABASE: 422,
  SPOOL_FAILED: 503,
  SPOOL_CORRUPT: 500,
  SINK_CLOSED: 503,
};

export const API_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  AUTH_UNAVAILABLE: 503,
  FORBIDDEN: 403,
  INVALID_REQUEST: 400,
  MALFORMED_BODY: 400,
  BODY_TOO_LARGE: 413,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  RATE_LIMITED: 429,
  QUEUES_OFF: 503,
};

/** Redis away is ours (503); a refused job, an unknown id or a wrong state are the client's. */
export const JOB_STATUS: Readonly<Record<JobErrorCode, number>> = {
  REDIS_UNAVAILABLE: 503,
  INVALID_JOB: 400,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
};

export const TOKEN_STATUS: Readonly<Record<TokenErrorCode, number>> = {
  INVALID_TOKEN_REQUEST: 400,
  NAME_TAKEN: 409,
  TOKEN_NOT_FOUND: 404,
};

/** A search the store refuses (a filter, a cursor it never handed out) is the client's to fix. */
export const CDR_SEARCH_STATUS: Readonly<Record<CdrSearchErrorCode, number>> = {
  QUERY_INVALID: 400,
  CURSOR_INVALID: 400,
};

export function httpFailure(err: unknown): HttpFailure {
  if (err instanceof ApiError) {
    return {
      status: API_STATUS[err.code], code: err.code, message: err.message,
      ...(err.field === undefined ? {} : { field: err.field }), ...(err.allowed === undefined ? {} : { allowed: err.allowed }),
      ...(err.errors.length === 0 ? {} : { errors: err.errors }), ...(err.retryAfter === undefined ? {} : { retryAfter: err.retryAfter }),
    };
  }
  if (err instanceof JobError) return { status: JOB_STATUS[err.code], code: err.code, message: err.message, ...(err.field === undefined ? {} : { field: err.field }) };
  if (err instanceof CdrSearchError) return { status: CDR_SEARCH_STATUS[err.code], code: err.code, message: err.message, field: err.field, allowed: err.allowed };
  if (err instanceof TokenError) return { status: TOKEN_STATUS[err.code], code: err.code, message: err.message, ...(err.field === undefined ? {} : { field: err.field }) };
  if (err instanceof OutboundError) return { status: OUTBOUND_STATUS[err.code], code: err.code, message: err.message, field: err.field };
  if (err instanceof AriError) return { status: ARI_STATUS[err.kind], code: `ari-${err.kind}`, message: err.message };
  if (err instanceof TrunkMapError) return { status: TRUNK_MAP_STATUS[err.code], code: err.code, message: err.message };
  if (err instanceof HardwareError) return { status: HARDWARE_STATUS[err.code], code: err.code, message: err.message };
  if (err instanceof CdrError) return { status: CDR_STATUS[err.code], code: err.code, message: err.message, ...(err.field === undefined ? {} : { field: err.field }) };
  return { status: 500, code: 'INTERNAL', message: 'internal error' };
}
