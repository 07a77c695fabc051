// What the `tdmgate jobs` commands share: the configuration the supervisor reads (its site, for
// the groups and the numbering; its Redis and queue prefix), a fail-fast Redis connection, the
// call-job service over it, and the exit codes monitoring and scripts read.

import { isJobError, type JobError } from '../../jobs/job-errors';
import { CallJobs } from '../../jobs/call-jobs';
import { cliConfig, cliSite } from '../campaign/common';
import type { CliContext } from '../command';
import { withRedisService } from '../redis-session';

export const JOBS_EXIT = {
  OK: 0,
  USAGE: 64,
  /** EX_DATAERR: the job was refused (a bad number, an unknown group): the message names the field. */
  DATA_ERROR: 65,
  /** EX_NOINPUT: no such job. */
  NOT_FOUND: 66,
  /** EX_UNAVAILABLE: Redis is not reachable where the configuration says. */
  UNAVAILABLE: 69,
} as const;

export const JOBS_HELP = [
  'Options: --config FILE (as supervise), --json, -h/--help.',
  'Redis: TDMGATE_REDIS_URL (default redis://127.0.0.1:6380, the one scripts/redis starts), TDMGATE_QUEUE_PREFIX.',
  'Site: TDMGATE_SITE or the config file\'s site (default: the demo site on simulated cards).',
  'Exit codes: 0 done, 64 usage, 65 job refused (the field is named), 66 no such job, 69 Redis not reachable.',
  'Details: docs/job-queues.md',
];

/** Runs `body` with the call-job service; errors become one line and their exit code. */
export async function withCallJobs(ctx: CliContext, command: string, configFile: string | undefined, body: (jobs: CallJobs) => Promise<number>): Promise<number> {
  // The supervisor's own configuration and site, read as the campaign commands read them.
  const config = await cliConfig(ctx, configFile === undefined ? {} : { config: configFile });
  try {
    const site = await cliSite(config);
    return await withRedisService(config, `tdmgate-cli-${command.replace(' ', '-')}`, (connection, prefix) => new CallJobs({ connection, prefix, site }), body);
  } catch (err) {
    return reportJobError(ctx, command, err);
  }
}

/** A JobError as one line on stderr and its exit code; anything else is rethrown (a bug: 70). */
export function reportJobError(ctx: CliContext, command: string, err: unknown): number {
  if (!isJobError(err)) throw err;
  ctx.stderr.write(`tdmgate ${command}: ${err.message}\n`);
  return exitFor(err);
}

function exitFor(err: JobError): number {
  switch (err.code) {
    case 'REDIS_UNAVAILABLE':
      return JOBS_EXIT.UNAVAILABLE;
    case 'NOT_FOUND':
      return JOBS_EXIT.NOT_FOUND;
    default:
      return JOBS_EXIT.DATA_ERROR;
  }
}
