import type { Knex } from 'knex';

/** Comments on a collab file (author, time, text). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('collab_comments', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('file_id').unsigned().notNullable().references('collab_files.id');
    t.integer('author_user_id').unsigned().notNullable().references('users.id');
    t.text('body').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['file_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('collab_comments');
}
