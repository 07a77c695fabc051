// Real databases for the store and CDR tests: a fresh SQLite file in a temp directory, or a
// fresh database on the project's MariaDB - the server named by TDMGATE_TEST_MYSQL_URL (what
// scripts/test exports) or else the one scripts/mariadb starts. Each test gets its own
// database and drops it after. A MariaDB that cannot be started fails the tests loudly.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { packageRoot } from '../../src/package-root';

export type Dialect = 'sqlite' | 'mariadb';
export const DIALECTS: readonly Dialect[] = ['sqlite', 'mariadb'];

export interface TestDatabase {
  dialect: Dialect;
  url: string;
  /** A private directory for SQLite files, spools and the like. */
  dataDir: string;
  cleanup(): Promise<void>;
}

let serverUrl: string | undefined;

/** The MariaDB server's URL (its default database), starting it through scripts/mariadb. */
export function mariadbServerUrl(): string {
  if (serverUrl) return serverUrl;
  const fromEnv = process.env.TDMGATE_TEST_MYSQL_URL?.trim();
  if (fromEnv) return (serverUrl = fromEnv);
  const script = join(packageRoot(__dirname), 'scripts', 'mariadb');
  try {
    execFileSync('bash', [script, 'start'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
    serverUrl = execFileSync('bash', [script, 'url'], { encoding: 'utf8' }).trim();
  } catch (err) {
    const stderr = (err as { stderr?: Buffer | string }).stderr?.toString() ?? '';
    throw new Error(
      `MariaDB is required for these tests and could not be started with scripts/mariadb start ` +
        `(it installs Debian's mariadb-server-core when missing; set TDMGATE_TEST_MYSQL_URL to use another server).\n${stderr}`,
    );
  }
  return serverUrl;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const k = knexFactory({ client: 'mysql2', connection: mysqlConnection(mariadbServerUrl()) });
  try {
    await k.raw(sql);
  } finally {
    await k.destroy();
  }
}

function mysqlConnection(url: string): { host: string; port: number; user: string; password: string; database: string } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
  };
}

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `tdmgate-${dialect}-`));
  if (dialect === 'sqlite') {
    return {
      dialect,
      url: `sqlite://${join(dataDir, 'cdr-test.db')}`,
      dataDir,
      cleanup: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
    };
  }
  // The tdmgate user may create databases named tdmgate*; unique per process and test.
  const name = `tdmgate_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  return {
    dialect,
    url: withDatabase(mariadbServerUrl(), name),
    dataDir,
    cleanup: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS \`${name}\``);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
