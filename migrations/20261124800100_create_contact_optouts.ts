import type { Knex } from 'knex';

/**
 * Opt-outs per channel and address (an email address or a phone number as digits): the outbox
 * checks them before every debtor message, so an opt-out takes effect at once. An SMS "STOP" names
 * only a phone number, so the address is the key; the account is kept when known, for the record.
 * Opting back in ("START") stamps `revoked_at`; rows are never deleted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contact_optouts', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    /** email | sms */
    t.string('channel', 8).notNullable();
    /** lower-case email, or the phone's last 10 digits */
    t.string('address', 320).notNullable();
    t.integer('account_id').unsigned().nullable().references('accounts.id').onDelete('SET NULL');
    /** email_link | one_click | sms_keyword | agency | debtor_flow */
    t.string('source', 24).notNullable();
    /** the keyword or note that caused it (STOP, UNSUBSCRIBE, …) */
    t.string('detail', 255).nullable();
    t.string('ip', 64).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('revoked_at', { precision: 3 }).nullable();
    t.string('revoked_detail', 255).nullable();
    t.index(['channel', 'address', 'revoked_at']);
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('contact_optouts');
}
