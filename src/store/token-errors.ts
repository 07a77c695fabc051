// Typed errors of the API token store. Codes are stable: the token command maps them to exit
// codes and the HTTP API to statuses; `field` names what was refused.

export type TokenErrorCode =
  /** A name, role or expiry that is not allowed: `field` says which, the message what is. */
  | 'INVALID_TOKEN_REQUEST'
  /** A token of that name is in use (not revoked, not expired). */
  | 'NAME_TAKEN'
  /** No token of that name. */
  | 'TOKEN_NOT_FOUND';

export class TokenError extends Error {
  readonly code: TokenErrorCode;
  readonly field: string | undefined;

  constructor(code: TokenErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenError';
    this.code = code;
    this.field = options.field;
  }
}

export function isTokenError(err: unknown, code?: TokenErrorCode): err is TokenError {
  return err instanceof TokenError && (code === undefined || err.code === code);
}
