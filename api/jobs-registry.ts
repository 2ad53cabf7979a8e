/**
 * Every feature's job handlers, tickers and outbox policies, registered by importing its
 * `<feature>.jobs.ts` module here (one line per feature). main.ts and the tests import this file
 * before starting a worker.
 */
import './integration/integration.jobs.js';
import './placements/placements.jobs.js';
import './reports/reports.jobs.js';
import './account-status/account-status.jobs.js';
import './audit/audit.jobs.js';
import './pay/pay.jobs.js';
import './compliance/compliance.jobs.js';
