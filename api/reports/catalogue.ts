/** The built-in reports, in catalogue order, and which of them a caller may run. */
import type { Caller } from '../platform/http/context.js';
import type { ReportDefinition } from './report.types.js';
import { inventoryReport } from './definitions/inventory.js';
import { statusReport } from './definitions/status.js';
import { paymentsReport } from './definitions/payments.js';
import { recoveryReport } from './definitions/recovery.js';
import { activityReport } from './definitions/activity.js';

export const REPORTS: ReportDefinition[] = [inventoryReport, statusReport, paymentsReport, recoveryReport, activityReport];

export const canRun = (caller: Caller, r: ReportDefinition) => caller.permissions.has('reports.run') && r.permissions.every((p) => caller.permissions.has(p));

export function reportsFor(caller: Caller): ReportDefinition[] {
  return REPORTS.filter((r) => canRun(caller, r));
}

/** A report the caller may run, or undefined — unknown and forbidden look the same (404). */
export function findReport(caller: Caller, key: string): ReportDefinition | undefined {
  const r = REPORTS.find((x) => x.key === key);
  return r && canRun(caller, r) ? r : undefined;
}
