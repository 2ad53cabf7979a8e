/**
 * Hot statements (issue 21): the few reads that nearly every screen makes (account search, the
 * account pane) skip knex's query builder and runner, whose per-query cost was the largest share of
 * such a request's CPU. Their SQL is plain text written for both engines (unquoted snake_case
 * identifiers, `?` placeholders), assembled once per shape by the caller.
 *
 * On MySQL/MariaDB, outside a transaction, the statement runs through mysql2's `execute`: a
 * server-side prepared statement, parsed once per pooled connection and then only executed, with
 * binary values (no client-side escaping). Each connection keeps at most PREPARED_PER_CONNECTION
 * statements (db.ts), far below the server's max_prepared_stmt_count for a few nodes of 20.
 * On SQLite, or inside a transaction, it goes through `knex.raw` on the same connection as the rest.
 *
 * Either way the connection comes from knex's pool, knex's `query` event is emitted (so query
 * listeners and logs still see every statement), and rows come back camelCased like any other.
 * The SQL runs every time: nothing here remembers results.
 */
import type { Knex } from 'knex';
import { camelRow, isMysql, type Trx } from './db.js';

export type HotBinding = string | number;

interface Mysql2Connection {
  execute(sql: string, values: HotBinding[], cb: (err: Error | null, rows: unknown) => void): void;
}

interface PoolClient {
  acquireConnection(): Promise<Mysql2Connection>;
  releaseConnection(connection: Mysql2Connection): Promise<void>;
  emit(event: 'query', query: { sql: string; bindings: HotBinding[]; method: string }): boolean;
}

export async function hotRows<T>(trx: Trx, sql: string, bindings: HotBinding[]): Promise<T[]> {
  if (!isMysql(trx) || (trx as Knex.Transaction).isTransaction) {
    const result = (await trx.raw(sql, bindings)) as unknown;
    // mysql2 through knex.raw answers [rows, fields]; better-sqlite3 the rows
    const rows = (isMysql(trx) ? (result as unknown[])[0] : result) as unknown[];
    return rows.map(camelRow) as T[];
  }
  const client = trx.client as unknown as PoolClient;
  const connection = await client.acquireConnection();
  try {
    client.emit('query', { sql, bindings, method: 'raw' });
    const rows = await new Promise<unknown[]>((resolve, reject) => {
      connection.execute(sql, bindings, (err, result) => (err ? reject(err) : resolve(result as unknown[])));
    });
    return rows.map(camelRow) as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}
