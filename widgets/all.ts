/**
 * Every CollectKit element registered at once, and every class exported: for an app that bundles
 * CollectKit from source and wants no lazy loading, and for the widget tests. The drop-in bundle
 * (dist/collectkit.js) is index.ts, which registers these lazily. Registration is harmless when
 * both are loaded (see CkElement.define).
 */
export { CkElement } from './internal/ck-element.js';
export { ApiClient, ApiError, clientFor } from './internal/api-client.js';
export { apiClientContext, sessionContext } from './internal/context.js';
export { CkPortal } from './portal/portal.js';
export { CkLogin } from './login/login.js';
export { CkAccountSearch } from './account-search/account-search.js';
export { CkAccountPane } from './account-pane/account-pane.js';
export { CkUpload } from './upload/upload.js';
export { CkAccountAttachments } from './account-attachments/account-attachments.js';
export { CkCollabCenter } from './collab-center/collab-center.js';
export { CkReportViewer } from './report-viewer/report-viewer.js';
export { CkNewAccount } from './new-account/new-account.js';
export { CkBulkPlacement } from './bulk-placement/bulk-placement.js';
export { CkMyPlacements } from './my-placements/my-placements.js';
export { CkAccountFunctions } from './account-functions/account-functions.js';
export { CkInbox } from './inbox/inbox.js';
export { CkPayForm } from './pay-form/pay-form.js';
export { CkPayButton } from './pay-button/pay-button.js';
export { CkUserAdmin } from './user-admin/user-admin.js';
export { CkDisputeForm } from './dispute-form/dispute-form.js';
export { CkUserSettings } from './user-settings/user-settings.js';
export { CkUnreadMessages } from './client-portal/unread-messages.js';
export { CkClientPortal } from './client-portal/client-portal.js';
export { CkPlacementReview } from './placement-review/placement-review.js';
export { CkAuditTrail } from './audit-trail/audit-trail.js';
export { CkPaymentLink } from './agency-console/payment-link.js';
export { CkAgencyConsole } from './agency-console/agency-console.js';
export { CkOfferManager } from './agency-console/offer-manager.js';
export { CkPaySettings } from './agency-console/pay-settings.js';
export { CkPlanList } from './agency-console/plan-list.js';
export { CkApiKeys } from './agency-console/api-keys.js';
export { CkWebhooks } from './agency-console/webhooks.js';
export { CkWebhookDeliveries } from './agency-console/webhook-deliveries.js';
export { CkReportSchedules } from './agency-console/report-schedules.js';
export { CkSnapshotView } from './agency-console/snapshot-view.js';
