import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono } from 'hono';
import type { Database } from '../db/database';
import { logError, requestIdOf } from '../logging';
import { appRouter } from '../router';
import { createContext, type ServerClock } from '../trpc/context';

/**
 * tRPC at /api/trpc. A mutation (a POST) is refused unless its Origin is this server's own, so
 * that another site cannot make a signed-in browser act (the cookie is SameSite=Lax as well).
 */
export function createTrpcRoutes({
  database,
  clock,
}: {
  database: Database;
  clock: ServerClock;
}): Hono {
  const routes = new Hono();
  routes.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      const host = c.req.header('host');
      if (!origin || !host || !URL.canParse(origin) || new URL(origin).host !== host) {
        return c.json({ error: { message: 'Begäran kom inte från evb och avvisades.' } }, 403);
      }
    }
    return next();
  });
  routes.all('*', (c) =>
    fetchRequestHandler({
      endpoint: '/api/trpc',
      req: c.req.raw,
      router: appRouter,
      createContext: ({ req, resHeaders }) => createContext({ database, req, resHeaders, clock }),
      // Logged without message or cause text (SQL parameters, a row's values): see logging.ts.
      onError: ({ error, path, ctx, req }) => {
        if (error.code !== 'INTERNAL_SERVER_ERROR') return;
        logError('tRPC', error, {
          // Only a procedure's name: a path that is not one is the client's text.
          path: path && path in appRouter._def.procedures ? path : null,
          userId: ctx?.user?.id ?? null,
          requestId: requestIdOf(req),
        });
      },
    }),
  );
  return routes;
}
