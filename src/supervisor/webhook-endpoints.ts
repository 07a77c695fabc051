// The `webhooks:` list of the supervisor's config file: the CRM endpoints that get a signed POST
// on ring, answer and hang-up of every call (src/webhooks delivers them). Checked here, when the
// config is read, so a bad endpoint stops `tdmgate supervise` at once with the key named
// (`webhooks[1].secretFile`). A secret comes inline or from a file (read through the config's
// own reader); it is never put in a message.

import path from 'node:path';
import { CALL_EVENT_KINDS, type CallEventKind } from './calls/call-events';
import { SupervisorError } from './supervisor-errors';

/** The toll-fraud guard's alert (a token hit a cap): sent only to endpoints that list it. */
export const FRAUD_ALERT = 'fraud.alert';
export const WEBHOOK_EVENT_KINDS = [...CALL_EVENT_KINDS, FRAUD_ALERT] as const;
export type WebhookEventKind = CallEventKind | typeof FRAUD_ALERT;

export interface WebhookEndpoint {
  /** Names the endpoint's queue and its dead letters: stable while the URL stays the same. */
  name: string;
  url: string;
  /** HMAC-SHA256 key. Never logged. */
  secret: string;
  /** Default: the call events; fraud.alert only when listed. */
  events: readonly WebhookEventKind[];
  /** POSTs in flight to this endpoint at most. */
  concurrency: number;
  /** Tries per event before it becomes a dead letter. */
  attempts: number;
  /** The first retry's delay; each next one doubles. */
  backoffMs: number;
  /** One POST's limit, answer included. */
  timeoutMs: number;
}

const KEYS = ['name', 'url', 'secret', 'secretFile', 'events', 'concurrency', 'attempts', 'backoffSeconds', 'timeoutSeconds'] as const;
export const WEBHOOK_DEFAULTS = { concurrency: 4, attempts: 10, backoffSeconds: 2, timeoutSeconds: 5 } as const;
const MIN_SECRET = 16;
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function invalid(key: string, message: string, allowed: string): SupervisorError {
  return new SupervisorError('CONFIG_INVALID', `${key}: ${message} (allowed: ${allowed})`, { key, allowed });
}

/**
 * The endpoints of the file's `webhooks` value (undefined = none). `readText` reads secret files;
 * a relative secretFile is taken from the config file's folder.
 */
export async function parseWebhooks(value: unknown, file: string, readText: (file: string) => Promise<string>): Promise<WebhookEndpoint[]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`${file}: webhooks`, 'must be a list of endpoints', `- { url, secret | secretFile, events?, concurrency?, attempts?, backoffSeconds?, timeoutSeconds?, name? }`);
  const endpoints: WebhookEndpoint[] = [];
  for (const [i, item] of value.entries()) {
    const at = `${file}: webhooks[${i}]`;
    const endpoint = await parseEndpoint(item, at, file, readText);
    const clash = endpoints.find((e) => e.name === endpoint.name);
    if (clash) throw invalid(`${at}.name`, `${JSON.stringify(endpoint.name)} is used by another endpoint`, 'a name of its own per endpoint');
    endpoints.push(endpoint);
  }
  return endpoints;
}

async function parseEndpoint(item: unknown, at: string, file: string, readText: (file: string) => Promise<string>): Promise<WebhookEndpoint> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid(at, 'must be a mapping', KEYS.join(', '));
  const e = item as Record<string, unknown>;
  const unknownKey = Object.keys(e).find((k) => !(KEYS as readonly string[]).includes(k));
  if (unknownKey !== undefined) throw invalid(`${at}.${unknownKey}`, 'is not a known key', KEYS.join(', '));
  const url = parseUrl(e.url, `${at}.url`);
  return {
    name: e.name === undefined ? defaultName(url) : parseName(e.name, `${at}.name`),
    url: url.toString(),
    secret: await parseSecret(e, at, file, readText),
    events: parseEvents(e.events, `${at}.events`),
    concurrency: integer(e.concurrency, `${at}.concurrency`, 1, 100, WEBHOOK_DEFAULTS.concurrency),
    attempts: integer(e.attempts, `${at}.attempts`, 1, 50, WEBHOOK_DEFAULTS.attempts),
    backoffMs: Math.round(seconds(e.backoffSeconds, `${at}.backoffSeconds`, 0.01, 3600, WEBHOOK_DEFAULTS.backoffSeconds) * 1000),
    timeoutMs: Math.round(seconds(e.timeoutSeconds, `${at}.timeoutSeconds`, 0.1, 120, WEBHOOK_DEFAULTS.timeoutSeconds) * 1000),
  };
}

function parseUrl(value: unknown, key: string): URL {
  const allowed = 'http://host[:port]/path or https://...';
  if (typeof value !== 'string' || value.trim() === '') throw invalid(key, 'is required', allowed);
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalid(key, `${JSON.stringify(value)} is not a URL`, allowed);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(key, `protocol ${url.protocol} is not HTTP`, allowed);
  return url;
}

function parseName(value: unknown, key: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) throw invalid(key, `${JSON.stringify(value)} is not an endpoint name`, 'letters, digits, _ . - (at most 64)');
  return value;
}

/** The host and a short hash of the URL: stable across restarts, different per URL. */
function defaultName(url: URL): string {
  let h = 0x811c9dc5;
  for (const c of url.toString()) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return `${url.hostname.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 48)}-${h.toString(16).padStart(8, '0')}`;
}

async function parseSecret(e: Record<string, unknown>, at: string, file: string, readText: (file: string) => Promise<string>): Promise<string> {
  const allowed = `secret: at least ${MIN_SECRET} characters, or secretFile: a file holding one`;
  if (e.secret !== undefined && e.secretFile !== undefined) throw invalid(`${at}.secret`, 'and secretFile are both set', 'one of them');
  let secret: string;
  let key: string;
  if (e.secret !== undefined) {
    key = `${at}.secret`;
    if (typeof e.secret !== 'string') throw invalid(key, 'must be text', allowed);
    secret = e.secret;
  } else if (e.secretFile !== undefined) {
    key = `${at}.secretFile`;
    if (typeof e.secretFile !== 'string' || e.secretFile.trim() === '') throw invalid(key, 'must be a file path', allowed);
    const secretPath = path.resolve(path.dirname(file), e.secretFile.trim());
    try {
      // A trailing newline is the editor's, not the secret's.
      secret = (await readText(secretPath)).replace(/\r?\n$/, '');
    } catch (err) {
      throw new SupervisorError('CONFIG_UNREADABLE', `${key}: cannot read ${secretPath}: ${(err as NodeJS.ErrnoException).code ?? 'EIO'}`, { key, cause: err });
    }
  } else {
    throw invalid(`${at}.secret`, 'is required (or secretFile)', allowed);
  }
  // The length only: the secret itself never goes into a message.
  if (secret.length < MIN_SECRET) throw invalid(key, `the secret has ${secret.length} characters`, allowed);
  return secret;
}

function parseEvents(value: unknown, key: string): WebhookEventKind[] {
  const allowed = `a list of ${WEBHOOK_EVENT_KINDS.join(', ')}`;
  if (value === undefined) return [...CALL_EVENT_KINDS];
  if (!Array.isArray(value) || value.length === 0) throw invalid(key, 'must be a non-empty list', allowed);
  const kinds: WebhookEventKind[] = [];
  for (const v of value) {
    if (!(WEBHOOK_EVENT_KINDS as readonly unknown[]).includes(v)) throw invalid(key, `${JSON.stringify(v)} is not a webhook event`, allowed);
    if (!kinds.includes(v as WebhookEventKind)) kinds.push(v as WebhookEventKind);
  }
  return kinds;
}

function integer(value: unknown, key: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalid(key, `${JSON.stringify(value)} is not allowed`, `a whole number from ${min} to ${max}`);
  return value;
}

function seconds(value: unknown, key: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw invalid(key, `${JSON.stringify(value)} is not allowed`, `seconds from ${min} to ${max}`);
  return value;
}
