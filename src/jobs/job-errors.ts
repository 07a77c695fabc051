// Typed errors of the job queues. Codes are stable: the CLI maps them to exit codes and the
// HTTP API to statuses, never the message text. `field` and `line` name what was refused, so a
// CSV's bad line 812 or a job's bad group is fixed at the right place.

export type JobErrorCode =
  /** Redis is not reachable at the configured URL. */
  | 'REDIS_UNAVAILABLE'
  /** A job's data is refused: `field` names the part, the message what is allowed. */
  | 'INVALID_JOB'
  /** No job, campaign or dead letter with that id. */
  | 'NOT_FOUND'
  /** The operation does not apply in the current state (resume a cancelled campaign...). */
  | 'INVALID_STATE';

export class JobError extends Error {
  readonly code: JobErrorCode;
  readonly field: string | undefined;
  /** 1-based line of an input file (campaign CSV), when the error is about one. */
  readonly line: number | undefined;

  constructor(code: JobErrorCode, message: string, options: { field?: string; line?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JobError';
    this.code = code;
    this.field = options.field;
    this.line = options.line;
  }
}

export function isJobError(err: unknown, code?: JobErrorCode): err is JobError {
  return err instanceof JobError && (code === undefined || err.code === code);
}
