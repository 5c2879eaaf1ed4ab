import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Database } from './db/database';
import { createApi } from './http/api';
import { createPwaRoutes } from './http/pwa';
import type { ServerClock } from './trpc/context';

export type AppDeps = {
  database: Database;
  /** The clock (tests replace it); the system's by default. */
  clock?: ServerClock;
  /** The folder of the built PWA (apps/pwa/dist). */
  pwaRoot: string;
};

/** The whole HTTP application: `/api/*` and the PWA, on one origin. Does not listen. */
export function createApp({ database, pwaRoot, clock }: AppDeps): Hono {
  const app = new Hono();

  // HSTS is left to the TLS-terminating proxy that a deployment puts in front.
  app.use(secureHeaders({ strictTransportSecurity: false }));
  app.route('/api', createApi({ database, ...(clock ? { clock } : {}) }));
  app.all('/api/*', (c) => c.json({ error: 'Not found' }, 404));
  app.route('/', createPwaRoutes(pwaRoot));

  app.onError((error, c) => {
    console.error(error);
    return c.json({ error: 'Internal server error' }, 500);
  });

  return app;
}
