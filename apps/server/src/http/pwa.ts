import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/**
 * Serves the built PWA from `root`.
 *
 * - `/assets/*` holds Vite's content-hashed files: they never change, so a file found there is
 *   cached for a year as immutable. A path there that matches no file is a 404 (revalidated, never
 *   immutable): an old page asking for a chunk of a version that is gone must learn it at once, not
 *   get the app's HTML cached for a year in the chunk's place.
 * - Everything else (index.html, the service worker, the manifest, the icons) is revalidated on
 *   every use (`no-cache`), so a new version is seen.
 * - A GET for a path without a file extension that matches no file gets `index.html`, so the app's
 *   own routes work on reload; a missing file stays a 404.
 */
export function createPwaRoutes(root: string): Hono {
  const pwa = new Hono();

  pwa.use('*', async (c, next) => {
    await next();
    if (c.res.headers.has('Cache-Control')) return;
    c.header('Cache-Control', 'no-cache');
  });
  pwa.use('/assets/*', async (c, next) => {
    await next();
    // Only a file found here is immutable; the 404 below is not.
    if (c.res.ok) c.res.headers.set('Cache-Control', IMMUTABLE);
  });
  pwa.on(['GET', 'HEAD'], '/assets/*', serveStatic({ root }));
  pwa.all('/assets/*', (c) => c.text('Not found', 404));
  pwa.all('/assets', (c) => c.text('Not found', 404));
  pwa.use('*', serveStatic({ root }));
  pwa.get('*', async (c, next) => {
    if (hasFileExtension(c.req.path)) return next();
    return serveStatic({ root, path: 'index.html' })(c, next);
  });

  return pwa;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The Content-Security-Policy of every response (set in app.ts through secureHeaders). The built
 * PWA has no inline script or style (React sets `style` through the CSSOM, which a policy does not
 * block), loads its scripts, styles, icons, manifest and service worker from its own origin and
 * talks only to its own `/api`. Nothing may frame it, and no plugin content is ever loaded.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

function hasFileExtension(path: string): boolean {
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  return lastSegment.includes('.');
}
