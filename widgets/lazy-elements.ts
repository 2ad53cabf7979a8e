/**
 * Every CollectKit element the drop-in bundle registers on first use, and the module that defines
 * it. The autoloader (internal/autoloader.ts) imports a module when its tag first appears in the
 * page; rollup turns each `import()` into its own hashed chunk under dist/chunks/.
 *
 * `ck-portal` is not here: it is the @lit/context provider, defined eagerly by the entry so it
 * exists before any consumer upgrades and asks for the API client (a context request made before
 * its provider is defined is lost). The build checks this list against every `define('ck-…')`
 * (scripts/rollup-element-checks.ts), so a new widget cannot be forgotten.
 */
export const lazyElements: Readonly<Record<string, () => Promise<unknown>>> = {
  'ck-login': () => import('./login/login.js'),
  'ck-account-search': () => import('./account-search/account-search.js'),
  'ck-account-pane': () => import('./account-pane/account-pane.js'),
  'ck-account-functions': () => import('./account-functions/account-functions.js'),
  'ck-account-attachments': () => import('./account-attachments/account-attachments.js'),
  'ck-upload': () => import('./upload/upload.js'),
  'ck-collab-center': () => import('./collab-center/collab-center.js'),
  'ck-report-viewer': () => import('./report-viewer/report-viewer.js'),
  'ck-new-account': () => import('./new-account/new-account.js'),
  'ck-bulk-placement': () => import('./bulk-placement/bulk-placement.js'),
  'ck-my-placements': () => import('./my-placements/my-placements.js'),
  'ck-inbox': () => import('./inbox/inbox.js'),
  'ck-pay-form': () => import('./pay-form/pay-form.js'),
  'ck-pay-button': () => import('./pay-button/pay-button.js'),
  'ck-user-admin': () => import('./user-admin/user-admin.js'),
  'ck-dispute-form': () => import('./dispute-form/dispute-form.js'),
  'ck-user-settings': () => import('./user-settings/user-settings.js'),
  'ck-unread-messages': () => import('./client-portal/unread-messages.js'),
  'ck-client-portal': () => import('./client-portal/client-portal.js'),
  'ck-placement-review': () => import('./placement-review/placement-review.js'),
  'ck-audit-trail': () => import('./audit-trail/audit-trail.js'),
  'ck-payment-link': () => import('./agency-console/payment-link.js'),
  'ck-agency-console': () => import('./agency-console/agency-console.js'),
  'ck-offer-manager': () => import('./agency-console/offer-manager.js'),
  'ck-pay-settings': () => import('./agency-console/pay-settings.js'),
  'ck-plan-list': () => import('./agency-console/plan-list.js'),
  'ck-api-keys': () => import('./agency-console/api-keys.js'),
  'ck-webhooks': () => import('./agency-console/webhooks.js'),
  'ck-webhook-deliveries': () => import('./agency-console/webhook-deliveries.js'),
  'ck-report-schedules': () => import('./agency-console/report-schedules.js'),
  'ck-snapshot-view': () => import('./agency-console/snapshot-view.js'),
};
