// Typed errors of the hardware layer. Codes are stable (monitoring and the CLI switch on them);
// system facts (errno, syscall, span, channel) are kept, never folded into message text.

export type HardwareErrorCode =
  | 'DRIVER_MISSING'
  | 'PERMISSION_DENIED'
  | 'UNKNOWN_SPAN'
  | 'UNKNOWN_CHANNEL'
  | 'CHANNEL_BUSY'
  | 'CHANNEL_UNCONFIGURED'
  | 'IOCTL_UNSUPPORTED'
  | 'SYSTEM_ERROR'
  | 'SCENARIO_INVALID'
  | 'BINDING_MISSING'
  | 'CLOSED';

export interface HardwareErrorFacts {
  /** errno name from the system call, e.g. 'EBUSY'. */
  errnoCode?: string;
  errno?: number;
  /** e.g. 'ioctl:DAHDI_SPANSTAT' or 'open:/dev/dahdi/ctl'. */
  syscall?: string;
  span?: number;
  channel?: number;
  /** What the user should do about it, one sentence. */
  hint?: string;
}

export class HardwareError extends Error {
  readonly code: HardwareErrorCode;
  readonly errnoCode: string | undefined;
  readonly errno: number | undefined;
  readonly syscall: string | undefined;
  readonly span: number | undefined;
  readonly channel: number | undefined;
  readonly hint: string | undefined;

  constructor(code: HardwareErrorCode, message: string, facts: HardwareErrorFacts = {}) {
    super(message);
    this.name = 'HardwareError';
    this.code = code;
    this.errnoCode = facts.errnoCode;
    this.errno = facts.errno;
    this.syscall = facts.syscall;
    this.span = facts.span;
    this.channel = facts.channel;
    this.hint = facts.hint;
  }
}

export function isHardwareError(err: unknown, code?: HardwareErrorCode): err is HardwareError {
  return err instanceof HardwareError && (code === undefined || err.code === code);
}

export function unknownSpanError(span: number, existing: readonly number[]): HardwareError {
  const list = existing.length > 0 ? existing.join(', ') : 'none';
  return new HardwareError('UNKNOWN_SPAN', `span ${span} does not exist; spans present: ${list}`, { span });
}

export function unknownChannelError(channel: number, detail: string): HardwareError {
  return new HardwareError('UNKNOWN_CHANNEL', `channel ${channel} does not exist: ${detail}`, { channel });
}
