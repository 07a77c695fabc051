// Typed errors of the store and the one place that says which database errors are transient.
// Drivers report failures as codes (mysql2: 'ECONNREFUSED', 'PROTOCOL_CONNECTION_LOST',
// 'ER_LOCK_DEADLOCK'; better-sqlite3: 'SQLITE_BUSY', 'SQLITE_IOERR_WRITE'); callers decide on
// the class returned here, never on message text.

import { KnexTimeoutError } from 'knex';

export type StoreErrorCode =
  | 'URL_INVALID'
  | 'MIGRATION_FAILED'
  | 'TIMEOUT'
  | 'CLOSED'
  /** The SQLite writer thread died or exited mid-request (transient: a new thread is started). */
  | 'WORKER_EXITED'
  /** The SQLite writer thread's script is not where the build puts it (a packaging fault). */
  | 'WORKER_MISSING';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}

/**
 * transient: the database is away or busy and the same write will succeed later (spool it).
 * data: the database refused these values; retrying the same row fails again (isolate it).
 * fatal: the database answers but cannot take writes as configured (grants, missing table);
 *        an operator must act, the write will succeed once they have.
 */
export type DbErrorClass = 'transient' | 'data' | 'fatal';

// Socket and server-state failures: the server is down, restarting, or the link broke.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_PACKETS_OUT_OF_ORDER',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_NORMAL_SHUTDOWN',
  'ER_SHUTDOWN_COMPLETE',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_OPTION_PREVENTS_STATEMENT', // read-only replica during a failover
  'ER_HOST_IS_BLOCKED',
  'ER_OUT_OF_RESOURCES',
  'ER_DISK_FULL',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_PROTOCOL',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
  'SQLITE_NOMEM',
]);

// MySQL server error numbers with the same meaning, for drivers that set only errno.
const TRANSIENT_ERRNOS = new Set([1040, 1053, 1077, 1079, 1152, 1158, 1159, 1160, 1161, 1205, 1213, 1317, 1927, 2002, 2003, 2006, 2013]);

// Values the table refuses: too long, out of range, NULL in a NOT NULL column, a failed CHECK.
const DATA_CODES = new Set([
  'ER_DATA_TOO_LONG',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  'ER_WARN_DATA_OUT_OF_RANGE',
  'ER_BAD_NULL_ERROR',
  'ER_NO_DEFAULT_FOR_FIELD',
  'ER_CHECK_CONSTRAINT_VIOLATED',
  'ER_CONSTRAINT_FAILED',
  'WARN_DATA_TRUNCATED',
  'ER_WRONG_VALUE_COUNT_ON_ROW',
  'SQLITE_CONSTRAINT_NOTNULL',
  'SQLITE_CONSTRAINT_CHECK',
  'SQLITE_MISMATCH',
  'SQLITE_TOOBIG',
]);

export function classifyDbError(err: unknown): DbErrorClass {
  if (err instanceof KnexTimeoutError || isStoreError(err, 'TIMEOUT') || isStoreError(err, 'WORKER_EXITED')) return 'transient';
  if (typeof err !== 'object' || err === null) return 'fatal';
  const { code, errno } = err as { code?: unknown; errno?: unknown };
  if (typeof code === 'string') {
    if (TRANSIENT_CODES.has(code) || DATA_CODES.has(code)) return TRANSIENT_CODES.has(code) ? 'transient' : 'data';
    // better-sqlite3 extends the base code: SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED, ...
    if (/^SQLITE_(IOERR|READONLY|BUSY|LOCKED|CANTOPEN)(_|$)/.test(code)) return 'transient';
  }
  if (typeof errno === 'number' && TRANSIENT_ERRNOS.has(errno)) return 'transient';
  // A failure while connecting carries the socket error as its cause (mysql2, AggregateError).
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== err) return classifyDbError(cause);
  if (err instanceof AggregateError && err.errors.length > 0) return classifyDbError(err.errors[0]);
  return 'fatal';
}
