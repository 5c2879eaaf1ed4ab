import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { CLIENT_MAX_FAILURES, clientAddressResolver, limitKey } from '../auth/client-limit';
import { type AuthConfig, DEFAULT_AUTH_CONFIG } from '../auth/config';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { fixedClock, useTestDatabase } from '../testing/harness';

/*
 * Sign-in limits and the Origin check over real HTTP: a listening server on 127.0.0.1, requests
 * from loopback addresses of their own (127.0.0.2, 127.0.0.3) where the client address matters.
 */

const database = useTestDatabase();

type Running = { port: number; close(): Promise<void> };
const running: Running[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(auth: Partial<AuthConfig> = {}): Promise<Running> {
  const app = createApp({
    database,
    pwaRoot: '/nonexistent',
    clock: fixedClock('2026-11-22T10:00:00Z'),
    auth: { ...DEFAULT_AUTH_CONFIG, ...auth },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const result = {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  running.push(result);
  return result;
}

type Answer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/** A POST over a real TCP connection, from `from` (a loopback address). */
function send(
  server: Running,
  path: string,
  body: unknown,
  { from = '127.0.0.2', headers = {} }: { from?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        localAddress: from,
        method: 'POST',
        path: `/api/trpc/${path}`,
        headers: {
          'content-type': 'application/json',
          origin: `http://127.0.0.1:${server.port}`,
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const login = (
  server: Running,
  username: string,
  password: string,
  options?: { from?: string; headers?: Record<string, string> },
) => send(server, 'auth.login', { username, password }, options);

const messageOf = (answer: Answer) =>
  (JSON.parse(answer.body) as { error: { message: string } }).error.message;

/** Fails CLIENT_MAX_FAILURES sign-ins, each with a username of its own (a spray). */
async function spray(
  server: Running,
  options?: { from?: string; headers?: (i: number) => Record<string, string> },
) {
  for (let i = 0; i < CLIENT_MAX_FAILURES; i++) {
    const answer = await login(server, `gissning-${i}`, 'Sommar2026!', {
      ...(options?.from ? { from: options.from } : {}),
      ...(options?.headers ? { headers: options.headers(i) } : {}),
    });
    expect(answer.status).toBe(401);
  }
}

describe('the per-client limit on failed sign-ins', () => {
  it('refuses a client that tried many usernames with 429, Retry-After and a Swedish message', async () => {
    const server = await start();
    await spray(server);
    // Even a real user's right password, from that client.
    const refused = await login(server, 'admin', FIXTURE_PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(messageOf(refused)).toBe(
      'För många misslyckade inloggningar från den här anslutningen. Försök igen om 15 minuter.',
    );
    expect(refused.headers['set-cookie']).toBeUndefined();
    // Another client signs in as before.
    const other = await login(server, 'admin', FIXTURE_PASSWORD, { from: '127.0.0.3' });
    expect(other.status).toBe(200);
  });

  it('counts only failures: a successful sign-in gives its attempt back', async () => {
    const server = await start();
    for (let i = 0; i < CLIENT_MAX_FAILURES - 1; i++) {
      expect((await login(server, `gissning-${i}`, 'fel')).status).toBe(401);
    }
    for (let i = 0; i < 3; i++)
      expect((await login(server, 'admin', FIXTURE_PASSWORD)).status).toBe(200);
    expect((await login(server, 'gissning-sista', 'fel')).status).toBe(401);
    expect((await login(server, 'admin', FIXTURE_PASSWORD)).status).toBe(429);
  });

  it('holds against a parallel burst', async () => {
    const server = await start();
    const burst = await Promise.all(
      Array.from({ length: CLIENT_MAX_FAILURES + 10 }, (_, i) =>
        login(server, `parallell-${i}`, 'fel'),
      ),
    );
    const statuses = burst.map((answer) => answer.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(CLIENT_MAX_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
    const server = await start();
    await spray(server, { headers: (i) => ({ 'x-forwarded-for': `198.51.100.${i}` }) });
    const refused = await login(server, 'admin', FIXTURE_PASSWORD, {
      headers: { 'x-forwarded-for': '198.51.100.200' },
    });
    expect(refused.status).toBe(429);
  });

  it('behind a trusted proxy, counts per address in X-Forwarded-For', async () => {
    const server = await start({ trustedProxies: ['127.0.0.2'] });
    const behindProxy = (client: string) => ({
      from: '127.0.0.2',
      headers: { 'x-forwarded-for': client },
    });
    await spray(server, {
      from: '127.0.0.2',
      headers: () => ({ 'x-forwarded-for': '203.0.113.7' }),
    });
    expect(
      (await login(server, 'admin', FIXTURE_PASSWORD, behindProxy('203.0.113.7'))).status,
    ).toBe(429);
    // What the client wrote itself, left of what the proxy appended, does not change who it is.
    expect(
      (await login(server, 'admin', FIXTURE_PASSWORD, behindProxy('192.0.2.1, 203.0.113.7')))
        .status,
    ).toBe(429);
    // Another client behind the same proxy is not held back.
    expect(
      (await login(server, 'admin', FIXTURE_PASSWORD, behindProxy('203.0.113.8'))).status,
    ).toBe(200);
  });
});

describe('the client address', () => {
  it('is counted by its /64 network when it is IPv6', () => {
    expect(limitKey('203.0.113.7')).toBe('203.0.113.7');
    expect(limitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:DB8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(limitKey('::1')).toBe('0:0:0:0::/64');
    expect(limitKey('fe80:0000:0000:0000::5')).toBe('fe80:0:0:0::/64');
  });

  it('is the connecting address unless that is a trusted proxy', () => {
    const none = clientAddressResolver([]);
    expect(none('10.0.0.5', '203.0.113.7')).toBe('10.0.0.5');
    expect(none('::ffff:10.0.0.5', undefined)).toBe('10.0.0.5');
    expect(none(undefined, '203.0.113.7')).toBeNull();

    const proxied = clientAddressResolver(['10.0.0.0/24', '2001:db8::1', 'loopback']);
    expect(proxied('10.0.0.5', '203.0.113.7')).toBe('203.0.113.7');
    expect(proxied('::ffff:10.0.0.5', '203.0.113.7')).toBe('203.0.113.7');
    expect(proxied('::1', '203.0.113.7')).toBe('203.0.113.7');
    expect(proxied('2001:db8::1', '2001:db8::99')).toBe('2001:db8::99');
    // Proxies in a chain are passed over, right to left; what the client wrote is not read.
    expect(proxied('10.0.0.5', '192.0.2.1, 203.0.113.7, 10.0.0.9')).toBe('203.0.113.7');
    // Garbage stops the walk at the last address a trusted proxy vouched for.
    expect(proxied('10.0.0.5', 'nonsense, 10.0.0.9')).toBe('10.0.0.9');
    expect(proxied('10.0.0.5', 'nonsense')).toBe('10.0.0.5');
    expect(proxied('10.0.0.5', undefined)).toBe('10.0.0.5');
    expect(proxied('10.0.1.5', '203.0.113.7')).toBe('10.0.1.5');
  });
});

describe('the Origin of a mutation', () => {
  const body = { username: 'admin', password: FIXTURE_PASSWORD };

  it('must be the server’s own scheme, host and port', async () => {
    const server = await start();
    const own = `http://127.0.0.1:${server.port}`;
    for (const origin of [
      `https://127.0.0.1:${server.port}`,
      `http://127.0.0.1:${server.port + 1}`,
      'http://127.0.0.1',
      `http://127.0.0.1:${server.port}.elak.example`,
      'null',
    ]) {
      const refused = await send(server, 'auth.login', body, { headers: { origin } });
      expect(refused.status, origin).toBe(403);
      expect(messageOf(refused)).toBe('Begäran kom inte från evb och avvisades.');
    }
    expect((await send(server, 'auth.login', body, { headers: { origin: own } })).status).toBe(200);
  });

  it('must be PUBLIC_ORIGIN when that is set', async () => {
    const server = await start({ publicOrigin: 'https://evb.kommun.se' });
    const asReceived = await send(server, 'auth.login', body, {
      headers: { origin: `http://127.0.0.1:${server.port}` },
    });
    expect(asReceived.status).toBe(403);
    for (const origin of ['http://evb.kommun.se', 'https://evb.kommun.se:8443']) {
      expect((await send(server, 'auth.login', body, { headers: { origin } })).status).toBe(403);
    }
    const right = await send(server, 'auth.login', body, {
      headers: { origin: 'https://evb.kommun.se' },
    });
    expect(right.status).toBe(200);
  });
});
