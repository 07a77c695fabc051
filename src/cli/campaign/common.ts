// What the `tdmgate campaign` and `tdmgate dnc` commands share: their options, exit codes, the
// supervisor's configuration (the same file, environment and flags `supervise` reads, so they
// talk to its Redis under its prefix and read its site), a fail-fast Redis connection and the
// campaigns service over it, and one place that turns a JobError into a line and an exit code.

import { isJobError, JobError } from '../../jobs/job-errors';
import { CampaignService } from '../../jobs/campaigns';
import { isProvisioningError } from '../../provisioning/errors';
import { loadSiteFile } from '../../provisioning/site/load';
import type { SiteConfig } from '../../provisioning/site/site-types';
import { loadConfig, type SupervisorConfig } from '../../supervisor/config';
import { isSupervisorError } from '../../supervisor/supervisor-errors';
import { stringOption, UsageError, type OptionSpecs, type ParsedValues } from '../args';
import type { CliContext } from '../command';
import { demoSitePath } from '../demo-site';
import { withRedisService } from '../redis-session';

export const CAMPAIGN_EXIT = {
  OK: 0,
  /** load: some lines were refused (each printed FILE:LINE: field: message); the others are loaded. */
  LINES_REFUSED: 1,
  /** The campaign's status does not allow it (resume a cancelled campaign). */
  INVALID_STATE: 2,
  USAGE: 64,
  /** EX_DATAERR: the file, group, window or site was refused; nothing was loaded. */
  DATA_ERROR: 65,
  /** EX_NOINPUT: no such campaign, or the CSV file cannot be read. */
  NOT_FOUND: 66,
  /** EX_UNAVAILABLE: Redis is not reachable at TDMGATE_REDIS_URL. */
  UNAVAILABLE: 69,
} as const;

export const CONNECT_OPTIONS = {
  json: { type: 'boolean' },
  config: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

export const CAMPAIGN_HELP = [
  'Options of the campaign and dnc commands:',
  '  --json           machine-readable output',
  '  --config FILE    the supervisor\'s config file (TDMGATE_CONFIG; default /etc/tdmgate/tdmgate.yaml)',
  '  --site FILE      (load, dnc add/remove) site file for groups, numbering and time zone',
  '                   (TDMGATE_SITE; default the demo site, as supervise uses on simulated cards)',
  '  -h, --help       this help',
  'Redis: TDMGATE_REDIS_URL (default the private one scripts/redis starts), TDMGATE_QUEUE_PREFIX.',
  'Exit codes: 0 ok, 1 load: some lines refused (the rest loaded), 2 not allowed in the campaign\'s',
  'status, 64 usage error, 65 file, group, window or site refused (nothing loaded), 66 no such',
  'campaign or file, 69 Redis not reachable, 70 internal error.',
  'Details: docs/campaigns.md',
];

export async function cliConfig(ctx: CliContext, values: ParsedValues): Promise<SupervisorConfig> {
  const config = stringOption(values, 'config');
  const site = stringOption(values, 'site');
  try {
    return await loadConfig({ env: ctx.env, flags: { ...(config !== undefined ? { config } : {}), ...(site !== undefined ? { site } : {}) } });
  } catch (err) {
    if (isSupervisorError(err)) throw new UsageError(err.message);
    throw err;
  }
}

/** The site the supervisor runs with; a refused site is an INVALID_JOB of field `site`. */
export async function cliSite(config: SupervisorConfig): Promise<SiteConfig> {
  const path = config.site ?? demoSitePath();
  try {
    return (await loadSiteFile(path)).site;
  } catch (err) {
    if (isProvisioningError(err)) throw new JobError('INVALID_JOB', err.message, { field: 'site', cause: err });
    throw err;
  }
}

/** Runs `fn` with the campaigns service on a fail-fast connection, closed afterwards. */
export function withCampaigns<T>(config: SupervisorConfig, fn: (service: CampaignService) => Promise<T>): Promise<T> {
  return withRedisService(config, 'tdmgate-cli', (redis, prefix) => new CampaignService({ redis, prefix }), fn);
}

export function exitOf(err: JobError): number {
  switch (err.code) {
    case 'REDIS_UNAVAILABLE': return CAMPAIGN_EXIT.UNAVAILABLE;
    case 'NOT_FOUND': return CAMPAIGN_EXIT.NOT_FOUND;
    case 'INVALID_STATE': return CAMPAIGN_EXIT.INVALID_STATE;
    case 'INVALID_JOB': return CAMPAIGN_EXIT.DATA_ERROR;
  }
}

/** `FILE:812: number: message` when a line is known, `field: message` otherwise. */
export function refusalLine(err: JobError, file?: string): string {
  const where = err.line !== undefined && file !== undefined ? `${file}:${err.line}: ` : err.line !== undefined ? `line ${err.line}: ` : '';
  return `${where}${err.field !== undefined ? `${err.field}: ` : ''}${err.message}`;
}

export function refusalJson(err: JobError): { code: string; line?: number; field?: string; message: string } {
  return { code: err.code, ...(err.line !== undefined ? { line: err.line } : {}), ...(err.field !== undefined ? { field: err.field } : {}), message: err.message };
}

/**
 * Prints a refusal of the whole command (JSON on stdout with --json) and returns its exit code;
 * anything that is not a JobError is rethrown for main's handling (a bug: exit 70).
 */
export function reportRefusal(ctx: CliContext, command: string, json: boolean, err: unknown, file?: string): number {
  if (!isJobError(err)) throw err;
  if (json) ctx.stdout.write(`${JSON.stringify({ ok: false, ...refusalJson(err) }, null, 2)}\n`);
  else ctx.stderr.write(`tdmgate ${command}: ${refusalLine(err, file)}\n`);
  return exitOf(err);
}

export function idArgument(command: string, positionals: readonly string[]): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs a campaign id: tdmgate ${command} ID (tdmgate campaign list shows them)`);
  if (positionals.length > 1) throw new UsageError(`${command}: unexpected argument '${positionals[1]}'`);
  return positionals[0] as string;
}
