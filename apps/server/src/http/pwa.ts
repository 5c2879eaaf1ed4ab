import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/**
 * Serves the built PWA from `root`. A GET for a path without a file extension that matches no
 * file gets `index.html`, so the app's own routes work on reload; a missing asset stays a 404.
 */
export function createPwaRoutes(root: string): Hono {
  const pwa = new Hono();

  pwa.use('*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', cacheControl(c.req.path));
  });
  pwa.use('*', serveStatic({ root }));
  pwa.get('*', async (c, next) => {
    if (hasFileExtension(c.req.path)) return next();
    return serveStatic({ root, path: 'index.html' })(c, next);
  });

  return pwa;
}

// Vite puts content-hashed files in /assets/: they never change. Everything else, the service
// worker and index.html above all, must be revalidated so that a new version is seen.
function cacheControl(path: string): string {
  return path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

function hasFileExtension(path: string): boolean {
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  return lastSegment.includes('.');
}
