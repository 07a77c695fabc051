// `tdmgate check spans`: the spans' alarms and error counter rates as a Nagios/Icinga plugin.
// Reads the hardware itself (like diag scan), so it answers with or without the supervisor.

import { measureSpans } from '../../diagnostics/measure';
import { openBackend } from '../../hardware/open-backend';
import { BACKENDS } from '../args';
import type { CliContext, Command } from '../command';
import { CHECK_COMMON, parseCheckArgs, rangeOption, secondsValue, THRESHOLD_OPTIONS } from './check-args';
import { CheckUsageError } from './check-errors';
import { checkSpans } from './spans-check';
import { runCheck } from './run-check';

const OPTIONS = {
  ...THRESHOLD_OPTIONS,
  window: { type: 'string' },
  backend: { type: 'string' },
  scenario: { type: 'string' },
  ...CHECK_COMMON,
} as const;

const DEFAULT_WINDOW_SECONDS = 5;
/** Any error counted in the window warns, as diag does; no critical level unless asked. */
const DEFAULT_WARNING = '0';

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  return runCheck(ctx, 'SPANS', argv, async () => {
    const values = parseCheckArgs('check spans', argv, OPTIONS);
    const warn = rangeOption(values, 'warning', DEFAULT_WARNING);
    const crit = rangeOption(values, 'critical', null);
    const windowSeconds = secondsValue(values, 'window', DEFAULT_WINDOW_SECONDS, 0, 60);
    const backend = values.backend;
    if (backend !== undefined && !(BACKENDS as readonly unknown[]).includes(backend)) throw new CheckUsageError(`--backend must be one of ${BACKENDS.join(', ')}`);
    const scenario = typeof values.scenario === 'string' ? values.scenario : undefined;
    if (scenario !== undefined && backend === 'dahdi') throw new CheckUsageError('--scenario only applies to --backend sim');
    const opened = await openBackend({
      ...(typeof backend === 'string' ? { backend: backend as (typeof BACKENDS)[number] } : {}),
      ...(scenario !== undefined ? { scenario } : {}),
    });
    try {
      const m = await measureSpans(opened.backend, { windowSeconds, signal: ctx.signal });
      return checkSpans({ spans: m.spans, rates: m.rates, windowSeconds, warn, crit });
    } finally {
      await opened.backend.close();
    }
  });
}

export const checkSpansCommand: Command = {
  name: 'check spans',
  summary: 'Nagios/Icinga check: span alarms and error counter rates (reads the hardware)',
  usage: 'tdmgate check spans [-w RANGE] [-c RANGE] [--window SECONDS] [--backend sim|dahdi] [--scenario FILE]',
  options: OPTIONS,
  help: [
    'Options of check spans:',
    '  -w, --warning RANGE    error counter rate (errors per second, each counter of each span) that warns; default 0 (any error)',
    '  -c, --critical RANGE   rate that is critical; default none',
    '  --window SECONDS       how long counters are watched for their rate (0-60, default 5; 0 = alarms only)',
    '  --backend sim|dahdi    which hardware to ask (default: dahdi when /dev/dahdi exists, else sim)',
    '  --scenario FILE        scenario file for the sim backend',
    '',
    'Ranges (monitoring-plugins): 10 = outside 0..10, 10: = below 10, ~:10 = above 10, 10:20 = outside, @10:20 = inside.',
    'Exit codes: 0 OK, 1 WARNING (counters, RECOVER/LOOPBACK/NOTOPEN), 2 CRITICAL (a span in alarm), 3 UNKNOWN (no driver, no spans, bad arguments).',
  ],
  run,
};
