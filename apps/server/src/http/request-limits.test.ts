import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { useTestDatabase } from '../testing/harness';
import {
  jsonNestsDeeperThan,
  MAX_BATCH_SIZE,
  MAX_BODY_BYTES,
  MAX_IMPORT_BODY_BYTES,
} from './request-limits';

/*
 * The API's gate, over real HTTP: hostile bodies get a 4xx in tRPC's error shape quickly, without
 * signing in, and the server keeps answering everyone else meanwhile.
 */

const database = useTestDatabase({ reset: 'once' });
let server: ServerType;
let base: string;

beforeAll(async () => {
  const app = createApp({ database, pwaRoot: '/nonexistent-pwa-root' });
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function post(
  path: string,
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
) {
  return fetch(`${base}/api/trpc/${path}`, {
    method: 'POST',
    body,
    headers: { origin: base, 'content-type': 'application/json', ...headers },
    // A stream body needs this in Node's fetch.
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** A batched call of `path` whose input has a field nested `depth` deep. */
const deepBatch = (path: string, depth: number) =>
  post(`${path}?batch=1`, `{"0":{"username":"a","password":"b","x":${deep(depth)}}}`);

async function errorOf(response: Response) {
  const body = (await response.json()) as unknown;
  const first = (Array.isArray(body) ? body[0] : body) as {
    error: { message: string; data: { code: string; httpStatus: number } };
  };
  return first.error;
}

describe('jsonNestsDeeperThan', () => {
  it('counts brackets outside strings only', () => {
    expect(jsonNestsDeeperThan('{"a":[1,{"b":[]}]}', 4)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":[1,{"b":[]}]}', 3)).toBe(true);
    expect(jsonNestsDeeperThan(JSON.stringify({ text: '[[[[[[{{{{' }), 1)).toBe(false);
    expect(jsonNestsDeeperThan(JSON.stringify({ text: 'a\\"[[[[' }), 1)).toBe(false);
  });
});

describe('a deeply nested body', () => {
  it('gets a 400 with a Swedish message, not signed in, on a query, a mutation and sync', async () => {
    for (const path of ['auth.login', 'decisions.register', 'sync.push', 'reports.saveDraft']) {
      const response = await deepBatch(path, 100_000);
      expect(response.status, path).toBe(400);
      const error = await errorOf(response);
      expect(error.message).toBe('Begäran är för djupt nästlad och avvisades.');
      expect(error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
    }
  });

  it('gets a 400 in a query’s input too', async () => {
    const input = encodeURIComponent(JSON.stringify({ 0: {} }).replace('{}', deep(2_000)));
    const response = await fetch(`${base}/api/trpc/decisions.list?batch=1&input=${input}`);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toBe('Begäran är för djupt nästlad och avvisades.');
  });

  it('is let through at the depth real calls have', async () => {
    const response = await deepBatch('auth.login', 20);
    // Past the gate: the login itself answers.
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toBe('Fel användarnamn eller lösenord.');
  });
});

describe('an oversized body', () => {
  it('gets a 413 whether its length is declared or not', async () => {
    const big = `{"0":{"username":"${'a'.repeat(10 * 1024 * 1024)}","password":"b"}}`;
    const declared = await post('auth.login?batch=1', big);
    expect(declared.status).toBe(413);
    const error = await errorOf(declared);
    expect(error.message).toBe('Begäran är för stor (högst 1 MB).');
    expect(error.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });

    // Sent in chunks without a length: cut off once past the limit.
    const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 4 * MAX_BODY_BYTES) controller.close();
        else {
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        }
      },
    });
    const streamed = await post('auth.login', stream);
    expect(streamed.status).toBe(413);
  });

  it('is allowed up to the import’s own limit for the import only', async () => {
    const csv = 'x'.repeat(2 * MAX_BODY_BYTES);
    const body = JSON.stringify({ 0: { namndId: 'n', csv } });
    expect((await post('decisions.register?batch=1', body)).status).toBe(413);
    // Past the gate: nobody is signed in.
    expect((await post('imports.dryRun?batch=1', body)).status).toBe(401);
    const tooBig = JSON.stringify({ 0: { namndId: 'n', csv: 'x'.repeat(MAX_IMPORT_BODY_BYTES) } });
    expect((await post('imports.dryRun?batch=1', tooBig)).status).toBe(413);
  });
});

describe('a batch', () => {
  it(`of more than ${MAX_BATCH_SIZE} calls gets a 400`, async () => {
    const calls = (n: number) => Array.from({ length: n }, () => 'auth.me').join(',');
    const input = (n: number) =>
      encodeURIComponent(
        JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, null]))),
      );
    const ok = await fetch(
      `${base}/api/trpc/${calls(MAX_BATCH_SIZE)}?batch=1&input=${input(MAX_BATCH_SIZE)}`,
    );
    expect(ok.status).toBe(200);
    const many = MAX_BATCH_SIZE + 1;
    const refused = await fetch(`${base}/api/trpc/${calls(many)}?batch=1&input=${input(many)}`);
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).message).toBe(
      `Högst ${MAX_BATCH_SIZE} anrop kan skickas i samma begäran.`,
    );
  });
});

describe('a malformed call', () => {
  it('is refused in Swedish, in tRPC’s shape', async () => {
    const cases: [Promise<Response>, number, string][] = [
      [
        post('auth.login', '{"username": "a", '),
        400,
        'Begäran kunde inte läsas: den är inte giltig JSON.',
      ],
      [
        fetch(`${base}/api/trpc/auth.login?input=${encodeURIComponent('{}')}`),
        405,
        'Anropet gjordes med fel metod (en fråga med GET, en ändring med POST).',
      ],
      [
        post('auth.me', '{}'),
        405,
        'Anropet gjordes med fel metod (en fråga med GET, en ändring med POST).',
      ],
      [post('finns.inte', '{}'), 404, 'Anropet finns inte i evb.'],
      [
        post('auth.login', '{}', { 'content-type': 'text/plain' }),
        415,
        'Begäran ska skickas som JSON (Content-Type: application/json).',
      ],
      [
        post('auth.login?batch=1', '{"0":{}}', { origin: 'http://127.0.0.1:1' }),
        403,
        'Begäran kom inte från evb och avvisades.',
      ],
    ];
    for (const [request, status, message] of cases) {
      const response = await request;
      expect(response.status, message).toBe(status);
      expect(await errorOf(response), message).toMatchObject({
        message,
        data: { httpStatus: status },
      });
    }
  });
});

describe('texts and dates that are not', () => {
  async function signedIn(username: string) {
    const response = await post(
      'auth.login',
      JSON.stringify({ username, password: FIXTURE_PASSWORD }),
    );
    expect(response.status).toBe(200);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
    return (path: string, input: unknown) => post(path, JSON.stringify(input), { cookie });
  }

  it('a lone surrogate anywhere gets a 400, a real emoji does not', async () => {
    const call = await signedIn('handlaggare1');
    // JSON text carries half a surrogate pair as an escape (JSON.stringify writes it so).
    for (const text of ['\ud800', 'a\udc00', 'slut\ud83d']) {
      const refused = await call('followUps.log', { id: crypto.randomUUID(), text });
      expect(refused.status, JSON.stringify(text)).toBe(400);
      expect((await errorOf(refused)).message).toBe('text: Texten innehåller ett otillåtet tecken');
    }
    const emoji = await call('followUps.log', { id: crypto.randomUUID(), text: 'Bra 🙂' });
    expect((await errorOf(emoji)).message).not.toContain('otillåtet tecken');
  });

  it('year 0000 gets a 400 naming the field, not a 500', async () => {
    const call = await signedIn('handlaggare1');
    for (const beslutsdatum of ['0000-01-01', '9999-12-31']) {
      const response = await call('decisions.register', {
        id: crypto.randomUUID(),
        namndId: 'vard',
        lagrum: 'LSS',
        insats: 'LSS_9_10',
        verksamhetsomrade: 'LSS',
        beslutsdatum,
        person: { typ: 'utan_nummer', fornamn: 'A', efternamn: 'B', fodelsedatum: '0000-02-03' },
      });
      expect(response.status, beslutsdatum).toBe(400);
      expect((await errorOf(response)).message).toContain(
        'beslutsdatum: Ange ett datum mellan år 1900 och 2199',
      );
    }
  });
});

describe('while hostile requests arrive', () => {
  it('the server keeps answering others promptly', async () => {
    const health = async () => {
      const started = performance.now();
      const response = await fetch(`${base}/api/health`);
      expect(response.status).toBe(200);
      return performance.now() - started;
    };
    await health();
    const quiet = Math.max(await health(), await health());

    const big = `{"0":{"username":"${'a'.repeat(5 * 1024 * 1024)}","password":"b"}}`;
    const attacks = Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0 ? deepBatch('auth.login', 200_000) : post('auth.login?batch=1', big),
    );
    const during = await Promise.all([health(), health(), health()]);
    const answers = await Promise.all(attacks);
    for (const answer of answers) expect([400, 413]).toContain(answer.status);
    // Before the gate, each deep body was a 500 after a stack overflow, and a few in parallel held
    // every other request for seconds.
    expect(Math.max(...during)).toBeLessThan(quiet + 1000);
  });
});
