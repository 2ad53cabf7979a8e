/**
 * Telling "the database is not reachable right now" from every other failure. During a MariaDB
 * restart or failover each request fails on its connection, not on its input or our code: that is
 * a 503 with Retry-After (load balancers and clients back off and retry), never a 500.
 */

/** Driver and pool errors that mean the database (or the way to it) is down, not that a query is wrong. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR',
  'ER_SERVER_GONE_ERROR', 'CR_SERVER_GONE_ERROR', 'CR_SERVER_LOST', 'ER_CONNECTION_KILLED',
  'SQLITE_BUSY',
]);

/** Seconds a client should wait before retrying. */
export const DB_RETRY_AFTER_SECONDS = 5;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; name?: unknown; fatal?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    // knex: no connection could be taken from the pool in time (every one is failing or busy).
    if (e.name === 'KnexTimeoutError') return true;
    // mysql2 marks errors that broke the connection itself as fatal.
    if (e.fatal === true) return true;
    if (typeof e.message === 'string' && /Connection lost|connect ECONNREFUSED|The server closed the connection|Can't add new command when connection is in closed state/.test(e.message)) return true;
  }
  return false;
}
