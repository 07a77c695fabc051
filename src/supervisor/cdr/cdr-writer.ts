// What the CDR sink needs from the store: insert rows idempotently, and a cheap liveness probe.
// CdrRepository implements it; the sink depends on this interface only.

import type { CdrRow } from '../../store/cdr-columns';

export interface CdrWriter {
  /** Inserts in order; a row whose (uniqueid, sequence) exists is skipped, not an error. */
  insertMany(rows: readonly CdrRow[]): Promise<void>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
}
