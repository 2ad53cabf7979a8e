import type { Knex } from 'knex';

/**
 * E-SIGN consent to electronic delivery, per debtor party. A row is an affirmative consent (time, IP,
 * user agent, the statement version and a hash of its exact text) to the channels it names;
 * withdrawal stamps `withdrawn_at` and keeps the row, so the record of what was agreed survives.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('esign_consents', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('party_id').unsigned().notNullable().references('account_parties.id').onDelete('CASCADE');
    t.string('statement_version', 32).notNullable();
    /** sha256 of the statement text shown, so the exact wording can be proved later */
    t.string('statement_hash', 64).notNullable();
    t.boolean('email').notNullable();
    t.boolean('sms').notNullable();
    /** the addresses the debtor confirmed when consenting */
    t.string('email_address', 320).nullable();
    t.string('phone', 32).nullable();
    /** debtor: in the debtor flow */
    t.string('source', 24).notNullable();
    t.string('ip', 64).nullable();
    t.string('user_agent', 255).nullable();
    t.datetime('consented_at', { precision: 3 }).notNullable();
    t.datetime('withdrawn_at', { precision: 3 }).nullable();
    /** debtor | agency (recorded from a call or letter) | link */
    t.string('withdrawn_via', 24).nullable();
    t.string('withdrawn_ip', 64).nullable();
    t.index(['party_id', 'withdrawn_at']);
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('esign_consents');
}
