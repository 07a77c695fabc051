// The options the check commands share (-w/-c ranges, -t timeout, --url of the running
// supervisor) read the monitoring-plugins way: every mistake is a CheckUsageError, which the
// command prints as an UNKNOWN status line with exit 3.

import { parseCommand, UsageError, type OptionSpecs } from '../args';
import { parseListen } from '../../supervisor/config';
import { CheckUsageError } from './check-errors';
import { parseRange, type PluginRange } from './plugin-range';

export type CheckValues = Record<string, string | boolean | undefined>;

/** Strict parsing; any mistake (unknown option, missing value, stray argument) is a CheckUsageError. */
export function parseCheckArgs(command: string, argv: readonly string[], options: OptionSpecs): CheckValues {
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(command, argv, options);
  } catch (err) {
    throw err instanceof UsageError ? new CheckUsageError(err.message) : err;
  }
  if (parsed.positionals.length > 0) throw new CheckUsageError(`${command}: unexpected argument '${parsed.positionals[0]}'`);
  return parsed.values;
}

export function rangeOption(values: CheckValues, option: 'warning' | 'critical', fallback: string | null): PluginRange | null {
  const v = values[option];
  const text = typeof v === 'string' ? v : fallback;
  return text === null ? null : parseRange(option === 'warning' ? '-w' : '-c', text);
}

export function secondsValue(values: CheckValues, option: string, fallback: number, min: number, max: number): number {
  const v = values[option];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) throw new CheckUsageError(`--${option} must be a number of seconds from ${min} to ${max}, not '${String(v)}'`);
  return n;
}

const DEFAULT_URL = 'http://127.0.0.1:8091';

/**
 * The running supervisor's base URL: --url, else TDMGATE_LISTEN (host:port, as supervise reads
 * it; a wildcard host is asked on loopback), else the supervisor's default address.
 */
export function supervisorUrl(values: CheckValues, env: Readonly<Record<string, string | undefined>>): string {
  const given = values.url;
  if (typeof given === 'string') {
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      throw new CheckUsageError(`--url: '${given}' is not a URL; use http://host:port`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CheckUsageError(`--url: '${given}' is not http(s); use http://host:port`);
    return given.replace(/\/+$/, '');
  }
  const listen = env.TDMGATE_LISTEN;
  if (listen === undefined || listen === '') return DEFAULT_URL;
  let at: { host: string; port: number };
  try {
    at = parseListen(listen, 'TDMGATE_LISTEN');
  } catch (err) {
    throw new CheckUsageError((err as Error).message);
  }
  const host = at.host === '0.0.0.0' ? '127.0.0.1' : at.host === '::' ? '::1' : at.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${at.port}`;
}

/** The options every check takes. */
export const CHECK_COMMON = {
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

export const THRESHOLD_OPTIONS = {
  warning: { type: 'string', short: 'w' },
  critical: { type: 'string', short: 'c' },
} as const satisfies OptionSpecs;

export const HTTP_OPTIONS = {
  url: { type: 'string' },
  timeout: { type: 'string', short: 't' },
} as const satisfies OptionSpecs;
