import type { Knex } from 'knex';

/**
 * The one ordered event log: every change a client, debtor or agency cares about appends a row in
 * the same transaction as the change. It feeds the live stream (SSE), the integration feed and
 * webhooks, and notifications, the same with one API process or many.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('events', (t) => {
    t.bigIncrements('id');
    t.string('public_id', 40).notNullable().unique();
    /** e.g. account.note_added, account.payment_reported, placement.created */
    t.string('type', 64).notNullable();
    t.integer('client_id').unsigned().nullable().references('clients.id');
    t.integer('account_id').unsigned().nullable().references('accounts.id');
    /** client: may reach the client's users; internal: agency and integrations only */
    t.string('visibility', 16).notNullable();
    t.text('payload_json').notNullable();
    t.string('actor_type', 16).notNullable();
    t.string('actor_id', 40).nullable();
    t.datetime('occurred_at', { precision: 3 }).notNullable();
    t.index(['client_id', 'id']);
    t.index(['account_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('events');
}
