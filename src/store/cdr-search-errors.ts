// Typed errors of the CDR search. Codes are stable: the HTTP API maps them to 400s and the CLI
// to exit codes, never the message text. `field` names the refused part of the query and
// `allowed` says in a few words what would have been taken, so a caller can fix the right thing.

export type CdrSearchErrorCode =
  /** A filter, the limit or the query's shape is refused: `field` names it. */
  | 'QUERY_INVALID'
  /** The cursor is not one this service handed out (edited, truncated, or from elsewhere). */
  | 'CURSOR_INVALID';

export class CdrSearchError extends Error {
  readonly code: CdrSearchErrorCode;
  /** The query field refused: 'from', 'number', 'timeslot', 'cursor'... */
  readonly field: string;
  /** What the field takes, e.g. 'an integer 1-1000'. */
  readonly allowed: string;

  constructor(code: CdrSearchErrorCode, field: string, allowed: string, message: string) {
    super(message);
    this.name = 'CdrSearchError';
    this.code = code;
    this.field = field;
    this.allowed = allowed;
  }
}

export function isCdrSearchError(err: unknown, code?: CdrSearchErrorCode): err is CdrSearchError {
  return err instanceof CdrSearchError && (code === undefined || err.code === code);
}
