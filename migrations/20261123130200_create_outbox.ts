import type { Knex } from 'knex';

/**
 * The transactional outbox for email and SMS: a message is a row written in the same transaction
 * as the change it announces, delivered afterwards by the worker with retries. Policies (consent,
 * opt-out, contact window) may hold a row until a time or cancel it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id');
    t.string('public_id', 40).notNullable().unique();
    /** email | sms */
    t.string('channel', 8).notNullable();
    /** receipt, password_reset, plan_reminder, … (for opt-outs and records) */
    t.string('category', 48).notNullable();
    t.string('recipient', 320).notNullable();
    t.string('subject', 255).nullable();
    t.text('body_text', 'mediumtext').notNullable();
    t.text('body_html', 'mediumtext').nullable();
    t.integer('account_id').unsigned().nullable().references('accounts.id');
    t.integer('party_id').unsigned().nullable();
    /** pending | sending | sent | failed | cancelled */
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.datetime('not_before', { precision: 3 }).notNullable();
    t.string('locked_by', 80).nullable();
    t.datetime('locked_until', { precision: 3 }).nullable();
    t.text('last_error').nullable();
    t.string('cancel_reason', 255).nullable();
    t.string('dedupe_key', 191).nullable().unique();
    t.string('provider_message_id', 255).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('sent_at', { precision: 3 }).nullable();
    t.index(['status', 'not_before']);
    t.index(['account_id']);
  });
  // What the built-in `log` SMS provider "sends": a record a test or an operator can read.
  await knex.schema.createTable('sms_log', (t) => {
    t.bigIncrements('id');
    t.string('recipient', 32).notNullable();
    t.text('body').notNullable();
    t.string('outbox_public_id', 40).notNullable();
    t.datetime('sent_at', { precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sms_log');
  await knex.schema.dropTable('outbox');
}
