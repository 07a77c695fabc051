// Typed errors of the outbound side. Codes are stable: the job queues and the API map them
// (INVALID_NUMBER -> a 400 and a job that is never retried), not the message text.

export type OutboundErrorCode =
  /** The number cannot be a valid E.164 number: letters, empty, too long, unknown country. */
  | 'INVALID_NUMBER'
  /** The number is not in + form and the site has no routing.numbering to read it with. */
  | 'NO_NUMBERING';

export class OutboundError extends Error {
  readonly code: OutboundErrorCode;
  /** The number as it was given, so the caller's log shows what was refused. */
  readonly input: string;

  constructor(code: OutboundErrorCode, input: string, problem: string) {
    super(`${JSON.stringify(input)} ${problem}`);
    this.name = 'OutboundError';
    this.code = code;
    this.input = input;
  }
}

export function isOutboundError(err: unknown, code?: OutboundErrorCode): err is OutboundError {
  return err instanceof OutboundError && (code === undefined || err.code === code);
}
