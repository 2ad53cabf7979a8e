import type { Knex } from 'knex';

/** How far each user has read each thread: unread = messages by others after this id. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_reads', (t) => {
    t.integer('thread_id').unsigned().notNullable().references('message_threads.id');
    t.integer('user_id').unsigned().notNullable().references('users.id');
    t.bigInteger('last_read_message_id').notNullable();
    t.datetime('read_at', { precision: 3 }).notNullable();
    t.primary(['thread_id', 'user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('message_reads');
}
