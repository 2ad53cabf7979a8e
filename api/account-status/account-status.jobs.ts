/**
 * Holds end by themselves: every worker tick releases holds whose until-date has come. Two workers
 * may both see the same hold; each release locks and re-checks the account, so it happens once.
 */
import { defineTicker } from '../platform/jobs.js';
import { releaseExpiredHolds } from './account-status.service.js';

defineTicker('account-status.hold-expiry', async (deps, now) => {
  await releaseExpiredHolds(deps.db, now);
});
