import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createDatabase, type Database } from '../db/database';

let tmp: string;
let database: Database;
let app: ReturnType<typeof createApp>;

const INDEX = '<!doctype html><title>evb</title>';

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'evb-pwa-test-'));
  const pwaRoot = path.join(tmp, 'pwa');
  await mkdir(path.join(pwaRoot, 'assets', 'sub'), { recursive: true });
  await writeFile(path.join(pwaRoot, 'index.html'), INDEX);
  await writeFile(path.join(pwaRoot, 'assets', 'index-abc123.js'), 'console.log(1);');
  await writeFile(path.join(pwaRoot, 'assets', 'index-abc123.css'), 'p{color:red}');
  await writeFile(path.join(pwaRoot, 'sw.js'), 'self.skipWaiting();');
  database = await createDatabase({ kind: 'pglite', dataDir: path.join(tmp, 'data') });
  app = createApp({ database, pwaRoot });
});

afterAll(async () => {
  await database?.close();
  await rm(tmp, { recursive: true, force: true });
});

/** The policy's directives, by name: `default-src 'self'; …` → { 'default-src': ["'self'"] }. */
function directives(header: string | null): Record<string, string[]> {
  expect(header, 'Content-Security-Policy header').toBeTruthy();
  return Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('Content-Security-Policy', () => {
  it('is on every kind of response: the app, an asset, the worker, the API, a 404', async () => {
    const requests: [string, RequestInit?][] = [
      ['/'],
      ['/beslut/123'],
      ['/assets/index-abc123.js'],
      ['/assets/gone-000000.js'],
      ['/sw.js'],
      ['/api/health'],
      ['/api/trpc/auth.me'],
      ['/api/nothing-here'],
      ['/api/trpc/sync.push', { method: 'POST', body: '{' }],
    ];
    for (const [url, init] of requests) {
      const response = await app.request(url, init);
      const csp = directives(response.headers.get('content-security-policy'));
      expect(csp['default-src'], url).toEqual(["'self'"]);
    }
  });

  it('allows only the app’s own origin, no plugins, no framing, no foreign base or form target', async () => {
    const csp = directives((await app.request('/')).headers.get('content-security-policy'));
    expect(csp).toMatchObject({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'"],
      'connect-src': ["'self'"],
      'manifest-src': ["'self'"],
      'worker-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
    // Nothing weakens it: no inline code, no eval, no other origin.
    for (const [name, values] of Object.entries(csp)) {
      for (const value of values) {
        expect(value, name).toMatch(/^'(self|none)'$/);
      }
    }
  });
});

describe('/assets/', () => {
  it('serves a hashed file as immutable', async () => {
    for (const file of ['index-abc123.js', 'index-abc123.css']) {
      const response = await app.request(`/assets/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    const head = await app.request('/assets/index-abc123.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('cache-control')).toContain('immutable');
  });

  it('answers 404 for any unknown path, with or without an extension, never the app and never immutable', async () => {
    for (const url of [
      '/assets/gone-000000.js',
      '/assets/gone',
      '/assets/beslut/123',
      '/assets/',
      '/assets',
      '/assets/sub',
      '/assets/sub/',
      '/assets/index.html',
    ]) {
      const response = await app.request(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('cache-control') ?? '', url).not.toContain('immutable');
      expect(await response.text(), url).not.toContain('<title>evb</title>');
    }
  });

  it('answers 404 to other methods', async () => {
    const response = await app.request('/assets/index-abc123.js', { method: 'POST' });
    expect(response.status).toBe(404);
  });
});

describe('index.html', () => {
  it('is never sent as immutable, whatever path asked for it', async () => {
    for (const url of ['/', '/index.html', '/beslut', '/kvartal/2026-1/abc/2026-01-01', '/synk']) {
      const response = await app.request(url);
      expect(response.status, url).toBe(200);
      expect(await response.text(), url).toBe(INDEX);
      expect(response.headers.get('cache-control'), url).toBe('no-cache');
    }
  });
});
