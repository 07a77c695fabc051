// Typed errors of the outbound side. Codes are stable: the job queues and the API map them
// (INVALID_NUMBER -> a 400 and a job that is never retried), not the message text.

export type OutboundErrorCode =
  /** The number cannot be a valid E.164 number: letters, empty, too long, unknown country. */
  | 'INVALID_NUMBER'
  /** The number is not in + form and the site has no routing.numbering to read it with. */
  | 'NO_NUMBERING'
  /** The trunk group named in the request is not in the site. */
  | 'UNKNOWN_GROUP'
  /** The group takes inbound calls only (direction: in). */
  | 'GROUP_NOT_OUTBOUND'
  /** The answer target is not a routing target of the site. */
  | 'UNKNOWN_TARGET'
  /** Any other field of the request is out of range (caller ID, timeout, variables). */
  | 'INVALID_REQUEST'
  /** The toll-fraud guard refused the destination or the caller (a GuardError: rule and limit). */
  | 'GUARD_REFUSED';

export class OutboundError extends Error {
  readonly code: OutboundErrorCode;
  /** The value as it was given, so the caller's log shows what was refused. */
  readonly input: string;
  /** The request field refused ('number' when not said). */
  readonly field: string;

  /** `value` is the refused value as given; its JSON is what the message shows. */
  constructor(code: OutboundErrorCode, value: unknown, problem: string, field = 'number') {
    const shown = JSON.stringify(value) ?? String(value);
    // A missing field is named alone; a number's message starts with the number itself.
    super(`${value === undefined ? field : field === 'number' ? shown : `${field}: ${shown}`} ${problem}`);
    const input = typeof value === 'string' ? value : value === undefined ? '' : shown;
    this.name = 'OutboundError';
    this.code = code;
    this.input = input;
    this.field = field;
  }
}

export function isOutboundError(err: unknown, code?: OutboundErrorCode): err is OutboundError {
  return err instanceof OutboundError && (code === undefined || err.code === code);
}
