// Indexes for the CDR search (cdr-search.ts), which returns rows newest first by (calldate, id).
// Each filter gets an index that holds calldate and id in that order after its equality columns,
// so a filtered page walks the index backwards and stops after one page instead of sorting every
// match. Columns a filter tests but does not order by (timeslot, src, dst) come after: both
// SQLite (a deferred table seek) and InnoDB (index condition pushdown) test them on the index
// entry and read the row only when it matches - what makes a partial-number search scan an index
// of about 50 bytes a row instead of the table's 500.
//
// cdr_calldate_index (calldate) is replaced by (calldate, id, src, dst): the same prefix serves
// every time-range query. A group uses cdr_trunk_group_calldate_index from the first migration.
// Each index costs the ingest a little; disposition has few values, but a rare one (FAILED,
// CONGESTION) would otherwise mean walking most of the table to fill a page.

import type { Knex } from 'knex';

const INDEXES: readonly [name: string, columns: string[]][] = [
  ['cdr_calldate_id_src_dst_index', ['calldate', 'id', 'src', 'dst']],
  ['cdr_span_calldate_id_timeslot_index', ['span', 'calldate', 'id', 'timeslot']],
  ['cdr_accountcode_calldate_index', ['accountcode', 'calldate']],
  ['cdr_disposition_calldate_index', ['disposition', 'calldate']],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cdr', (t) => {
    for (const [name, columns] of INDEXES) t.index(columns, name);
  });
  await knex.schema.alterTable('cdr', (t) => {
    t.dropIndex(['calldate'], 'cdr_calldate_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cdr', (t) => {
    t.index(['calldate'], 'cdr_calldate_index');
  });
  await knex.schema.alterTable('cdr', (t) => {
    for (const [name, columns] of INDEXES) t.dropIndex(columns, name);
  });
}
