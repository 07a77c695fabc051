// Typed ARI errors, decided once where a failure enters the supervisor (the adapter), from the
// HTTP status and body Asterisk answered with. Callers branch on the class, never on message
// text. Transient errors (not connected, no answer in time, Asterisk shutting down or booting)
// mean "the same request may work after the next reconnect"; the others are Asterisk's answer.

/** The operation ('channels.hangup') and, when Asterisk answered, its HTTP status. */
export interface AriErrorFacts {
  operation: string;
  status?: number | null;
}

export type AriErrorKind = 'not-ready' | 'timeout' | 'unavailable' | 'not-found' | 'allocation-failed' | 'rejected';

export abstract class AriError extends Error {
  abstract readonly kind: AriErrorKind;
  /** True when the request may succeed once ARI is connected and answering again. */
  abstract readonly transient: boolean;
  readonly operation: string;
  /** Asterisk's HTTP status; null when no answer came. */
  readonly status: number | null;

  constructor(message: string, facts: AriErrorFacts, options?: { cause?: unknown }) {
    super(`${facts.operation}: ${message}`, options);
    this.operation = facts.operation;
    this.status = facts.status ?? null;
  }
}

/** ARI is not connected: the request was never sent. */
export class AriNotReadyError extends AriError {
  readonly kind = 'not-ready';
  readonly transient = true;
  override readonly name = 'AriNotReadyError';
}

/** No answer within the timeout: the request may or may not have been carried out. */
export class AriTimeoutError extends AriError {
  readonly kind = 'timeout';
  readonly transient = true;
  override readonly name = 'AriTimeoutError';
}

/** Asterisk answered 503 (shutting down, not booted yet): nothing was done, try after the restart. */
export class AriUnavailableError extends AriError {
  readonly kind = 'unavailable';
  readonly transient = true;
  override readonly name = 'AriUnavailableError';
}

/** 404: the channel (or other resource) does not exist - for a hangup, it is already gone. */
export class AriNotFoundError extends AriError {
  readonly kind = 'not-found';
  readonly transient = false;
  override readonly name = 'AriNotFoundError';
}

/** 500 "Allocation failed": the channel driver could not make the channel (chan_dahdi: none free). */
export class AriAllocationFailedError extends AriError {
  readonly kind = 'allocation-failed';
  readonly transient = false;
  override readonly name = 'AriAllocationFailedError';
}

/** Any other refusal (400 bad request, 409 not in Stasis, 412 wrong state, 500...). */
export class AriRejectedError extends AriError {
  readonly kind = 'rejected';
  readonly transient = false;
  override readonly name = 'AriRejectedError';
}

export function isTransientAriError(err: unknown): err is AriError {
  return err instanceof AriError && err.transient;
}

/**
 * The error for an HTTP answer from Asterisk. `body` is the answer's text: ARI's JSON errors are
 * `{"message": "..."}`, except chan_dahdi's allocation failure `{"error": "Allocation failed"}`;
 * a restart answers text/html. Status null: the library failed the call without an answer.
 */
export function ariFailure(operation: string, status: number | null, body: string): AriError {
  const message = bodyMessage(body);
  const facts = { operation, status };
  if (status === 404) return new AriNotFoundError(message, facts);
  if (status === 503) return new AriUnavailableError(message, facts);
  if (status !== null && status >= 500 && /^allocation failed$/i.test(message.trim())) return new AriAllocationFailedError(message, facts);
  return new AriRejectedError(status === null ? message : `${status} ${message}`, facts);
}

function bodyMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON (a restart's text/html, a library message): the text itself, tags removed
  }
  return body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
}
