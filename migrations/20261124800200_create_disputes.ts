import type { Knex } from 'knex';

/**
 * Debtor disputes and original-creditor requests (Regulation F §1006.34/§1006.38). Opening one puts
 * the account on hold at once; `previous_status` is what to restore when the agency resolves it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('disputes', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    t.integer('party_id').unsigned().nullable().references('account_parties.id').onDelete('SET NULL');
    /** dispute | original_creditor_request */
    t.string('kind', 32).notNullable();
    /** all | part (disputes only) */
    t.string('scope', 8).nullable();
    t.bigInteger('disputed_amount_cents').nullable();
    /** not_mine | wrong_amount | paid | identity_theft | other … */
    t.string('reason_code', 32).nullable();
    t.text('reason').nullable();
    /** an optional supporting document, stored under a generated name (see disputes.service) */
    t.string('document_name', 200).nullable();
    t.string('document_key', 80).nullable();
    /** open | resolved */
    t.string('status', 16).notNullable();
    t.string('previous_status', 32).notNullable();
    /** debtor (online) | agency | client (received by phone or mail and entered by their staff) */
    t.string('submitted_via', 16).notNullable();
    t.string('submitted_by', 64).nullable();
    t.string('ip', 64).nullable();
    t.string('task_public_id', 40).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('resolved_at', { precision: 3 }).nullable();
    t.text('resolution').nullable();
    t.index(['account_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('disputes');
}
