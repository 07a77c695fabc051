// The audit row of a refused API request says why: the refusal's code and words (the toll
// guard's rule and limit among them). Its own migration, since api_tokens_audit may already be
// applied where this arrives.

import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_audit', (t) => {
    // '' when the request succeeded.
    t.string('result', 500).notNullable().defaultTo('');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_audit', (t) => {
    t.dropColumn('result');
  });
}
