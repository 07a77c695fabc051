// `tdmgate check trunks`: free channels per trunk group as a Nagios/Icinga plugin, read from
// the running supervisor's /metrics (the text is parsed here: the CLI carries no metrics library).

import type { CliContext, Command } from '../command';
import { CHECK_COMMON, HTTP_OPTIONS, parseCheckArgs, rangeOption, secondsValue, supervisorUrl, THRESHOLD_OPTIONS } from './check-args';
import { parseExposition, type Sample } from './exposition';
import { httpGet, UnreachableError } from './http-get';
import { runCheck } from './run-check';
import { checkTrunks, groupChannels } from './trunks-check';

const OPTIONS = {
  ...THRESHOLD_OPTIONS,
  group: { type: 'string', short: 'g', multiple: true },
  ...HTTP_OPTIONS,
  ...CHECK_COMMON,
} as const;

/** No free channel in a group warns (callers hear busy); no critical level unless asked. */
const DEFAULT_WARNING = '1:';

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  return runCheck(ctx, 'TRUNKS', argv, async () => {
    const values = parseCheckArgs('check trunks', argv, OPTIONS);
    const warn = rangeOption(values, 'warning', DEFAULT_WARNING);
    const crit = rangeOption(values, 'critical', null);
    const timeout = secondsValue(values, 'timeout', 10, 1, 300);
    const url = `${supervisorUrl(values, ctx.env)}/metrics`;
    const only = (values as { group?: string[] }).group ?? [];
    const answer = await httpGet(url, timeout, ctx.signal);
    if (answer.status !== 200) throw new UnreachableError(`${url} answered ${answer.status}`);
    return checkTrunks({ groups: groupChannels(samplesOf(url, answer.body)), only, warn, crit });
  });
}

function samplesOf(url: string, body: string): Sample[] {
  try {
    return parseExposition(body);
  } catch (err) {
    throw new UnreachableError(`${url} did not answer Prometheus metrics: ${(err as Error).message}`);
  }
}

export const checkTrunksCommand: Command = {
  name: 'check trunks',
  summary: 'Nagios/Icinga check: free channels per trunk group (asks the running supervisor)',
  usage: 'tdmgate check trunks [-w RANGE] [-c RANGE] [-g GROUP]... [--url http://host:port] [-t SECONDS]',
  options: OPTIONS,
  help: [
    'Options of check trunks:',
    '  -w, --warning RANGE    free channels of a group that warn; default 1: (warn when none is free)',
    '  -c, --critical RANGE   free channels that are critical; default none',
    '  -g, --group NAME       only this trunk group (repeatable); default every group',
    '  --url URL              the supervisor (default: TDMGATE_LISTEN, else http://127.0.0.1:8091)',
    '  -t, --timeout SECONDS  how long to wait for it (1-300, default 10)',
    '',
    'Ranges (monitoring-plugins): 10 = outside 0..10, 10: = below 10, ~:10 = above 10, 10:20 = outside, @10:20 = inside.',
    'Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (supervisor unreachable, unknown group, bad arguments).',
  ],
  run,
};
