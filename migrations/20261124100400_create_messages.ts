import type { Knex } from 'knex';

/** The messages of a thread, oldest first by id. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('messages', (t) => {
    t.bigIncrements('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('thread_id').unsigned().notNullable().references('message_threads.id');
    t.integer('author_user_id').unsigned().nullable().references('users.id');
    /** client | agency: which side wrote it */
    t.string('author_side', 16).notNullable();
    t.string('author_name', 200).notNullable();
    t.text('body').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['thread_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('messages');
}
