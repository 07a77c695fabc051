// The api_audit table: one row per mutating API request - the token's name, method, path, the
// remote address, the status it got, a short summary of its body and, for a refusal, its code
// and words - written after the answer is sent, read back newest first. Secrets never reach it: the caller summarises the body.

import type { Knex } from 'knex';
import { formatDbTime } from './cdr-repository';

export interface AuditEntry {
  at: Date;
  /** '' when the request had no valid token. */
  tokenName: string;
  method: string;
  path: string;
  remote: string;
  status: number;
  body: string;
  /** A refusal's code and detail (`GUARD_REFUSED: ... calls-per-hour ...`); '' when it succeeded. */
  result: string;
}

export interface AuditView extends Omit<AuditEntry, 'at'> {
  id: number;
  at: string;
}

interface AuditRow {
  id: number | string;
  at: string;
  token_name: string;
  method: string;
  path: string;
  remote: string;
  status: number;
  body: string;
  result: string;
}

const WIDTH = { path: 255, remote: 64, body: 1000, token_name: 64, result: 500 } as const;

export class ApiAuditLog {
  constructor(private readonly knex: Knex) {}

  async record(e: AuditEntry): Promise<void> {
    await this.knex('api_audit').insert({
      at: formatDbTime(e.at, true),
      token_name: e.tokenName.slice(0, WIDTH.token_name),
      method: e.method.slice(0, 8),
      path: e.path.slice(0, WIDTH.path),
      remote: e.remote.slice(0, WIDTH.remote),
      status: e.status,
      body: e.body.slice(0, WIDTH.body),
      result: e.result.slice(0, WIDTH.result),
    });
  }

  /** Newest first; `token` narrows to one token's requests. */
  async list(filter: { limit: number; token?: string }): Promise<AuditView[]> {
    const q = this.knex<AuditRow>('api_audit').select('*').orderBy('id', 'desc').limit(filter.limit);
    if (filter.token !== undefined) void q.where({ token_name: filter.token });
    const rows = (await q) as AuditRow[];
    return rows.map((r) => ({
      id: Number(r.id), at: `${String(r.at).replace(' ', 'T')}Z`, tokenName: r.token_name, method: r.method, path: r.path, remote: r.remote, status: Number(r.status), body: r.body, result: r.result,
    }));
  }
}
