import { getConnInfo } from '@hono/node-server/conninfo';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono, type Context as HonoContext } from 'hono';
import { clientAddressResolver, createSignInLimiter } from '../auth/client-limit';
import {
  type AuthConfig,
  DEFAULT_AUTH_CONFIG,
  sessionPolicyOf,
  signInMethodsOf,
} from '../auth/config';
import type { Database } from '../db/database';
import type { LogReviewConfig } from '../env';
import { logError, requestIdOf } from '../logging';
import { appRouter } from '../router';
import { DEFAULT_SYNC_CONFIG, type SyncConfig } from '../sync/config';
import { createContext, type ServerClock } from '../trpc/context';
import { limitTrpcRequests, MAX_BATCH_SIZE, refuseTrpcRequest } from './request-limits';

/** The address the request came from over TCP; undefined when it did not (a call in-process). */
export function remoteAddressOf(c: HonoContext): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * This server's origin as the browser names it: PUBLIC_ORIGIN when set (behind a TLS-terminating
 * proxy the server itself sees http), else the scheme of the URL received and the Host header's
 * host and port. Null when the Host header is not a host.
 */
function ownOrigin(c: HonoContext, publicOrigin: string | null): string | null {
  if (publicOrigin) return publicOrigin;
  const host = c.req.header('host');
  if (!host || !/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host)) return null;
  const own = `${new URL(c.req.url).protocol}//${host}`;
  return URL.canParse(own) ? new URL(own).origin : null;
}

/**
 * tRPC at /api/trpc. A mutation (a POST) is refused unless its Origin is exactly this server's
 * own (scheme, host and port), so that another site cannot make a signed-in browser act (the
 * cookie is SameSite=Lax as well).
 */
export function createTrpcRoutes({
  database,
  clock,
  auth = DEFAULT_AUTH_CONFIG,
  sync = DEFAULT_SYNC_CONFIG,
  logReview,
}: {
  database: Database;
  clock: ServerClock;
  auth?: AuthConfig;
  sync?: SyncConfig;
  logReview?: LogReviewConfig;
}): Hono {
  const sessionPolicy = sessionPolicyOf(auth);
  const signInMethods = signInMethodsOf(auth);
  const clientAddressOf = clientAddressResolver(auth.trustedProxies);
  const signInLimiter = createSignInLimiter();
  const routes = new Hono();
  routes.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      const own = ownOrigin(c, auth.publicOrigin);
      if (!origin || !own || origin.toLowerCase() !== own) {
        return refuseTrpcRequest(c, {
          status: 403,
          code: 'FORBIDDEN',
          message: 'Begäran kom inte från evb och avvisades.',
        });
      }
    }
    return next();
  });
  routes.use('*', limitTrpcRequests());
  routes.all('*', (c) =>
    fetchRequestHandler({
      endpoint: '/api/trpc',
      req: c.req.raw,
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ req, resHeaders, info }) =>
        createContext({
          database,
          req,
          resHeaders,
          clock,
          sessionPolicy,
          // Asking whether the session still holds is not a use of it.
          countsAsUse: !info.calls.every((call) => call.path === 'auth.status'),
          clientAddress: clientAddressOf(remoteAddressOf(c), c.req.header('x-forwarded-for')),
          signInLimiter,
          syncWindowMonths: sync.windowMonths,
          signInMethods,
          ...(logReview ? { logReviewSampleSize: logReview.sampleSize } : {}),
          ownOrigin: ownOrigin(c, auth.publicOrigin),
        }),
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
