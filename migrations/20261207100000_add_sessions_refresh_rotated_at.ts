import type { Knex } from 'knex';

/**
 * When the refresh token was last rotated: for a short grace window after it, the token it replaced
 * answers with the same new pair (two tabs refreshing at once), instead of counting as a replay.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.datetime('refresh_rotated_at', { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumn('refresh_rotated_at');
  });
}
