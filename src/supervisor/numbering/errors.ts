// Typed errors of number normalisation. Codes are stable and the same words the outbound side
// reports (INVALID_NUMBER, NO_NUMBERING): outbound turns them into OutboundErrors; inbound
// routing only asks whether a number parsed.

export type NumberingErrorCode =
  /** The number cannot be a valid E.164 number: letters, empty, too long, unknown country. */
  | 'INVALID_NUMBER'
  /** The number is not in + form and the site has no routing.numbering to read it with. */
  | 'NO_NUMBERING';

export class NumberingError extends Error {
  readonly code: NumberingErrorCode;
  /** The number as it was given. */
  readonly input: string;
  /** What is wrong with it, without the number: "has 16 digits as +49...; E.164 allows 15". */
  readonly problem: string;

  constructor(code: NumberingErrorCode, input: unknown, problem: string) {
    super(`${JSON.stringify(input) ?? String(input)} ${problem}`);
    this.name = 'NumberingError';
    this.code = code;
    this.input = typeof input === 'string' ? input : String(input);
    this.problem = problem;
  }
}

export function isNumberingError(err: unknown, code?: NumberingErrorCode): err is NumberingError {
  return err instanceof NumberingError && (code === undefined || err.code === code);
}
