// Hands knex's migrator the migrations from a list compiled into the program instead of a
// directory scan: the same list works from dist/, from the esbuild bundle (which has no
// migrations directory) and never picks up .d.ts or .map files.

import type { Knex } from 'knex';
import * as createCdr from './migrations/20251124100000_create_cdr';
import * as apiTokensAudit from './migrations/20261208100000_api_tokens_audit';
import * as guardUsage from './migrations/20261208110000_guard_usage';
import * as cdrSearchIndexes from './migrations/20261208120000_cdr_search_indexes';
import * as apiAuditResult from './migrations/20261208130000_api_audit_result';

interface NamedMigration {
  name: string;
  migration: Knex.Migration;
}

// Append only, in timestamp order; a shipped entry never changes.
const MIGRATIONS: readonly NamedMigration[] = [
  { name: '20251124100000_create_cdr', migration: createCdr },
  { name: '20261208100000_api_tokens_audit', migration: apiTokensAudit },
  { name: '20261208110000_guard_usage', migration: guardUsage },
  { name: '20261208120000_cdr_search_indexes', migration: cdrSearchIndexes },
  { name: '20261208130000_api_audit_result', migration: apiAuditResult },
];

export class StaticMigrationSource implements Knex.MigrationSource<NamedMigration> {
  getMigrations(): Promise<NamedMigration[]> {
    return Promise.resolve([...MIGRATIONS]);
  }

  getMigrationName(m: NamedMigration): string {
    return m.name;
  }

  getMigration(m: NamedMigration): Promise<Knex.Migration> {
    return Promise.resolve(m.migration);
  }
}

export function migrationNames(): string[] {
  return MIGRATIONS.map((m) => m.name);
}
