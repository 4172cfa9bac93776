import type { Handler, RestContext } from './messages.js';
import type { FakeResponse } from './types.js';

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** Interaction callbacks and webhook-token routes are authenticated by the token in the URL, not a bot token. */
  auth: boolean;
}

export function route(method: string, template: string, handler: Handler, auth = true): Route {
  const source = template
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '([^/]+)' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return { method, pattern: new RegExp(`^${source}$`), handler, auth };
}

/** Resolves a request to its route, answering 401/404/405 the way Discord does. */
export function dispatchRoute(routes: Route[], ctx: Omit<RestContext, 'params'>): FakeResponse {
  const matching = routes.filter((r) => r.pattern.test(ctx.req.path));
  if (matching.length === 0) return { status: 404, body: { message: '404: Not Found', code: 0 } };
  const match = matching.find((r) => r.method === ctx.req.method);
  if (!match) return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
  if (match.auth && !ctx.req.headers.authorization) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
  const params = (match.pattern.exec(ctx.req.path) ?? []).slice(1);
  return match.handler({ ...ctx, params });
}
