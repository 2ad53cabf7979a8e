import type { Knex } from 'knex';

/**
 * Where a job last failed (issue 20, item 8): the worker id that ran the failed try. Its retry is
 * claimed by any other worker as soon as it is due, and by that worker only a while later (or when no
 * other worker is there), so a job does not keep landing on the node where it broke.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('jobs', (t) => {
    t.string('failed_by', 80).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('jobs', (t) => {
    t.dropColumn('failed_by');
  });
}
