/** The audit chain is sealed on every worker tick, off the request path. */
import { defineTicker } from '../platform/jobs.js';
import { sealAudit } from './audit-chain.js';

defineTicker('audit.seal', async (deps) => {
  await sealAudit(deps.db, deps.config, 1000, 0); // another node sealing now: nothing to do this tick
});
