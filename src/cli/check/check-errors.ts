// The check commands' own failure: a bad argument. Nagios reads a plugin's exit code, so it is
// UNKNOWN (3) with a status line on stdout, never the CLI's usage exit 64.

export class CheckUsageError extends Error {
  readonly code = 'CHECK_USAGE';

  constructor(message: string) {
    super(message);
    this.name = 'CheckUsageError';
  }
}
