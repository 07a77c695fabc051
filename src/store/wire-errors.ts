// How an error crosses the SQLite writer thread's message port and comes out as the same typed
// error it was inside the thread. Structured clone keeps an Error's name, message and stack but
// drops its class and its `code`/`errno`, which is what classifyDbError decides on; so each kind
// the store throws is rebuilt as its own class (better-sqlite3's SqliteError, knex's
// KnexTimeoutError, StoreError) and anything else as an Error carrying the same code and errno.

import BetterSqlite3 from 'better-sqlite3';
import { KnexTimeoutError } from 'knex';
import { StoreError, type StoreErrorCode } from './store-errors';

export interface WireError {
  kind: 'sqlite' | 'store' | 'knex-timeout' | 'other';
  name: string;
  message: string;
  stack?: string;
  code?: string;
  errno?: number;
  cause?: WireError;
}

// A cause chain longer than this is cut: the first links carry what classification needs.
const MAX_CAUSES = 4;

export function errorToWire(err: unknown, depth = 0): WireError {
  if (!(err instanceof Error)) return { kind: 'other', name: 'Error', message: String(err) };
  const { code, errno } = err as { code?: unknown; errno?: unknown };
  const kind: WireError['kind'] =
    err instanceof BetterSqlite3.SqliteError ? 'sqlite' : err instanceof StoreError ? 'store' : err instanceof KnexTimeoutError ? 'knex-timeout' : 'other';
  const wire: WireError = { kind, name: err.name, message: err.message };
  if (err.stack !== undefined) wire.stack = err.stack;
  if (typeof code === 'string') wire.code = code;
  if (typeof errno === 'number') wire.errno = errno;
  if (err.cause !== undefined && err.cause !== err && depth < MAX_CAUSES) wire.cause = errorToWire(err.cause, depth + 1);
  return wire;
}

export function errorFromWire(wire: WireError): Error {
  const cause = wire.cause === undefined ? undefined : errorFromWire(wire.cause);
  let err: Error;
  if (wire.kind === 'sqlite' && wire.code !== undefined) {
    err = new BetterSqlite3.SqliteError(wire.message, wire.code);
    if (cause !== undefined) err.cause = cause;
  } else if (wire.kind === 'store' && wire.code !== undefined) {
    err = new StoreError(wire.code as StoreErrorCode, wire.message, cause === undefined ? undefined : { cause });
  } else if (wire.kind === 'knex-timeout') {
    err = new KnexTimeoutError(wire.message);
    if (cause !== undefined) err.cause = cause;
  } else {
    err = new Error(wire.message, cause === undefined ? undefined : { cause });
    err.name = wire.name;
    if (wire.code !== undefined) (err as { code?: string }).code = wire.code;
  }
  if (wire.errno !== undefined) (err as { errno?: number }).errno = wire.errno;
  // The thread's stack says where it failed; the port hop adds nothing worth keeping.
  if (wire.stack !== undefined) err.stack = wire.stack;
  return err;
}
