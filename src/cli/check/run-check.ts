// Runs one check the monitoring-plugins way: whatever happens, exactly one status line (plus
// long output) on stdout and exit 0-3. Bad arguments, an unreachable supervisor and unreadable
// hardware are UNKNOWN (3) with the reason; --debug adds the stack of an unexpected error.

import { isHardwareError } from '../../hardware/errors';
import type { CliContext } from '../command';
import { CheckUsageError } from './check-errors';
import { UnreachableError } from './http-get';
import { EXIT_OF, formatResult, type PluginResult } from './plugin-output';

export async function runCheck(ctx: CliContext, service: string, argv: readonly string[], check: () => Promise<PluginResult>): Promise<number> {
  let result: PluginResult;
  try {
    result = await check();
  } catch (err) {
    // The status line is one line: a reason with more lines (a scenario's errors) goes below it.
    const [summary = '', ...details] = reasonOf(err).split('\n');
    result = { state: 'UNKNOWN', summary, perfdata: [], details: details.map((l) => l.trim()) };
    if (argv.includes('--debug') && !(err instanceof CheckUsageError) && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
  }
  ctx.stdout.write(formatResult(service, result));
  return EXIT_OF[result.state];
}

function reasonOf(err: unknown): string {
  if (err instanceof CheckUsageError || err instanceof UnreachableError) return err.message;
  if (isHardwareError(err)) return err.hint ? `${err.message} (${err.hint})` : err.message;
  return `internal error: ${err instanceof Error ? err.message : String(err)}`;
}
