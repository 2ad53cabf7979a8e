/** What every request carries: the app's dependencies, the request id, and the caller once known. */
import type { Config } from '../../config.js';
import type { Db } from '../db.js';
import type { AuditActor } from '../audit.js';
import type { IntegrationCaller } from '../auth/integration.js';

export type { IntegrationCaller };

export interface AppDeps {
  config: Config;
  db: Db;
}

export interface Caller {
  userId: number;
  publicId: string;
  username: string;
  displayName: string;
  kind: 'agency' | 'client';
  permissions: ReadonlySet<string>;
  /** internal ids of the clients this caller may see; 'all' for agency users */
  clientIds: readonly number[] | 'all';
  sessionId: number;
  sessionPublicId: string;
  /** first login: profile confirmation and password change pending; most routes answer 403 */
  onboardingRequired: boolean;
}

/** Who did it and from where, for audit rows: routes hand this to services. */
export interface RequestMeta {
  actor: AuditActor;
  ip: string | null;
  requestId: string;
  userAgent: string | null;
}

export interface AppState {
  requestId: string;
  caller?: Caller;
  /** set instead of `caller` on routes with `auth: 'integration'` (an API key) */
  integration?: IntegrationCaller;
  /**
   * Who is calling when it is not a signed-in user (an integration key, a debtor session), as
   * `kind:id`; idempotency keys are scoped by it. Set by the auth layer.
   */
  principal?: string;
  /** the debtor's language on a debtor route, once a route knows it (see debtor-lang.ts) */
  lang?: 'en' | 'es';
}
