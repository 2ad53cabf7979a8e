/**
 * The bare-Koa baseline of the search benchmark (issue 21): Koa 3 with one middleware that answers
 * every GET with a body held in memory (an object, serialised by Koa on each request as the API's
 * bodies are), no router, auth or database. PUT replaces the body. Started like the API
 * (`node <API_NODE_ARGS> --import tsx`, its own process); prints its port.
 *
 * With BARE_KOA_MYSQL_URL, on a mysql2 pool of 20 connections (mysql2's own pool, no knex), a GET
 * first asks the database, then answers the same body:
 * - `?sql=1`: the cheapest statement there is, `select 1`: the most any route can serve here when
 *   it must ask the database once per request;
 * - `?sql=same`: the statements last PUT to /statements (`[{ sql, bindings }]`, sent as the API
 *   sends them, side by side, `prepared` ones through `execute`): what Koa with nothing but the
 *   request's own SQL costs here.
 */
import Koa from 'koa';
import { createPool } from 'mysql2/promise';

let body: unknown = {};
let statements: { sql: string; bindings: never[]; prepared?: boolean }[] = [];
const pool = process.env.BARE_KOA_MYSQL_URL
  ? createPool({ uri: process.env.BARE_KOA_MYSQL_URL, connectionLimit: 20, timezone: 'Z', supportBigNumbers: true, charset: 'utf8mb4' })
  : null;
const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method === 'PUT') {
    let text = '';
    for await (const chunk of ctx.req) text += chunk;
    if (ctx.path === '/statements') statements = JSON.parse(text);
    else body = JSON.parse(text);
    ctx.status = 204;
    return;
  }
  if (pool && ctx.querystring === 'sql=1') await pool.query('select 1');
  if (pool && ctx.querystring === 'sql=same') await Promise.all(statements.map((s) => (s.prepared ? pool.execute(s.sql, s.bindings) : pool.query(s.sql, s.bindings))));
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
});
const server = app.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port));
server.keepAliveTimeout = 60_000;
