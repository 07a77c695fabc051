// The toll-fraud guard's counters, in the database every box shares so a cap holds across them:
// guard_usage holds one number per subject (an API token), metric and period (calls in a local
// hour, international seconds in a local day), raised with atomic upserts; guard_destinations
// one row per distinct number a subject called on a day, whose insertion order (id) ranks it
// against the day's cap.

import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('guard_usage', (t) => {
    t.string('subject', 100).notNullable();
    t.string('metric', 24).notNullable();
    /** Local 'YYYY-MM-DD' or 'YYYY-MM-DDTHH': text sorts by time, so old periods prune by range. */
    t.string('period', 16).notNullable();
    t.bigInteger('value').notNullable().defaultTo(0);
    t.primary(['subject', 'metric', 'period']);
  });
  await knex.schema.createTable('guard_destinations', (t) => {
    t.bigIncrements('id');
    t.string('subject', 100).notNullable();
    t.string('day', 10).notNullable();
    t.string('destination', 20).notNullable();
    t.unique(['subject', 'day', 'destination'], { indexName: 'guard_destinations_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('guard_destinations');
  await knex.schema.dropTable('guard_usage');
}
