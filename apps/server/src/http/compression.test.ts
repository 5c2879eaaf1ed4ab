import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compressResponses } from './compression';

/*
 * The sync pages and the app's JavaScript go out with Brotli to a browser that takes it, gzip to
 * one that takes only that, and as they are otherwise, and what arrives decompresses to the page.
 */

const page = { events: Array.from({ length: 500 }, (_, i) => ({ id: `e${i}`, text: 'Ringde' })) };

function app() {
  const a = new Hono();
  a.use(compressResponses());
  a.get('/page', (c) => c.json(page));
  // A static file says its length; under a kilobyte is not worth compressing.
  a.get('/small', (c) =>
    c.body('{"ok":true}', 200, { 'Content-Type': 'application/json', 'Content-Length': '11' }),
  );
  a.get('/image', (c) => c.body(new Uint8Array(4096), 200, { 'Content-Type': 'image/png' }));
  return a;
}

async function fetchWith(path: string, acceptEncoding?: string) {
  const res = await app().request(path, {
    headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {},
  });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

describe('response compression', () => {
  it('sends Brotli to a browser that accepts it, and the page comes back whole', async () => {
    const { res, body } = await fetchWith('/page', 'gzip, deflate, br, zstd');
    expect(res.headers.get('Content-Encoding')).toBe('br');
    expect(res.headers.get('Vary')).toMatch(/Accept-Encoding/);
    expect(JSON.parse(brotliDecompressSync(body).toString())).toEqual(page);
    expect(body.length).toBeLessThan(JSON.stringify(page).length / 5);
  });

  it('sends gzip to one that accepts only gzip, or prefers it', async () => {
    for (const accept of ['gzip', 'br;q=0.5, gzip']) {
      const { res, body } = await fetchWith('/page', accept);
      expect(res.headers.get('Content-Encoding'), accept).toBe('gzip');
      expect(JSON.parse(gunzipSync(body).toString())).toEqual(page);
    }
  });

  it('leaves alone what is small, not text, or not asked to be compressed', async () => {
    for (const [path, accept] of [
      ['/small', 'br'],
      ['/image', 'br'],
      ['/page', undefined],
      ['/page', 'identity'],
    ] as const) {
      const { res } = await fetchWith(path, accept);
      expect(res.headers.get('Content-Encoding'), `${path} ${accept}`).toBeNull();
    }
  });
});

describe('chooseEncoding', () => {
  it('follows the q values, Brotli first among equals, nothing refused', () => {
    expect(chooseEncoding('gzip, br')).toBe('br');
    expect(chooseEncoding('br;q=0, gzip;q=0.8, deflate;q=0.9')).toBe('deflate');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*, br;q=0')).toBe('gzip');
    expect(chooseEncoding('zstd')).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
  });
});
