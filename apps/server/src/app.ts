import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AuthConfig } from './auth/config';
import type { SamlConfig } from './auth/saml/config';
import type { Database } from './db/database';
import type { LogReviewConfig } from './env';
import { createApi } from './http/api';
import { compressResponses } from './http/compression';
import { CONTENT_SECURITY_POLICY, createPwaRoutes } from './http/pwa';
import { logError, requestIdOf } from './logging';
import type { SyncConfig } from './sync/config';
import type { ServerClock } from './trpc/context';

export type AppDeps = {
  database: Database;
  /** The clock (tests replace it); the system's by default. */
  clock?: ServerClock;
  /** The folder of the built PWA (apps/pwa/dist). */
  pwaRoot: string;
  /** Sessions, trusted proxies, the public origin (env.ts); the defaults when not given. */
  auth?: AuthConfig;
  /** How long a device keeps settled decisions (env.ts); the default when not given. */
  sync?: SyncConfig;
  /** How many accesses a month's log review samples (env.ts); the default when not given. */
  logReview?: LogReviewConfig;
  /** SAML sign-in, its metadata and keys read at start-up (auth/saml/config.ts); off when unset. */
  saml?: SamlConfig | null;
};

/** A year, this host only: the kommun's other hosts under its domain are not evb's to decide. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/** The whole HTTP application: `/api/*` and the PWA, on one origin. Does not listen. */
export function createApp({
  database,
  pwaRoot,
  clock,
  auth,
  sync,
  logReview,
  saml,
}: AppDeps): Hono {
  const app = new Hono();

  // HSTS when evb is served over HTTPS (PUBLIC_ORIGIN https://…, TLS at the kommun's proxy): the
  // browser then never tries plain http for a year. Not without it: over plain http (a test, a
  // developer's machine) the header would be wrong. The CSP is on every response, the API's and
  // the error pages' too.
  app.use(
    secureHeaders({
      strictTransportSecurity: auth?.publicOrigin?.startsWith('https://')
        ? STRICT_TRANSPORT_SECURITY
        : false,
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    }),
  );
  // The app's JavaScript and the sync pages are text: Brotli or gzip makes them a sixth to a third
  // of their size, which is what a phone on a slow network waits for.
  app.use(compressResponses());
  app.route(
    '/api',
    createApi({
      database,
      ...(clock ? { clock } : {}),
      ...(auth ? { auth } : {}),
      ...(sync ? { sync } : {}),
      ...(logReview ? { logReview } : {}),
      ...(saml ? { saml } : {}),
    }),
  );
  app.all('/api/*', (c) => c.json({ error: 'Not found' }, 404));
  app.route('/', createPwaRoutes(pwaRoot));

  app.onError((error, c) => {
    // Without the message (it may quote personal data): see logging.ts.
    const requestId = requestIdOf(c.req.raw);
    logError('HTTP', error, { path: c.req.routePath, requestId });
    c.header('X-Request-Id', requestId);
    return c.json({ error: 'Internal server error' }, 500);
  });

  return app;
}
