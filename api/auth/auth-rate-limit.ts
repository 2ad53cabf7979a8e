/** One per-IP budget shared by every sign-in door, so an attacker cannot spread guesses across them. */
import type { AppDeps, RequestMeta } from '../platform/http/context.js';
import { hitRateLimit } from '../platform/http/rate-limit.js';

export const limitAuthByIp = ({ db, config }: AppDeps, meta: RequestMeta) =>
  hitRateLimit(db, { name: 'auth:ip', limit: config.authRateLimit.perIp, windowMs: config.authRateLimit.windowMs }, meta.ip ?? 'unknown');
