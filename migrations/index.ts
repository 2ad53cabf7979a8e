/**
 * The migration list, imported statically so migrations run under tsx, vitest and the compiled build
 * alike (knex's directory loader would import .ts files behind the test runner's back).
 * A test checks that every file in this folder is listed here, in order.
 */
import type { Knex } from 'knex';
import * as m20261123120000 from './20261123120000_create_clients.js';
import * as m20261123120100 from './20261123120100_create_roles.js';
import * as m20261123120200 from './20261123120200_create_users.js';
import * as m20261123120300 from './20261123120300_create_user_clients.js';
import * as m20261123120400 from './20261123120400_create_sessions.js';
import * as m20261123120500 from './20261123120500_create_login_throttle.js';
import * as m20261123120600 from './20261123120600_create_password_history.js';
import * as m20261123120700 from './20261123120700_create_accounts.js';
import * as m20261123120800 from './20261123120800_create_account_parties.js';
import * as m20261123120900 from './20261123120900_create_account_phones.js';
import * as m20261123121000 from './20261123121000_create_account_balances.js';
import * as m20261123121100 from './20261123121100_create_activity.js';
import * as m20261123121200 from './20261123121200_create_audit_log.js';
import * as m20261123121300 from './20261123121300_create_settings.js';
import * as m20261123121400 from './20261123121400_create_events.js';
import * as m20261123130000 from './20261123130000_create_idempotency_keys.js';
import * as m20261123130100 from './20261123130100_create_jobs.js';
import * as m20261123130200 from './20261123130200_create_outbox.js';
import * as m20261123130300 from './20261123130300_create_tasks.js';
import * as m20261124100000 from './20261124100000_create_transactions.js';
import * as m20261124100100 from './20261124100100_add_account_hold_columns.js';
import * as m20261124100200 from './20261124100200_add_account_flag.js';
import * as m20261124100300 from './20261124100300_create_message_threads.js';
import * as m20261124100400 from './20261124100400_create_messages.js';
import * as m20261124100500 from './20261124100500_create_message_reads.js';
import * as m20261124100600 from './20261124100600_add_account_contact_preferences.js';
import * as m20261124100700 from './20261124100700_create_contact_changes.js';
import * as m20261124100800 from './20261124100800_add_audit_chain.js';
import * as m20261124200000 from './20261124200000_create_attachments.js';
import * as m20261124200100 from './20261124200100_create_collab_folders.js';
import * as m20261124200200 from './20261124200200_create_collab_files.js';
import * as m20261124200300 from './20261124200300_create_collab_file_versions.js';
import * as m20261124200400 from './20261124200400_create_collab_comments.js';
import * as m20261124300000 from './20261124300000_create_placement_batches.js';
import * as m20261124300100 from './20261124300100_create_placements.js';
import * as m20261124300200 from './20261124300200_create_placement_batch_errors.js';
import * as m20261124300300 from './20261124300300_create_placement_column_maps.js';
import * as m20261124400000 from './20261124400000_create_report_schedules.js';
import * as m20261124400100 from './20261124400100_create_report_snapshots.js';
import * as m20261124400200 from './20261124400200_create_report_snapshot_files.js';
import * as m20261124400300 from './20261124400300_grant_report_permissions.js';
import * as m20261124500000 from './20261124500000_create_user_mfa.js';
import * as m20261124500100 from './20261124500100_create_mfa_recovery_codes.js';
import * as m20261124500200 from './20261124500200_create_mfa_challenges.js';
import * as m20261124500300 from './20261124500300_add_roles_mfa_required.js';
import * as m20261124500400 from './20261124500400_create_password_resets.js';
import * as m20261124500500 from './20261124500500_create_sso_keys.js';
import * as m20261124500600 from './20261124500600_create_sso_token_uses.js';
import * as m20261124500700 from './20261124500700_create_rate_limits.js';
import * as m20261124500800 from './20261124500800_grant_client_users_manage.js';
import * as m20261124600000 from './20261124600000_create_integration_keys.js';
import * as m20261124600100 from './20261124600100_add_activity_external_id.js';
import * as m20261124600200 from './20261124600200_create_webhook_endpoints.js';
import * as m20261124600300 from './20261124600300_create_webhook_deliveries.js';
import * as m20261124600400 from './20261124600400_create_webhook_attempts.js';
import * as m20261124600500 from './20261124600500_grant_integration_manage.js';
import * as m20261124700000 from './20261124700000_create_payment_links.js';
import * as m20261124700100 from './20261124700100_create_pay_throttle.js';
import * as m20261124700200 from './20261124700200_create_sandbox_gateway_tokens.js';
import * as m20261124700300 from './20261124700300_create_sandbox_gateway_charges.js';
import * as m20261124700400 from './20261124700400_create_payment_methods.js';
import * as m20261124700500 from './20261124700500_create_payments.js';
import * as m20261124700600 from './20261124700600_create_payment_agreements.js';
import * as m20261124700700 from './20261124700700_create_offers.js';
import * as m20261124700800 from './20261124700800_create_payment_plans.js';
import * as m20261124700900 from './20261124700900_grant_payment_permissions.js';
import * as m20261124800000 from './20261124800000_create_esign_consents.js';
import * as m20261124800100 from './20261124800100_create_contact_optouts.js';
import * as m20261124800200 from './20261124800200_create_disputes.js';
import * as m20261124800300 from './20261124800300_add_accounts_original_creditor.js';
import * as m20261124800400 from './20261124800400_grant_compliance_permissions.js';
import * as m20261124900000 from './20261124900000_index_accounts_client_status_review.js';
import * as m20261125100000 from './20261125100000_attachments_uploaded_by_debtor.js';
import * as m20261125100100 from './20261125100100_attachments_dispute_link.js';
import * as m20261125200000 from './20261125200000_create_auth_changes.js';
import * as m20261126100000 from './20261126100000_create_placement_header_maps.js';
import * as m20261207040000 from './20261207040000_payment_agreements_lang.js';
import * as m20261207100000 from './20261207100000_add_sessions_refresh_rotated_at.js';
import * as m20261207100100 from './20261207100100_add_audit_chain_key_id.js';
import * as m20261207120000 from './20261207120000_add_payment_plans_paused_at.js';
import * as m20261207130000 from './20261207130000_add_jobs_failed_by.js';
import * as m20261207140000 from './20261207140000_add_party_language.js';
import * as m20261207140100 from './20261207140100_add_payment_link_language.js';
import * as m20261207150000 from './20261207150000_create_report_exports.js';
import * as m20261207161000 from './20261207161000_add_placement_batch_draft_mapping.js';
import * as m20261207230000 from './20261207230000_index_accounts_client_review_name.js';
import * as m20261207231000 from './20261207231000_create_report_export_parts.js';

type Migration = { up: (k: Knex) => Promise<void>; down: (k: Knex) => Promise<void> };

export const migrations: Record<string, Migration> = {
  '20261123120000_create_clients': m20261123120000,
  '20261123120100_create_roles': m20261123120100,
  '20261123120200_create_users': m20261123120200,
  '20261123120300_create_user_clients': m20261123120300,
  '20261123120400_create_sessions': m20261123120400,
  '20261123120500_create_login_throttle': m20261123120500,
  '20261123120600_create_password_history': m20261123120600,
  '20261123120700_create_accounts': m20261123120700,
  '20261123120800_create_account_parties': m20261123120800,
  '20261123120900_create_account_phones': m20261123120900,
  '20261123121000_create_account_balances': m20261123121000,
  '20261123121100_create_activity': m20261123121100,
  '20261123121200_create_audit_log': m20261123121200,
  '20261123121300_create_settings': m20261123121300,
  '20261123121400_create_events': m20261123121400,
  '20261123130000_create_idempotency_keys': m20261123130000,
  '20261123130100_create_jobs': m20261123130100,
  '20261123130200_create_outbox': m20261123130200,
  '20261123130300_create_tasks': m20261123130300,
  '20261124100000_create_transactions': m20261124100000,
  '20261124100100_add_account_hold_columns': m20261124100100,
  '20261124100200_add_account_flag': m20261124100200,
  '20261124100300_create_message_threads': m20261124100300,
  '20261124100400_create_messages': m20261124100400,
  '20261124100500_create_message_reads': m20261124100500,
  '20261124100600_add_account_contact_preferences': m20261124100600,
  '20261124100700_create_contact_changes': m20261124100700,
  '20261124100800_add_audit_chain': m20261124100800,
  '20261124200000_create_attachments': m20261124200000,
  '20261124200100_create_collab_folders': m20261124200100,
  '20261124200200_create_collab_files': m20261124200200,
  '20261124200300_create_collab_file_versions': m20261124200300,
  '20261124200400_create_collab_comments': m20261124200400,
  '20261124300000_create_placement_batches': m20261124300000,
  '20261124300100_create_placements': m20261124300100,
  '20261124300200_create_placement_batch_errors': m20261124300200,
  '20261124300300_create_placement_column_maps': m20261124300300,
  '20261124400000_create_report_schedules': m20261124400000,
  '20261124400100_create_report_snapshots': m20261124400100,
  '20261124400200_create_report_snapshot_files': m20261124400200,
  '20261124400300_grant_report_permissions': m20261124400300,
  '20261124500000_create_user_mfa': m20261124500000,
  '20261124500100_create_mfa_recovery_codes': m20261124500100,
  '20261124500200_create_mfa_challenges': m20261124500200,
  '20261124500300_add_roles_mfa_required': m20261124500300,
  '20261124500400_create_password_resets': m20261124500400,
  '20261124500500_create_sso_keys': m20261124500500,
  '20261124500600_create_sso_token_uses': m20261124500600,
  '20261124500700_create_rate_limits': m20261124500700,
  '20261124500800_grant_client_users_manage': m20261124500800,
  '20261124600000_create_integration_keys': m20261124600000,
  '20261124600100_add_activity_external_id': m20261124600100,
  '20261124600200_create_webhook_endpoints': m20261124600200,
  '20261124600300_create_webhook_deliveries': m20261124600300,
  '20261124600400_create_webhook_attempts': m20261124600400,
  '20261124600500_grant_integration_manage': m20261124600500,
  '20261124700000_create_payment_links': m20261124700000,
  '20261124700100_create_pay_throttle': m20261124700100,
  '20261124700200_create_sandbox_gateway_tokens': m20261124700200,
  '20261124700300_create_sandbox_gateway_charges': m20261124700300,
  '20261124700400_create_payment_methods': m20261124700400,
  '20261124700500_create_payments': m20261124700500,
  '20261124700600_create_payment_agreements': m20261124700600,
  '20261124700700_create_offers': m20261124700700,
  '20261124700800_create_payment_plans': m20261124700800,
  '20261124700900_grant_payment_permissions': m20261124700900,
  '20261124800000_create_esign_consents': m20261124800000,
  '20261124800100_create_contact_optouts': m20261124800100,
  '20261124800200_create_disputes': m20261124800200,
  '20261124800300_add_accounts_original_creditor': m20261124800300,
  '20261124800400_grant_compliance_permissions': m20261124800400,
  '20261124900000_index_accounts_client_status_review': m20261124900000,
  '20261125100000_attachments_uploaded_by_debtor': m20261125100000,
  '20261125100100_attachments_dispute_link': m20261125100100,
  '20261125200000_create_auth_changes': m20261125200000,
  '20261126100000_create_placement_header_maps': m20261126100000,
  '20261207040000_payment_agreements_lang': m20261207040000,
  '20261207100000_add_sessions_refresh_rotated_at': m20261207100000,
  '20261207100100_add_audit_chain_key_id': m20261207100100,
  '20261207120000_add_payment_plans_paused_at': m20261207120000,
  '20261207130000_add_jobs_failed_by': m20261207130000,
  '20261207140000_add_party_language': m20261207140000,
  '20261207140100_add_payment_link_language': m20261207140100,
  '20261207150000_create_report_exports': m20261207150000,
  '20261207161000_add_placement_batch_draft_mapping': m20261207161000,
  '20261207230000_index_accounts_client_review_name': m20261207230000,
  '20261207231000_create_report_export_parts': m20261207231000,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
