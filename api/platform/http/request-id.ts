import type Koa from 'koa';
import { randomBytes } from 'node:crypto';
import type { AppState } from './context.js';

/** Every response carries an `X-Request-Id`; problem bodies repeat it so users can quote it. */
export function requestIdMiddleware(): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    ctx.state.requestId = /^[A-Za-z0-9_-]{8,64}$/.test(incoming) ? incoming : `req_${randomBytes(10).toString('hex')}`;
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  };
}
