import type { Knex } from 'knex';

/**
 * When the agency paused a payment plan (status `paused`): on resume the remaining instalments move
 * later by the days the plan was paused, so none falls due in a burst.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_plans', (t) => {
    t.datetime('paused_at', { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_plans', (t) => {
    t.dropColumn('paused_at');
  });
}
