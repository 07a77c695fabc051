// Typed errors of the CDR pipeline. Codes are stable (logs and the API switch on them); an
// invalid record names the offending field in `field`, not only in the message.

export type CdrErrorCode =
  /** The record itself is wrong (field says which); it is never spooled. */
  | 'CDR_INVALID'
  /** The database refused this record's values (cause holds the driver error). */
  | 'CDR_REJECTED_BY_DATABASE'
  /** The database was away and the spool could not be written either: not acknowledged. */
  | 'SPOOL_FAILED'
  /** A spool line that is not a valid record (set aside in the .rejected file, not replayed). */
  | 'SPOOL_CORRUPT'
  | 'SINK_CLOSED';

export class CdrError extends Error {
  readonly code: CdrErrorCode;
  readonly field: string | undefined;

  constructor(code: CdrErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CdrError';
    this.code = code;
    this.field = options.field;
  }
}

export function isCdrError(err: unknown, code?: CdrErrorCode): err is CdrError {
  return err instanceof CdrError && (code === undefined || err.code === code);
}
