import { Hono } from 'hono';
import { clientAddressResolver } from '../auth/client-limit';
import { type AuthConfig, DEFAULT_AUTH_CONFIG, sessionPolicyOf } from '../auth/config';
import { OidcClient } from '../auth/oidc';
import type { SamlConfig } from '../auth/saml/config';
import { createServiceProvider } from '../auth/saml/service-provider';
import type { Database, DatabaseKind } from '../db/database';
import type { LogReviewConfig } from '../env';
import { logError, requestIdOf } from '../logging';
import type { SyncConfig } from '../sync/config';
import { type ServerClock, systemClock } from '../trpc/context';
import { calendarFeedHandler } from './calendar';
import { individrapportPdfHandler, quarterExportHandler } from './exports';
import { createIdpLimits } from './idp-limits';
import { extractExportHandler, reviewReportPdfHandler } from './log-review-exports';
import { createOidcRoutes } from './oidc';
import { createSamlRoutes } from './saml';
import { statisticsPdfHandler } from './statistics-pdf';
import { createTrpcRoutes } from './trpc';

/** The answer of `GET /api/health`. */
export type Health = { ok: boolean; database: DatabaseKind };

export type ApiDeps = {
  database: Database;
  clock?: ServerClock;
  auth?: AuthConfig;
  sync?: SyncConfig;
  logReview?: LogReviewConfig;
  /** SAML sign-in (auth/saml/config.ts, loaded at start-up); off when null or unset. */
  saml?: SamlConfig | null;
};

/** The JSON API, mounted at `/api`. */
export function createApi({
  database,
  clock = systemClock,
  auth = DEFAULT_AUTH_CONFIG,
  sync,
  logReview,
  saml = null,
}: ApiDeps): Hono {
  const api = new Hono();
  api.use('*', async (c, next) => {
    await next();
    // Personal data: never stored by a browser or proxy cache.
    c.header('Cache-Control', 'no-store');
  });
  api.route(
    '/trpc',
    createTrpcRoutes({
      database,
      clock,
      auth,
      ...(sync ? { sync } : {}),
      ...(logReview ? { logReview } : {}),
    }),
  );
  // The downloads read the session as a tRPC call does, under the same rules.
  const deps = { database, clock, sessionPolicy: sessionPolicyOf(auth) };
  // One allowance per client for OIDC and SAML together.
  const limits = createIdpLimits(clientAddressResolver(auth.trustedProxies));
  if (auth.oidc) {
    const oidc = new OidcClient(auth.oidc);
    // Discovery at start-up: a wrong issuer is in the log before anyone tries to sign in (the
    // failure is logged there, and tried again at each sign-in).
    oidc.configuration().catch(() => {});
    api.route('/auth/oidc', createOidcRoutes({ ...deps, oidc, limits }));
  }
  if (saml) {
    const serviceProvider = createServiceProvider(database.db, saml);
    api.route('/auth/saml', createSamlRoutes({ ...deps, serviceProvider, limits }));
  }
  api.get('/export/statistik.pdf', statisticsPdfHandler(deps));
  api.get('/export/individrapport.pdf', individrapportPdfHandler(deps));
  api.get('/export/kvartal.pdf', quarterExportHandler(deps, 'pdf'));
  api.get('/export/kvartal.csv', quarterExportHandler(deps, 'csv'));
  api.get('/export/kvartal.xlsx', quarterExportHandler(deps, 'xlsx'));
  api.get('/export/loggutdrag.csv', extractExportHandler(deps, 'csv'));
  api.get('/export/loggutdrag.pdf', extractExportHandler(deps, 'pdf'));
  api.get('/export/loggranskning.pdf', reviewReportPdfHandler(deps));
  // The private calendar feed: its secret is its key, no session (http/calendar.ts).
  api.get(
    '/calendar/:file',
    calendarFeedHandler({ database, clock, publicOrigin: auth.publicOrigin }),
  );

  api.get('/health', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await database.ping();
      return c.json({ ok: true, database: database.kind } satisfies Health);
    } catch (error) {
      logError('health check failed', error, {
        path: '/api/health',
        requestId: requestIdOf(c.req.raw),
      });
      return c.json({ ok: false, database: database.kind } satisfies Health, 503);
    }
  });

  return api;
}
