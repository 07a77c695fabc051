// `tdmgate check supervisor`: the running supervisor's readiness (/readyz: ARI, the CDR store
// or spool, the job queues, the hardware) as a Nagios/Icinga plugin.

import type { CliContext, Command } from '../command';
import { CHECK_COMMON, HTTP_OPTIONS, parseCheckArgs, secondsValue, supervisorUrl } from './check-args';
import { httpGet } from './http-get';
import { runCheck } from './run-check';
import { checkSupervisor } from './supervisor-check';

const OPTIONS = { ...HTTP_OPTIONS, ...CHECK_COMMON } as const;

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  return runCheck(ctx, 'SUPERVISOR', argv, async () => {
    const values = parseCheckArgs('check supervisor', argv, OPTIONS);
    const timeout = secondsValue(values, 'timeout', 10, 1, 300);
    const answer = await httpGet(`${supervisorUrl(values, ctx.env)}/readyz`, timeout, ctx.signal);
    return checkSupervisor(answer.status, answer.body, answer.seconds);
  });
}

export const checkSupervisorCommand: Command = {
  name: 'check supervisor',
  summary: 'Nagios/Icinga check: the running supervisor is ready (ARI, CDR store, queues, hardware)',
  usage: 'tdmgate check supervisor [--url http://host:port] [-t SECONDS]',
  options: OPTIONS,
  help: [
    'Options of check supervisor:',
    '  --url URL              the supervisor (default: TDMGATE_LISTEN, else http://127.0.0.1:8091)',
    '  -t, --timeout SECONDS  how long to wait for it (1-300, default 10)',
    '',
    'Exit codes: 0 OK (ready), 2 CRITICAL (a part not ready, named), 3 UNKNOWN (unreachable, not a supervisor, bad arguments).',
  ],
  run,
};
