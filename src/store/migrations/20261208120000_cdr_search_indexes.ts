// Indexes for the CDR search (cdr-search.ts): each filter an index whose last column is
// calldate, so an equality filter walks the index newest first and stops after one page instead
// of sorting every match. The time range alone uses cdr_calldate_index, a group
// cdr_trunk_group_calldate_index (both from the first migration). Each index costs the ingest a
// little; disposition and direction have few values, but a rare disposition (FAILED, CONGESTION)
// otherwise means walking most of the table to fill a page.

import type { Knex } from 'knex';

const INDEXES: readonly [name: string, columns: string[]][] = [
  ['cdr_span_timeslot_calldate_index', ['span', 'timeslot', 'calldate']],
  ['cdr_accountcode_calldate_index', ['accountcode', 'calldate']],
  ['cdr_disposition_calldate_index', ['disposition', 'calldate']],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cdr', (t) => {
    for (const [name, columns] of INDEXES) t.index(columns, name);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cdr', (t) => {
    for (const [name, columns] of INDEXES) t.dropIndex(columns, name);
  });
}
