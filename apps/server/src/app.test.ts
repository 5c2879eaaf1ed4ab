import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, STRICT_TRANSPORT_SECURITY } from './app';
import { DEFAULT_AUTH_CONFIG } from './auth/config';
import { createDatabase, type Database } from './db/database';

let tmp: string;
let pwaRoot: string;
let database: Database;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'evb-server-test-'));
  pwaRoot = path.join(tmp, 'pwa');
  await mkdir(path.join(pwaRoot, 'assets'), { recursive: true });
  await writeFile(path.join(pwaRoot, 'index.html'), '<!doctype html><title>evb</title>');
  await writeFile(path.join(pwaRoot, 'assets', 'index-abc123.js'), 'console.log(1);');
  await writeFile(path.join(pwaRoot, 'sw.js'), 'self.skipWaiting();');
  await writeFile(path.join(pwaRoot, 'manifest.webmanifest'), '{"name":"evb"}');
  database = await createDatabase({ kind: 'pglite', dataDir: path.join(tmp, 'data') });
  app = createApp({ database, pwaRoot });
});

afterAll(async () => {
  await database?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('GET /api/health on the embedded database', () => {
  it('runs a query and answers ok', async () => {
    const response = await app.request('/api/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ ok: true, database: 'pglite' });
  });
});

describe('HSTS', () => {
  it('is sent on every response when the public origin is https', async () => {
    const https = createApp({
      database,
      pwaRoot,
      auth: { ...DEFAULT_AUTH_CONFIG, publicOrigin: 'https://evb.kommun.se' },
    });
    for (const url of ['/', '/api/health', '/api/finns-inte']) {
      const response = await https.request(url);
      expect(response.headers.get('strict-transport-security'), url).toBe(
        STRICT_TRANSPORT_SECURITY,
      );
    }
  });

  it('is not sent over plain http or without a public origin', async () => {
    const http = createApp({
      database,
      pwaRoot,
      auth: { ...DEFAULT_AUTH_CONFIG, publicOrigin: 'http://localhost:3000' },
    });
    expect((await http.request('/')).headers.get('strict-transport-security')).toBeNull();
    expect((await app.request('/')).headers.get('strict-transport-security')).toBeNull();
  });
});

describe('the built PWA', () => {
  it('serves index.html at /', async () => {
    const response = await app.request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('<title>evb</title>');
  });

  it('falls back to index.html for the app’s own routes', async () => {
    for (const route of ['/beslut', '/rapporter/2026/1']) {
      const response = await app.request(route);
      expect(response.status, route).toBe(200);
      expect(await response.text()).toContain('<title>evb</title>');
    }
  });

  it('serves hashed assets as immutable and the service worker as revalidated', async () => {
    const asset = await app.request('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const worker = await app.request('/sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    const manifest = await app.request('/manifest.webmanifest');
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
  });

  it('answers 404, not index.html, for a missing file', async () => {
    const response = await app.request('/assets/gone-000000.js');
    expect(response.status).toBe(404);
  });

  it('does not serve files outside its folder', async () => {
    await writeFile(path.join(tmp, 'secret.txt'), 'secret');
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const response = await app.request(url);
      expect(await response.text(), url).not.toContain('secret');
    }
  });

  it('never answers unknown /api paths with the app', async () => {
    for (const url of ['/api', '/api/', '/api/nothing-here']) {
      const response = await app.request(url);
      expect(response.status, url).toBe(404);
      expect(await response.json()).toEqual({ error: 'Not found' });
    }
  });

  it('answers 404 to other methods than GET and HEAD', async () => {
    const response = await app.request('/beslut', { method: 'POST' });
    expect(response.status).toBe(404);
  });
});

describe('GET /api/health when the database fails', () => {
  it('answers 503 with ok false once the embedded database is closed', async () => {
    const dataDir = path.join(tmp, 'closed');
    const closed = await createDatabase({ kind: 'pglite', dataDir });
    await closed.close();
    const response = await createApp({ database: closed, pwaRoot }).request('/api/health');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, database: 'pglite' });
  });

  it('refuses to open a PostgreSQL database that does not answer, so the server never starts half-way', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    await expect(
      createDatabase({ kind: 'postgresql', url: 'postgresql://evb@127.0.0.1:1/evb' }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
