// Typed errors of the TrunkMap. Codes are stable: the supervisor maps them to Q.850 causes and
// log entries; the facts (channel, span, group, name) travel as fields, never only as text.

export type TrunkMapErrorCode =
  | 'BAD_TRANSITION_TABLE'
  | 'BAD_CHANNEL_NAME'
  | 'BAD_DIAL_STRING'
  | 'UNKNOWN_CHANNEL'
  | 'NOT_A_BEARER'
  | 'UNKNOWN_SPAN'
  | 'UNKNOWN_GROUP'
  | 'CHANNEL_UNAVAILABLE'
  | 'BAD_TRANSITION'
  | 'NOT_RUNNING';

export interface TrunkMapErrorFacts {
  channel?: number;
  span?: number;
  group?: number | string;
  /** The Asterisk channel name or dial string that was refused. */
  input?: string;
}

export class TrunkMapError extends Error {
  readonly code: TrunkMapErrorCode;
  readonly channel: number | undefined;
  readonly span: number | undefined;
  readonly group: number | string | undefined;
  readonly input: string | undefined;

  constructor(code: TrunkMapErrorCode, message: string, facts: TrunkMapErrorFacts = {}) {
    super(message);
    this.name = 'TrunkMapError';
    this.code = code;
    this.channel = facts.channel;
    this.span = facts.span;
    this.group = facts.group;
    this.input = facts.input;
  }
}

export function isTrunkMapError(err: unknown, code?: TrunkMapErrorCode): err is TrunkMapError {
  return err instanceof TrunkMapError && (code === undefined || err.code === code);
}
