// The API's bearer tokens in the api_tokens table. A token is `tdm_` and 43 characters of a
// random 32-byte value; only its sha256 is stored, so the secret is shown once (by `tdmgate
// token create`) and never again. Every request looks its token up here - no cache - so a
// revoke, an expiry or a suspension by the toll-fraud guard holds from the next request on.
// Times are UTC 'YYYY-MM-DD HH:MM:SS' strings, as the cdr table keeps them, on both dialects.

import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { formatDbTime } from './cdr-repository';
import { TokenError } from './token-errors';

export const API_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** What people see at the start of a secret, to tell it is tdmgate's. */
export const TOKEN_PREFIX = 'tdm_';
export const DEFAULT_EXPIRY = '365d';
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const EXPIRY = /^(\d{1,5})([hdwy])$/;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 };
/** last_used_at is written at most this often per token: a busy CRM must not write on every GET. */
const TOUCH_EVERY_MS = 60_000;
const MAX_REASON = 255;

export type TokenStatus = 'active' | 'expired' | 'revoked' | 'suspended';

/** A token as `token list` and GET /tokens show it: never the secret, never its hash. */
export interface TokenView {
  name: string;
  role: ApiRole;
  status: TokenStatus;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  suspendedAt: string | null;
  suspendedReason: string | null;
  lastUsedAt: string | null;
}

export interface CreatedToken extends TokenView {
  /** The secret: shown once, stored only as its sha256. */
  token: string;
}

/** Who a request is, once its token checked out. */
export interface TokenIdentity {
  name: string;
  role: ApiRole;
}

export type TokenCheck = { ok: true; token: TokenIdentity } | { ok: false; reason: 'unknown' | Exclude<TokenStatus, 'active'> };

interface TokenRow {
  name: string;
  role: string;
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  suspended_at: string | null;
  suspended_reason: string | null;
  last_used_at: string | null;
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** `90d` -> milliseconds; `never` -> null. Units h, d, w, y. */
export function parseExpiry(text: string): number | null {
  const t = text.trim();
  if (t === 'never') return null;
  const m = EXPIRY.exec(t);
  const ms = m ? Number(m[1]) * (UNIT_MS[m[2] as string] as number) : 0;
  if (!(ms > 0)) throw new TokenError('INVALID_TOKEN_REQUEST', `${JSON.stringify(text)} is not a lifetime; allowed: a number and h, d, w or y (90d, 12h, 1y), or never`, { field: 'expires' });
  return ms;
}

function isRole(role: string): role is ApiRole {
  return (API_ROLES as readonly string[]).includes(role);
}

function dbTime(d: Date): string {
  return formatDbTime(d, false);
}

function isoOf(dbValue: string | null): string | null {
  return dbValue === null ? null : `${String(dbValue).replace(' ', 'T').slice(0, 19)}Z`;
}

function statusOf(row: TokenRow, now: Date): TokenStatus {
  if (row.revoked_at !== null) return 'revoked';
  if (row.suspended_at !== null) return 'suspended';
  if (row.expires_at !== null && String(row.expires_at) <= dbTime(now)) return 'expired';
  return 'active';
}

function viewOf(row: TokenRow, now: Date): TokenView {
  return {
    name: row.name,
    role: isRole(row.role) ? row.role : 'viewer',
    status: statusOf(row, now),
    createdAt: isoOf(row.created_at) as string,
    expiresAt: isoOf(row.expires_at),
    revokedAt: isoOf(row.revoked_at),
    suspendedAt: isoOf(row.suspended_at),
    suspendedReason: row.suspended_reason,
    lastUsedAt: isoOf(row.last_used_at),
  };
}

function isDuplicate(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export class ApiTokenStore {
  private readonly touched = new Map<string, number>();

  constructor(private readonly knex: Knex, private readonly now: () => Date = () => new Date()) {}

  /**
   * A new token. A name still in use is refused (NAME_TAKEN); the name of a revoked or expired
   * token is taken over, so `crm` can get a fresh token after its old one was revoked.
   */
  async create(input: { name: string; role: string; expires?: string }): Promise<CreatedToken> {
    const name = input.name.trim();
    if (!NAME.test(name)) throw new TokenError('INVALID_TOKEN_REQUEST', `${JSON.stringify(input.name)} is not a token name; allowed: 1-64 letters, digits, _ . -`, { field: 'name' });
    if (!isRole(input.role)) throw new TokenError('INVALID_TOKEN_REQUEST', `${JSON.stringify(input.role)} is not a role; allowed: ${API_ROLES.join(', ')}`, { field: 'role' });
    const lifetime = parseExpiry(input.expires ?? DEFAULT_EXPIRY);
    const now = this.now();
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row: TokenRow = {
      name, role: input.role, token_hash: hashToken(token), created_at: dbTime(now),
      expires_at: lifetime === null ? null : dbTime(new Date(now.getTime() + lifetime)),
      revoked_at: null, suspended_at: null, suspended_reason: null, last_used_at: null,
    };
    try {
      await this.knex.transaction(async (trx) => {
        const old = (await trx<TokenRow>('api_tokens').where({ name }).first()) as TokenRow | undefined;
        if (old !== undefined) {
          const status = statusOf(old, now);
          if (status === 'active' || status === 'suspended') {
            throw new TokenError('NAME_TAKEN', `a token named ${JSON.stringify(name)} is ${status}; revoke it first or choose another name`, { field: 'name' });
          }
          await trx('api_tokens').where({ name }).del();
        }
        await trx('api_tokens').insert(row);
      });
    } catch (err) {
      if (isDuplicate(err)) throw new TokenError('NAME_TAKEN', `a token named ${JSON.stringify(name)} was just created by someone else; choose another name`, { field: 'name', cause: err });
      throw err;
    }
    return { ...viewOf(row, now), token };
  }

  async list(): Promise<TokenView[]> {
    const now = this.now();
    const rows = (await this.knex<TokenRow>('api_tokens').select('*').orderBy('name')) as TokenRow[];
    return rows.map((r) => viewOf(r, now));
  }

  async get(name: string): Promise<TokenView> {
    const row = (await this.knex<TokenRow>('api_tokens').where({ name }).first()) as TokenRow | undefined;
    if (row === undefined) throw new TokenError('TOKEN_NOT_FOUND', `no token named ${JSON.stringify(name)}; tdmgate token list shows them`, { field: 'name' });
    return viewOf(row, this.now());
  }

  /** Revokes for good; the next request with it is refused. Revoking twice is no error. */
  async revoke(name: string): Promise<TokenView> {
    await this.get(name);
    await this.knex('api_tokens').where({ name }).whereNull('revoked_at').update({ revoked_at: dbTime(this.now()) });
    return this.get(name);
  }

  /** Stops a token until an operator acts (the toll-fraud guard's verdict); the reason is shown by list. */
  /** Whether the token of this name is suspended (false for a name never created). */
  async isSuspended(name: string): Promise<boolean> {
    const row = (await this.knex<TokenRow>('api_tokens').where({ name }).first()) as TokenRow | undefined;
    return row !== undefined && row.suspended_at !== null;
  }

  async suspend(name: string, reason: string): Promise<TokenView> {
    await this.get(name);
    await this.knex('api_tokens').where({ name }).whereNull('suspended_at').update({ suspended_at: dbTime(this.now()), suspended_reason: reason.slice(0, MAX_REASON) });
    return this.get(name);
  }

  /** Who the secret belongs to, or why it is refused. Notes the use (at most once a minute). */
  async check(secret: string): Promise<TokenCheck> {
    const row = (await this.knex<TokenRow>('api_tokens').where({ token_hash: hashToken(secret) }).first()) as TokenRow | undefined;
    if (row === undefined || !isRole(row.role)) return { ok: false, reason: 'unknown' };
    const now = this.now();
    const status = statusOf(row, now);
    if (status !== 'active') return { ok: false, reason: status };
    if (now.getTime() - (this.touched.get(row.name) ?? 0) >= TOUCH_EVERY_MS) {
      this.touched.set(row.name, now.getTime());
      await this.knex('api_tokens').where({ name: row.name }).update({ last_used_at: dbTime(now) });
    }
    return { ok: true, token: { name: row.name, role: row.role } };
  }
}
