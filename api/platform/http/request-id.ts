import type Koa from 'koa';
import { pooledRandomBytes } from '../crypto.js';
import type { AppState } from './context.js';

/**
 * Every response carries an `X-Request-Id`; problem bodies repeat it so users can quote it. Drawn
 * from the pooled CSPRNG bytes (one call into the generator per request showed in profiles).
 */
export function requestIdMiddleware(): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    ctx.state.requestId = /^[A-Za-z0-9_-]{8,64}$/.test(incoming) ? incoming : `req_${pooledRandomBytes(10).toString('hex')}`;
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  };
}
