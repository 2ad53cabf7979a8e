/**
 * Permission names, grouped into roles an agency can edit. A route names the permission it needs;
 * the route helper checks it together with the caller's client scope.
 */
export const PERMISSIONS = {
  'accounts.read': 'Search and view accounts',
  'accounts.place': 'Place new accounts',
  'accounts.update': 'Update contact information and special instructions',
  'accounts.status': 'Hold, release, recall and mark accounts',
  'payments.report': 'Report direct payments and adjustments',
  'notes.write': 'Add notes and contact the agency',
  'attachments.read': 'View and download attachments',
  'attachments.write': 'Upload attachments',
  'reports.run': 'Run reports',
  'reports.financial': 'Run payment, remittance and recovery reports',
  'reports.schedule': 'Schedule report snapshots',
  'collab.use': 'Use the Collaboration Center',
  'users.manage': 'Manage users and roles',
  'client_users.manage': 'Manage the users of my own clients (client administrators)',
  'agency.inbox': 'Work the agency inbox',
  'agency.review': 'Review placements',
  'agency.settings': 'Change agency settings',
  'audit.read': 'Query the audit trail',
  'integration.manage': 'Manage integration API keys',
  'payments.links': 'Create personalised payment links for debtors',
  'payments.offers': 'Make settlement and payment-plan offers; cancel plans',
  'compliance.read': 'View and export compliance records (consents, opt-outs, disputes)',
  'compliance.record': 'Record disputes, opt-outs and consent withdrawals received by phone or mail',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

/** The roles every new agency starts with. */
export const DEFAULT_ROLES: { key: string; name: string; scope: 'agency' | 'client'; permissions: Permission[] }[] = [
  { key: 'agency_admin', name: 'Agency administrator', scope: 'agency', permissions: ALL_PERMISSIONS },
  {
    key: 'agency_staff',
    name: 'Agency staff',
    scope: 'agency',
    permissions: ['accounts.read', 'accounts.status', 'notes.write', 'attachments.read', 'attachments.write', 'agency.inbox', 'reports.run', 'collab.use', 'reports.financial', 'payments.links', 'payments.offers', 'compliance.read', 'compliance.record'],
  },
  {
    key: 'client_manager',
    name: 'Client manager',
    scope: 'client',
    permissions: [
      'accounts.read', 'accounts.place', 'accounts.update', 'accounts.status', 'payments.report', 'notes.write',
      'attachments.read', 'attachments.write', 'reports.run', 'reports.financial', 'reports.schedule', 'collab.use',
      'client_users.manage', 'compliance.read', 'compliance.record',
    ],
  },
  { key: 'client_viewer', name: 'Client viewer', scope: 'client', permissions: ['accounts.read', 'attachments.read', 'reports.run'] },
];
