// Creates the cdr table: Asterisk's standard columns (names, order and MySQL types of its
// cdr_mysql/cdr_adaptive_odbc schema, so existing CDR tools read it) plus what a TDM gateway
// knows. (uniqueid, sequence) is unique: every write is an insert that ignores a duplicate, so
// replays and restarts never double a row.

import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cdr', (t) => {
    // Asterisk's table has no key; a surrogate id gives InnoDB a short clustered key and
    // reports a stable insertion order.
    t.bigIncrements('id');
    t.dateTime('calldate').notNullable();
    t.string('clid', 80).notNullable().defaultTo('');
    t.string('src', 80).notNullable().defaultTo('');
    t.string('dst', 80).notNullable().defaultTo('');
    t.string('dcontext', 80).notNullable().defaultTo('');
    t.string('channel', 80).notNullable().defaultTo('');
    t.string('dstchannel', 80).notNullable().defaultTo('');
    t.string('lastapp', 80).notNullable().defaultTo('');
    t.string('lastdata', 80).notNullable().defaultTo('');
    t.integer('duration').notNullable().defaultTo(0);
    t.integer('billsec').notNullable().defaultTo(0);
    t.string('disposition', 45).notNullable().defaultTo('');
    t.integer('amaflags').notNullable().defaultTo(0);
    t.string('accountcode', 80).notNullable().defaultTo('');
    t.string('uniqueid', 150).notNullable().defaultTo('');
    t.string('userfield', 255).notNullable().defaultTo('');
    t.string('linkedid', 150).notNullable().defaultTo('');
    t.string('peeraccount', 80).notNullable().defaultTo('');
    t.integer('sequence').notNullable().defaultTo(0);
    // tdmgate's own columns.
    t.integer('span').nullable();
    t.integer('timeslot').nullable();
    t.string('trunk_group', 80).notNullable().defaultTo('');
    t.string('direction', 8).notNullable();
    t.smallint('q850_cause').nullable();
    t.dateTime('ring_time', { precision: 3 }).nullable();
    t.dateTime('answer_time', { precision: 3 }).nullable();
    t.dateTime('end_time', { precision: 3 }).nullable();
    t.string('route', 80).notNullable().defaultTo('');
    t.unique(['uniqueid', 'sequence'], { indexName: 'cdr_uniqueid_sequence_unique' });
    t.index(['calldate'], 'cdr_calldate_index');
    t.index(['linkedid'], 'cdr_linkedid_index');
    t.index(['trunk_group', 'calldate'], 'cdr_trunk_group_calldate_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cdr');
}
