// `tdmgate token create|list|revoke`: the REST API's bearer tokens, in the database the
// supervisor uses (the same configuration: TDMGATE_DB_URL, the config file's database.url, else
// SQLite in the data directory). create prints the secret once, on its last line (or as
// `token` with --json): only its sha256 is kept. list never shows a secret. A revoke holds from
// the supervisor's next request on: it reads the tokens on every request.

import { ApiTokenStore, API_ROLES, DEFAULT_EXPIRY, type TokenView } from '../../store/api-tokens';
import { Database } from '../../store/database';
import { classifyDbError } from '../../store/store-errors';
import { isTokenError } from '../../store/token-errors';
import { flag, maxPositionals, parseCommand, stringOption, UsageError } from '../args';
import { cliConfig } from '../campaign/common';
import type { CliContext, Command } from '../command';

export const TOKEN_EXIT = {
  OK: 0,
  USAGE: 64,
  /** EX_DATAERR: a name, role or lifetime refused, or the name in use. */
  DATA_ERROR: 65,
  /** EX_NOINPUT: no token of that name. */
  NOT_FOUND: 66,
  /** EX_UNAVAILABLE: the database does not answer. */
  UNAVAILABLE: 69,
} as const;

const COMMON = {
  config: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = [
  'Options: --config FILE (the supervisor\'s config file, as supervise), --json, -h/--help.',
  'Database: TDMGATE_DB_URL or the config file\'s database.url (default SQLite <data dir>/tdmgate.db), TDMGATE_DATA_DIR.',
  'Roles: viewer (read), operator (also calls, jobs, campaigns), admin (also tokens and the audit log).',
  'Exit codes: 0 done, 64 usage, 65 refused (the field is named), 66 no such token, 69 database not answering.',
  'Details: docs/api.md',
];

/** Runs `body` with the token store on the supervisor's database (migrated), closed afterwards. */
async function withTokens(ctx: CliContext, command: string, values: Record<string, string | boolean | undefined>, body: (tokens: ApiTokenStore) => Promise<number>): Promise<number> {
  const config = await cliConfig(ctx, values);
  const db = Database.open({ url: config.dbUrl, dataDir: config.dataDir, connectTimeoutMs: 5_000, acquireTimeoutMs: 5_000 });
  try {
    // The tables exist once the supervisor ran; a token made before its first start needs them too.
    await db.migrateLatest();
    return await body(new ApiTokenStore(db.knex));
  } catch (err) {
    if (isTokenError(err)) {
      ctx.stderr.write(`tdmgate ${command}: ${err.field === undefined ? '' : `${err.field}: `}${err.message}\n`);
      return err.code === 'TOKEN_NOT_FOUND' ? TOKEN_EXIT.NOT_FOUND : TOKEN_EXIT.DATA_ERROR;
    }
    const cause = (err as { cause?: unknown }).cause ?? err;
    if (classifyDbError(cause) === 'transient') {
      ctx.stderr.write(`tdmgate ${command}: the database does not answer: ${(err as Error).message}\n`);
      return TOKEN_EXIT.UNAVAILABLE;
    }
    throw err;
  } finally {
    await db.close();
  }
}

const CREATE_OPTIONS = { ...COMMON, name: { type: 'string' }, role: { type: 'string' }, expires: { type: 'string' } } as const;

export const tokenCreateCommand: Command = {
  name: 'token create',
  summary: 'create an API token; prints the secret once, on the last line',
  usage: `tdmgate token create --name NAME --role ${API_ROLES.join('|')} [--expires ${DEFAULT_EXPIRY}|90d|12h|never] [--json]`,
  options: CREATE_OPTIONS,
  help: [
    '  --name NAME     who uses it (crm, wallboard): letters, digits, _ . - ; shown in the audit log',
    `  --role ROLE     ${API_ROLES.join(', ')}`,
    `  --expires T     lifetime: a number and h, d, w or y, or never (default ${DEFAULT_EXPIRY})`,
    'The secret is printed once and stored only as its sha256: keep it now.',
    ...HELP,
  ],
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseCommand('token create', argv, CREATE_OPTIONS);
    maxPositionals('token create', positionals, 0);
    const name = stringOption(values, 'name');
    const role = stringOption(values, 'role');
    if (name === undefined) throw new UsageError('token create: --name is required (who uses the token: crm, wallboard)');
    if (role === undefined) throw new UsageError(`token create: --role is required (${API_ROLES.join(', ')})`);
    const expires = stringOption(values, 'expires');
    return withTokens(ctx, 'token create', values, async (tokens) => {
      const t = await tokens.create({ name, role, ...(expires === undefined ? {} : { expires }) });
      if (flag(values, 'json')) ctx.stdout.write(`${JSON.stringify(t)}\n`);
      else ctx.stdout.write(`token ${t.name} (${t.role}) created, ${t.expiresAt === null ? 'never expires' : `expires ${t.expiresAt}`}\nShown only this once - keep it now:\n${t.token}\n`);
      return TOKEN_EXIT.OK;
    });
  },
};

export const tokenListCommand: Command = {
  name: 'token list',
  summary: 'the API tokens: name, role, status, expiry, last use (never a secret)',
  usage: 'tdmgate token list [--json]',
  options: COMMON,
  help: HELP,
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseCommand('token list', argv, COMMON);
    maxPositionals('token list', positionals, 0);
    return withTokens(ctx, 'token list', values, async (tokens) => {
      const list = await tokens.list();
      ctx.stdout.write(flag(values, 'json') ? `${JSON.stringify(list)}\n` : table(list));
      return TOKEN_EXIT.OK;
    });
  },
};

export const tokenRevokeCommand: Command = {
  name: 'token revoke',
  summary: 'revoke an API token: its next request is refused',
  usage: 'tdmgate token revoke NAME [--json]',
  options: COMMON,
  help: HELP,
  async run(ctx: CliContext, argv: readonly string[]): Promise<number> {
    const { values, positionals } = parseCommand('token revoke', argv, COMMON);
    maxPositionals('token revoke', positionals, 1);
    const name = positionals[0];
    if (name === undefined) throw new UsageError('token revoke: the token\'s name is missing (tdmgate token list shows them)');
    return withTokens(ctx, 'token revoke', values, async (tokens) => {
      const t = await tokens.revoke(name);
      ctx.stdout.write(flag(values, 'json') ? `${JSON.stringify(t)}\n` : `token ${t.name} revoked\n`);
      return TOKEN_EXIT.OK;
    });
  },
};

function table(list: readonly TokenView[]): string {
  if (list.length === 0) return 'no tokens (tdmgate token create --name NAME --role viewer)\n';
  const rows = list.map((t) => [t.name, t.role, t.status === 'suspended' ? `suspended: ${t.suspendedReason ?? ''}` : t.status, t.expiresAt ?? 'never', t.lastUsedAt ?? '-']);
  const head = ['NAME', 'ROLE', 'STATUS', 'EXPIRES', 'LAST USED'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd()).join('\n') + '\n';
}
