import type { Knex } from 'knex';

/** Files attached to an account (F-DOC 1). The bytes live in the file store under `storage_key`. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('attachments', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id');
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    /** required label given by the uploader */
    t.string('display_name', 200).notNullable();
    /** the uploader's file name, for display only (never a path) */
    t.string('original_name', 255).notNullable();
    /** decided from the bytes at upload, not the client's claim */
    t.string('content_type', 100).notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.string('storage_key', 80).notNullable();
    t.integer('uploaded_by_user_id').unsigned().notNullable().references('users.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    /** soft delete: the row stays for the audit trail, the bytes are removed */
    t.datetime('deleted_at', { precision: 3 }).nullable();
    t.integer('deleted_by_user_id').unsigned().nullable().references('users.id');
    t.index(['account_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('attachments');
}
