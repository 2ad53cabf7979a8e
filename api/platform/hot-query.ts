/**
 * Hot statements (issue 21): the few reads that nearly every screen makes (account search, the
 * account pane) skip knex's query builder and runner, whose per-query cost was the largest share of
 * such a request's CPU. Their SQL is plain text written for both engines (unquoted snake_case
 * identifiers, `?` placeholders), assembled once per shape by the caller.
 *
 * On MySQL/MariaDB, outside a transaction, the statement goes straight to a pooled mysql2
 * connection. With `prepared`, through mysql2's `execute`: a server-side prepared statement, parsed
 * once per connection and then only executed, with binary values (no client-side escaping); each
 * connection keeps at most PREPARED_PER_CONNECTION of them (db.ts), far below the server's
 * max_prepared_stmt_count for a few nodes of 20. Only for statements whose plan cannot depend on
 * the values: MariaDB plans a prepared statement without treating its parameters as constants, so
 * `client_id = ? and status = ? … order by debtor_name_key limit 10` no longer reads the matching
 * index in order and sorts every match instead (status + client at 1M accounts: ~1 s instead of
 * ~1 ms). Searches therefore go as text (`query`, values escaped by mysql2), lookups by key prepared.
 * On SQLite, or inside a transaction, it goes through `knex.raw` on the same connection as the rest.
 *
 * Either way the connection comes from knex's pool, knex's `query` event is emitted (so query
 * listeners and logs still see every statement), and rows come back camelCased like any other.
 * The SQL runs every time: nothing here remembers results.
 */
import type { Knex } from 'knex';
import { camelRow, isMysql, type Trx } from './db.js';

export type HotBinding = string | number;

type Callback = (err: Error | null, rows: unknown) => void;
interface Mysql2Connection {
  execute(sql: string, values: HotBinding[], cb: Callback): void;
  query(sql: string, values: HotBinding[], cb: Callback): void;
}

interface PoolClient {
  acquireConnection(): Promise<Mysql2Connection>;
  releaseConnection(connection: Mysql2Connection): Promise<void>;
  emit(event: 'query', query: { sql: string; bindings: HotBinding[]; method: string }): boolean;
}

export async function hotRows<T>(trx: Trx, sql: string, bindings: HotBinding[], options: { prepared?: boolean } = {}): Promise<T[]> {
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
      const done: Callback = (err, result) => (err ? reject(err) : resolve(result as unknown[]));
      if (options.prepared) connection.execute(sql, bindings, done);
      else connection.query(sql, bindings, done);
    });
    return rows.map(camelRow) as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}
