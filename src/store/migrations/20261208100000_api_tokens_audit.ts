// The REST API's two tables. api_tokens: one row per bearer token, found by the sha256 of the
// secret (the secret itself is never stored, so a copied database gives no working token),
// revocable, expiring, and suspendable by the toll-fraud guard. api_audit: one row per mutating
// request - who, what, when, from where, the status it got - kept beside the CDRs it explains.

import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_tokens', (t) => {
    t.increments('id');
    t.string('name', 64).notNullable();
    t.string('role', 16).notNullable();
    // sha256 hex of the secret: fixed width, unique, the lookup key of every request.
    t.string('token_hash', 64).notNullable();
    t.dateTime('created_at').notNullable();
    t.dateTime('expires_at').nullable();
    t.dateTime('revoked_at').nullable();
    t.dateTime('suspended_at').nullable();
    t.string('suspended_reason', 255).nullable();
    t.dateTime('last_used_at').nullable();
    t.unique(['name'], { indexName: 'api_tokens_name_unique' });
    t.unique(['token_hash'], { indexName: 'api_tokens_token_hash_unique' });
  });
  await knex.schema.createTable('api_audit', (t) => {
    t.bigIncrements('id');
    t.dateTime('at', { precision: 3 }).notNullable();
    // '' when the request carried no valid token (a refused request is audited too).
    t.string('token_name', 64).notNullable().defaultTo('');
    t.string('method', 8).notNullable();
    t.string('path', 255).notNullable();
    t.string('remote', 64).notNullable().defaultTo('');
    t.smallint('status').notNullable();
    t.string('body', 1000).notNullable().defaultTo('');
    t.index(['at'], 'api_audit_at_index');
    t.index(['token_name', 'at'], 'api_audit_token_name_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_audit');
  await knex.schema.dropTable('api_tokens');
}
