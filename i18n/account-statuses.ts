/**
 * Account statuses as staff read them, in the order a form lists them: one list for the widgets
 * (search, pane, report tables and filters) and the API's printed reports and report parameters, so
 * a status reads the same everywhere ("On hold", never "Hold" in one place and "On hold" in another).
 * English only: these are the agency's and its clients' words, not the debtor's.
 */
export const STATUS_LABELS: Readonly<Record<string, string>> = {
  active: 'Active',
  hold: 'On hold',
  recalled: 'Recalled',
  paid: 'Paid in full',
  settled: 'Settled',
  bankrupt: 'Bankrupt',
  deceased: 'Deceased',
  business_closed: 'Business closed',
  disputed: 'Disputed',
  closed: 'Closed',
};

/** A status key as words: its label, or the key with its underscores as spaces. */
export const statusLabel = (status: string): string => STATUS_LABELS[status] ?? status.charAt(0).toUpperCase() + status.slice(1).replace(/_/g, ' ');
