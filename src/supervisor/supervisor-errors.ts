// Typed errors of the supervisor's configuration: naming the variable or key and what is
// allowed. Codes are stable; callers switch on `code`, never on message text. ARI trouble has
// its own classes (ari/ari-errors.ts).

export type SupervisorErrorCode =
  /** A configuration value is wrong: `key` names the env variable or file key. */
  | 'CONFIG_INVALID'
  /** The configuration file named by TDMGATE_CONFIG / --config cannot be read or parsed. */
  | 'CONFIG_UNREADABLE';

export class SupervisorError extends Error {
  readonly code: SupervisorErrorCode;
  /** The env variable or file key at fault (CONFIG_*), e.g. 'TDMGATE_BACKEND' or 'ari.url'. */
  readonly key: string | undefined;
  /** What would have been accepted, for CONFIG_INVALID. */
  readonly allowed: string | undefined;

  constructor(code: SupervisorErrorCode, message: string, options: { key?: string; allowed?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SupervisorError';
    this.code = code;
    this.key = options.key;
    this.allowed = options.allowed;
  }
}

export function isSupervisorError(err: unknown, code?: SupervisorErrorCode): err is SupervisorError {
  return err instanceof SupervisorError && (code === undefined || err.code === code);
}
