/**
 * The bare-Koa baseline of the search benchmark (issue 21): Koa 3 with one middleware that answers
 * every GET with a body held in memory (an object, serialised by Koa on each request as the API's
 * bodies are), no router, auth or database. PUT replaces the body. Started like the API
 * (`node <API_NODE_ARGS> --import tsx`, its own process); prints its port.
 */
import Koa from 'koa';

let body: unknown = {};
const app = new Koa();
app.use(async (ctx) => {
  if (ctx.method === 'PUT') {
    let text = '';
    for await (const chunk of ctx.req) text += chunk;
    body = JSON.parse(text);
    ctx.status = 204;
    return;
  }
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
});
const server = app.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port));
server.keepAliveTimeout = 60_000;
