import type { Knex } from 'knex';

/**
 * One placed account and its review: the account row itself is written at placement with
 * review_status pending_review (invisible to the client's search) and this row carries who placed
 * it, the comments, and the agency's decision.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('placements', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    t.integer('account_id').unsigned().notNullable().unique().references('accounts.id').onDelete('CASCADE');
    t.integer('batch_id').unsigned().nullable().references('placement_batches.id');
    /** 1-based data row of the spreadsheet (header excluded) */
    t.integer('row_number').nullable();
    /** pending_review | accepted | rejected */
    t.string('status', 16).notNullable();
    t.string('client_account_number', 64).notNullable();
    /**
     * "<client id>:<client account number>" while the placement is live; NULL once rejected, so the
     * client may place the number again. Unique: two concurrent placements of one number cannot both win.
     */
    t.string('dedupe_key', 80).nullable().unique();
    t.text('comments').nullable();
    t.integer('placed_by_user_id').unsigned().nullable().references('users.id');
    t.integer('reviewed_by_user_id').unsigned().nullable().references('users.id');
    t.datetime('reviewed_at', { precision: 3 }).nullable();
    t.string('reject_reason', 500).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['client_id', 'status', 'created_at']);
    t.index(['status', 'created_at']);
    t.index(['batch_id', 'row_number']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('placements');
}
