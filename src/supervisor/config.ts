// The supervisor's configuration: a YAML file (/etc/tdmgate/tdmgate.yaml unless TDMGATE_CONFIG
// or --config names another), then the TDMGATE_* environment over it, then command-line flags
// over both. Every bad value is a SupervisorError CONFIG_INVALID naming the variable or key and
// what is allowed, so a technician fixes the right line the first time. Pure but for the one
// file read; the environment and the user's home come in as arguments.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BackendKind } from '../hardware/types';
import { parseDatabaseUrl } from '../store/database-url';
import { readYaml } from '../validation/yaml-source';
import { SupervisorError } from './supervisor-errors';
import type { GuardPolicy } from './toll-guard/guard-policy';
import { parseGuardConfig } from './toll-guard/read-guard-config';
import { parseWebhooks, type WebhookEndpoint } from './webhook-endpoints';

export const DEFAULT_CONFIG_FILE = '/etc/tdmgate/tdmgate.yaml';
export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 8091 } as const;
/** Calls per minute of the stand-in's traffic generator in the demo. */
export const DEFAULT_DEMO_RATE = 30;
const MAX_DEMO_RATE = 6000;
/** How `tdmgate supervise` writes its log: JSON lines for machines, one readable line per event for people. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface ListenAddress {
  host: string;
  port: number;
}

/** Each API token's rate: `burst` requests at once, refilled at `perSecond` (TDMGATE_API_RATE). */
export interface ApiRate {
  perSecond: number;
  burst: number;
}

/** Generous for a CRM or a wallboard, still a stop to a loop gone wild. */
export const DEFAULT_API_RATE: ApiRate = { perSecond: 20, burst: 60 };

/** The private Redis scripts/redis starts: the job queues' default. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6380';
/** Key prefix of the job queues: boxes sharing a Redis share the queues under one prefix. */
export const DEFAULT_QUEUE_PREFIX = 'tdmgate';

export interface RedisTarget {
  url: string;
  prefix: string;
}

export interface AriTarget {
  url: string;
  user: string;
  password: string;
}

export interface SupervisorConfig {
  /** The file that was read, or null when none (a missing default file is fine). */
  configFile: string | null;
  /** The site file; null = the built-in demo site (simulated cards only). */
  site: string | null;
  /** undefined = dahdi when /dev/dahdi exists, else sim. */
  backend: BackendKind | undefined;
  /** null = the built-in ARI stand-in (simulated cards only). */
  ari: AriTarget | null;
  /** undefined = SQLite file in dataDir. */
  dbUrl: string | undefined;
  /** The job queues' Redis; null = queues off (TDMGATE_REDIS_URL=off). */
  redis: RedisTarget | null;
  /** CRM screen-pop endpoints (the file's `webhooks:`); delivered through the queues' Redis. */
  webhooks: WebhookEndpoint[];
  /** The toll-fraud guard's rules (the file's `guard:`; docs/toll-guard.md). */
  guard: GuardPolicy;
  dataDir: string;
  listen: ListenAddress;
  demoRate: number;
  apiRate: ApiRate;
  /** undefined = pretty on a terminal, JSON lines otherwise (the CLI decides). */
  logFormat: LogFormat | undefined;
}

/** Values from the command line; they win over the environment and the file. */
export interface ConfigFlags {
  config?: string;
  site?: string;
  backend?: string;
  listen?: string;
  demoRate?: string;
  logFormat?: string;
}

export interface ConfigSources {
  env: Readonly<Record<string, string | undefined>>;
  flags?: ConfigFlags;
  /** For the default data directory: root keeps /var/lib/tdmgate, a user ~/.local/state/tdmgate. */
  uid?: number;
  home?: string;
  /** Tests inject the file reader. */
  readText?: (file: string) => Promise<string>;
}

const FILE_KEYS = ['site', 'backend', 'ari', 'database', 'redis', 'webhooks', 'guard', 'dataDir', 'listen', 'demoRate', 'logFormat', 'apiRate'] as const;
const ARI_KEYS = ['url', 'user', 'password'] as const;
const DATABASE_KEYS = ['url'] as const;
const REDIS_KEYS = ['url', 'prefix'] as const;
const BACKENDS: readonly BackendKind[] = ['sim', 'dahdi'];

type FileValues = Partial<Record<'site' | 'backend' | 'ari.url' | 'ari.user' | 'ari.password' | 'database.url' | 'redis.url' | 'redis.prefix' | 'dataDir' | 'listen' | 'demoRate' | 'logFormat' | 'apiRate', string>>;

function invalid(key: string, message: string, allowed: string): SupervisorError {
  return new SupervisorError('CONFIG_INVALID', `${key}: ${message} (allowed: ${allowed})`, { key, allowed });
}

export async function loadConfig(sources: ConfigSources): Promise<SupervisorConfig> {
  const env = sources.env;
  const flags = sources.flags ?? {};
  const explicit = flags.config ?? nonEmpty(env.TDMGATE_CONFIG);
  const configKey = flags.config !== undefined ? '--config' : 'TDMGATE_CONFIG';
  const file = explicit ?? DEFAULT_CONFIG_FILE;
  const read = sources.readText ?? ((f: string) => readFile(f, 'utf8'));
  let text: string | null = null;
  try {
    text = await read(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    // Only the default file may be absent: a file the user named must exist.
    if (explicit !== undefined || code !== 'ENOENT') {
      throw new SupervisorError('CONFIG_UNREADABLE', `${explicit !== undefined ? configKey : 'config file'}: cannot read ${file}: ${code}`, { key: explicit !== undefined ? configKey : file, cause: err });
    }
  }
  const { values: fromFile, webhooks, guard } = text === null ? { values: {}, webhooks: undefined, guard: undefined } : parseFile(text, file);
  const fileKey = (k: string): string => `${file}: ${k}`;

  // flag > env > file; each value remembers where it came from so errors name that place.
  const pick = (flag: string | undefined, flagName: string, envName: string | null, fileName: keyof FileValues): { value: string | undefined; key: string } => {
    if (flag !== undefined) return { value: flag, key: flagName };
    const e = envName === null ? undefined : nonEmpty(env[envName]);
    if (e !== undefined && envName !== null) return { value: e, key: envName };
    return { value: fromFile[fileName], key: fileKey(fileName) };
  };

  const site = pick(flags.site, '--site', 'TDMGATE_SITE', 'site');
  const backend = pick(flags.backend, '--backend', 'TDMGATE_BACKEND', 'backend');
  const ariUrl = pick(undefined, '', 'TDMGATE_ARI_URL', 'ari.url');
  const ariUser = pick(undefined, '', 'TDMGATE_ARI_USER', 'ari.user');
  const ariPassword = pick(undefined, '', 'TDMGATE_ARI_PASSWORD', 'ari.password');
  const dbUrl = pick(undefined, '', 'TDMGATE_DB_URL', 'database.url');
  const redisUrl = pick(undefined, '', 'TDMGATE_REDIS_URL', 'redis.url');
  const queuePrefix = pick(undefined, '', 'TDMGATE_QUEUE_PREFIX', 'redis.prefix');
  const dataDirValue = pick(undefined, '', 'TDMGATE_DATA_DIR', 'dataDir');
  const listen = pick(flags.listen, '--listen', 'TDMGATE_LISTEN', 'listen');
  const demoRate = pick(flags.demoRate, '--demo-rate', null, 'demoRate');
  const logFormat = pick(flags.logFormat, '--log-format', 'TDMGATE_LOG_FORMAT', 'logFormat');
  const apiRate = pick(undefined, '', 'TDMGATE_API_RATE', 'apiRate');

  const dataDir = dataDirValue.value === undefined ? defaultDataDir(sources) : absolute(dataDirValue.value, dataDirValue.key);
  const config: SupervisorConfig = {
    configFile: text === null ? null : file,
    site: site.value === undefined ? null : site.value,
    backend: parseBackend(backend.value, backend.key),
    ari: parseAri(ariUrl, ariUser, ariPassword),
    dbUrl: parseDb(dbUrl.value, dbUrl.key, dataDir),
    redis: parseRedis(redisUrl, queuePrefix),
    webhooks: await parseWebhooks(webhooks, file, read),
    guard: parseGuardConfig(guard, file),
    dataDir,
    listen: listen.value === undefined ? { ...DEFAULT_LISTEN } : parseListen(listen.value, listen.key),
    demoRate: demoRate.value === undefined ? DEFAULT_DEMO_RATE : parseRate(demoRate.value, demoRate.key),
    apiRate: apiRate.value === undefined ? { ...DEFAULT_API_RATE } : parseApiRate(apiRate.value, apiRate.key),
    logFormat: parseLogFormat(logFormat.value, logFormat.key),
  };
  if (config.backend === 'dahdi' && config.ari === null) {
    throw invalid('TDMGATE_ARI_URL', 'is required with the dahdi backend: the built-in ARI stand-in runs on simulated cards only', 'http://host:8088 of the Asterisk to control');
  }
  if (config.backend === 'dahdi' && config.site === null) {
    throw invalid('TDMGATE_SITE', 'is required with the dahdi backend: the demo site describes the simulated cards only', 'the path of a site file (docs/site-file.md)');
  }
  return config;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/**
 * The file's keys flattened to the names env values override ('ari.url'), and the `webhooks`
 * list as it stands (no env form; parseWebhooks checks it); unknown keys refused.
 */
function parseFile(text: string, file: string): { values: FileValues; webhooks: unknown; guard: unknown } {
  const yaml = readYaml(text);
  if (!yaml.ok) throw new SupervisorError('CONFIG_UNREADABLE', `${file}:${yaml.line}:${yaml.col}: YAML syntax error: ${yaml.message}`, { key: file });
  const root = yaml.value;
  if (root === null || root === undefined) return { values: {}, webhooks: undefined, guard: undefined };
  const top = section(root, file, '', FILE_KEYS);
  const out: FileValues = {};
  for (const key of ['site', 'backend', 'dataDir', 'listen', 'demoRate', 'logFormat', 'apiRate'] as const) {
    if (top[key] !== undefined) out[key] = scalar(top[key], `${file}: ${key}`);
  }
  if (top.ari !== undefined) {
    const ari = section(top.ari, file, 'ari.', ARI_KEYS);
    for (const key of ARI_KEYS) if (ari[key] !== undefined) out[`ari.${key}`] = scalar(ari[key], `${file}: ari.${key}`);
  }
  if (top.database !== undefined) {
    const db = section(top.database, file, 'database.', DATABASE_KEYS);
    if (db.url !== undefined) out['database.url'] = scalar(db.url, `${file}: database.url`);
  }
  if (top.redis !== undefined) {
    const redis = section(top.redis, file, 'redis.', REDIS_KEYS);
    for (const key of REDIS_KEYS) if (redis[key] !== undefined) out[`redis.${key}`] = scalar(redis[key], `${file}: redis.${key}`);
  }
  return { values: out, webhooks: top.webhooks, guard: top.guard };
}

function section<K extends string>(value: unknown, file: string, prefix: string, keys: readonly K[]): Partial<Record<K, unknown>> {
  const where = prefix === '' ? `${file}` : `${file}: ${prefix.slice(0, -1)}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(where, 'must be a mapping of keys', keys.map((k) => prefix + k).join(', '));
  for (const key of Object.keys(value)) {
    if (!(keys as readonly string[]).includes(key)) throw invalid(`${file}: ${prefix}${key}`, 'is not a known key', keys.map((k) => prefix + k).join(', '));
  }
  return value as Partial<Record<K, unknown>>;
}

function scalar(value: unknown, key: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalid(key, `must be a single value, got ${Array.isArray(value) ? 'a list' : typeof value}`, 'a string or a number');
}

function parseBackend(value: string | undefined, key: string): BackendKind | undefined {
  if (value === undefined) return undefined;
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendKind;
  throw invalid(key, `unknown backend ${JSON.stringify(value)}`, BACKENDS.join(', '));
}

function parseAri(url: { value: string | undefined; key: string }, user: { value: string | undefined; key: string }, password: { value: string | undefined; key: string }): AriTarget | null {
  if (url.value === undefined) {
    // Credentials without a URL would silently talk to the stand-in instead: say so.
    if (user.value !== undefined || password.value !== undefined) throw invalid('TDMGATE_ARI_URL', 'is missing while ARI credentials are set', 'http://host:8088 (or unset both user and password for the built-in stand-in)');
    return null;
  }
  let parsed: URL;
  try {
    parsed = new URL(url.value);
  } catch {
    throw invalid(url.key, `${JSON.stringify(url.value)} is not a URL`, 'http://host:port or https://host:port');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid(url.key, `protocol ${parsed.protocol} is not HTTP`, 'http://host:port or https://host:port');
  if (user.value === undefined) throw invalid('TDMGATE_ARI_USER', 'is required when TDMGATE_ARI_URL is set', 'the ARI user of ari.conf');
  if (password.value === undefined) throw invalid('TDMGATE_ARI_PASSWORD', 'is required when TDMGATE_ARI_URL is set', 'the password of that ARI user');
  return { url: parsed.origin, user: user.value, password: password.value };
}

function parseDb(value: string | undefined, key: string, dataDir: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    parseDatabaseUrl(value, dataDir);
  } catch (err) {
    // StoreError's message already hides the password.
    throw new SupervisorError('CONFIG_INVALID', `${key}: ${(err as Error).message} (allowed: sqlite:///abs/path.db, a file path, mysql://user:pass@host:3306/db)`, {
      key, allowed: 'sqlite:///abs/path.db, a file path, mysql://user:pass@host:3306/db', cause: err,
    });
  }
  return value;
}

function parseRedis(url: { value: string | undefined; key: string }, prefix: { value: string | undefined; key: string }): RedisTarget | null {
  const p = prefix.value ?? DEFAULT_QUEUE_PREFIX;
  // BullMQ joins prefix and queue name with ':'; a ':' or a space in the prefix would mix boxes' keys.
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(p)) throw invalid(prefix.key, `${JSON.stringify(p)} is not a queue prefix`, 'letters, digits, _ . - (at most 64)');
  if (url.value === 'off') return null;
  const value = url.value ?? DEFAULT_REDIS_URL;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalid(url.key, `${JSON.stringify(value)} is not a URL`, 'redis://[:password@]host:port[/db], rediss://... or off');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw invalid(url.key, `protocol ${parsed.protocol} is not Redis`, 'redis://[:password@]host:port[/db], rediss://... or off');
  return { url: value, prefix: p };
}

export function parseListen(value: string, key: string): ListenAddress {
  const allowed = 'host:port, [ipv6]:port or :port, port 0-65535 (0 = any free port)';
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  if (!m) throw invalid(key, `${JSON.stringify(value)} is not an address`, allowed);
  const port = Number(m[3]);
  if (port > 65535) throw invalid(key, `port ${port} is out of range`, allowed);
  const host = m[1] ?? (m[2] === '' || m[2] === undefined ? DEFAULT_LISTEN.host : m[2]);
  return { host, port };
}

function parseLogFormat(value: string | undefined, key: string): LogFormat | undefined {
  if (value === undefined) return undefined;
  if ((LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat;
  throw invalid(key, `unknown log format ${JSON.stringify(value)}`, LOG_FORMATS.join(', '));
}

function parseRate(value: string, key: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0) || n > MAX_DEMO_RATE) throw invalid(key, `${JSON.stringify(value)} is not a call rate`, `a number of calls per minute above 0, at most ${MAX_DEMO_RATE}`);
  return n;
}

/** `20/s` (a burst of three seconds' worth) or `20/s,60`. */
export function parseApiRate(value: string, key: string): ApiRate {
  const m = /^(\d+(?:\.\d+)?)\/s(?:,(\d+))?$/.exec(value.trim());
  const perSecond = Number(m?.[1]);
  const burst = m?.[2] === undefined ? Math.max(1, Math.ceil(perSecond * 3)) : Number(m[2]);
  if (!m || !(perSecond > 0) || perSecond > 100_000 || !(burst >= 1) || burst > 1_000_000) {
    throw invalid(key, `${JSON.stringify(value)} is not a request rate`, 'requests per second (at most 100000) and an optional burst (at most 1000000): 20/s or 20/s,60');
  }
  return { perSecond, burst };
}

function absolute(value: string, key: string): string {
  if (value.includes('\u0000')) throw invalid(key, 'contains a NUL character', 'a directory path');
  return path.resolve(value);
}

function defaultDataDir(sources: ConfigSources): string {
  const uid = sources.uid ?? (typeof process.getuid === 'function' ? process.getuid() : 0);
  if (uid === 0) return '/var/lib/tdmgate';
  const home = sources.home ?? sources.env.HOME ?? '/tmp';
  return path.join(home, '.local', 'state', 'tdmgate');
}
