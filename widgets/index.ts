/**
 * The drop-in bundle, dist/collectkit.js: one script tag registers every CollectKit element.
 *
 * Eager (the hashed core chunk): Lit, the API client, CkElement and `ck-portal` — the @lit/context
 * provider, which must exist before any consumer upgrades and asks it for the API client. Every
 * other element is registered lazily: its chunk is imported when its tag first appears in the page
 * (internal/autoloader.ts). Each element's class is exported by its own module,
 * dist/elements/<tag>.js (e.g. `import { CkLogin } from '…/widgets/elements/ck-login.js'`, which
 * also registers it at once).
 */
import { startAutoloader } from './internal/autoloader.js';

export { CkElement } from './internal/ck-element.js';
export { ApiClient, ApiError, clientFor } from './internal/api-client.js';
export { apiClientContext, sessionContext } from './internal/context.js';
export { CkPortal } from './portal/portal.js';
export { discover, loadElement } from './internal/autoloader.js';

startAutoloader();
