import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { DOMParser } from '@xmldom/xmldom';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { clientAddressResolver } from '../auth/client-limit';
import { type AuthConfig, DEFAULT_AUTH_CONFIG, sessionPolicyOf } from '../auth/config';
import { OidcClient } from '../auth/oidc';
import { parseOidcEnv } from '../auth/oidc-config';
import { loadSamlConfig, parseSamlEnv, type SamlConfig } from '../auth/saml/config';
import { createServiceProvider } from '../auth/saml/service-provider';
import { useTestDatabase } from '../testing/harness';
import {
  LOA3 as OIDC_LOA3,
  type TestIdp as OidcIdp,
  startTestIdp as startOidcIdp,
} from '../testing/oidc-idp';
import {
  LOA3 as SAML_LOA3,
  type TestIdp as SamlIdp,
  startTestIdp as startSamlIdp,
  TEST_SP_KEY_FILES,
  UID,
} from '../testing/saml-idp';
import { systemClock } from '../trpc/context';
import { createIdpLimits, IDP_FAILURE_BLOCK_SECONDS, IDP_MAX_FAILURES } from './idp-limits';
import { createOidcRoutes } from './oidc';
import { createSamlRoutes, MAX_SAML_BODY_BYTES } from './saml';

/*
 * The per-client limits on the identity provider's endpoints, over real TCP: a listening server
 * with OIDC and SAML both on, real providers on loopback (oidc-provider; the SAML test IdP), and
 * requests from loopback addresses of their own (127.0.0.2 the hostile client, 127.0.0.3 a
 * colleague elsewhere) where the client address matters.
 */

const database = useTestDatabase();
const ORIGIN = 'https://evb.test';
const ACS = `${ORIGIN}/api/auth/saml/acs`;
const SP_ENTITY_ID = `${ORIGIN}/saml`;

let oidcIdp: OidcIdp;
let samlIdp: SamlIdp;
let auth: AuthConfig;
let saml: SamlConfig;

beforeAll(async () => {
  oidcIdp = await startOidcIdp({
    redirectUri: `${ORIGIN}/api/auth/oidc/callback`,
    postLogoutRedirectUri: `${ORIGIN}/`,
    accounts: { bertil: { claims: { email: 'handlaggare2' }, acr: OIDC_LOA3 } },
  });
  samlIdp = await startSamlIdp({ spSloUrl: `${ORIGIN}/api/auth/saml/slo` });
  const oidc = parseOidcEnv(
    {
      OIDC_ISSUER: oidcIdp.issuer,
      OIDC_CLIENT_ID: oidcIdp.clientId,
      OIDC_CLIENT_SECRET: oidcIdp.clientSecret,
      OIDC_USER_CLAIM: 'email',
      OIDC_ACR_VALUES: OIDC_LOA3,
      OIDC_SCOPES: 'openid email',
    },
    ORIGIN,
  );
  const samlSettings = parseSamlEnv(
    {
      SAML_IDP_METADATA: samlIdp.metadataUrl,
      SAML_SP_ENTITY_ID: SP_ENTITY_ID,
      SAML_USER_ATTRIBUTE: UID,
      SAML_AUTHN_CONTEXT: SAML_LOA3,
      SAML_SP_PRIVATE_KEY: TEST_SP_KEY_FILES.privateKey,
      SAML_SP_CERTIFICATE: TEST_SP_KEY_FILES.certificate,
    },
    ORIGIN,
  );
  if (!oidc || !samlSettings) throw new Error('OIDC and SAML should be on');
  auth = { ...DEFAULT_AUTH_CONFIG, publicOrigin: ORIGIN, oidc, saml: samlSettings };
  saml = await loadSamlConfig(samlSettings);
});

afterAll(async () => {
  await oidcIdp?.close();
  await samlIdp?.close();
});

type Running = { port: number; close(): Promise<void> };
const running: Running[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<Running> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const result = {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
  running.push(result);
  return result;
}

/** The whole application, as main.ts serves it. */
function startApp(overrides: Partial<AuthConfig> = {}): Promise<Running> {
  const app = createApp({
    database,
    pwaRoot: '/nonexistent',
    auth: { ...auth, ...overrides },
    saml,
  });
  return listen(app.fetch);
}

type Answer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/** A request over a real TCP connection, from `from` (a loopback address). */
function send(
  server: Running,
  path: string,
  {
    from = '127.0.0.2',
    method = 'GET',
    headers = {},
    body,
    chunked = false,
  }: {
    from?: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    chunked?: boolean;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        localAddress: from,
        method,
        path,
        headers: {
          host: 'evb.test',
          ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
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
    // A server that answers before reading all of a large body may close the connection under it.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (body === undefined) {
      req.end();
    } else if (chunked) {
      // No Content-Length: the body arrives in pieces, as a client that declares nothing sends it.
      req.setHeader('transfer-encoding', 'chunked');
      for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.slice(i, i + 16 * 1024));
      req.end();
    } else {
      req.setHeader('content-length', String(Buffer.byteLength(body)));
      req.end(body);
    }
  });
}

function cookieOf(answer: Answer, name: string): string | null {
  const lines = answer.headers['set-cookie'] ?? [];
  for (const line of Array.isArray(lines) ? lines : [lines]) {
    const [pair = ''] = line.split(';');
    const [key, ...value] = pair.split('=');
    if (key === name && value.join('=') !== '') return value.join('=');
  }
  return null;
}

/** A callback with no sign-in under way in this browser: refused after a look at the database. */
const badCallback = (server: Running, from?: string) =>
  send(server, '/api/auth/oidc/callback?code=gissad&state=gissad', from ? { from } : {});

/** An unsigned assertion posted to the ACS: parsed, its signature looked for, refused. */
function badAcs(server: Running, from?: string) {
  const samlResponse = samlIdp.buildResponse({
    inResponseTo: '_ingen',
    acsUrl: ACS,
    audience: SP_ENTITY_ID,
    nameId: 'idp-handlaggare1',
    attributes: { [UID]: 'handlaggare1' },
    signedBy: 'nobody',
  });
  return send(server, '/api/auth/saml/acs', {
    method: 'POST',
    body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
    ...(from ? { from } : {}),
  });
}

/** A whole SAML sign-in as handlaggare1 from `from`: login, the IdP's signed Response, the ACS. */
async function samlSignIn(server: Running, from: string): Promise<Answer> {
  const started = await send(server, '/api/auth/saml/login', { from });
  expect(started.status).toBe(302);
  const location = String(started.headers.location);
  const xml = inflateRawSync(
    Buffer.from(new URL(location).searchParams.get('SAMLRequest') ?? '', 'base64'),
  ).toString('utf8');
  const requestId =
    new DOMParser().parseFromString(xml, 'text/xml').documentElement?.getAttribute('ID') ?? '';
  const requestCookie = cookieOf(started, 'evb_saml');
  const samlResponse = samlIdp.buildResponse({
    inResponseTo: requestId,
    acsUrl: ACS,
    audience: SP_ENTITY_ID,
    nameId: 'idp-handlaggare1',
    attributes: { [UID]: 'handlaggare1' },
  });
  return send(server, '/api/auth/saml/acs', {
    from,
    method: 'POST',
    headers: { cookie: `evb_saml=${requestCookie}` },
    body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
  });
}

/** A whole OIDC sign-in as bertil (handlaggare2) from `from`, the provider's pages followed. */
async function oidcSignIn(server: Running, from: string): Promise<Answer> {
  const started = await send(server, '/api/auth/oidc/login', { from });
  expect(started.status).toBe(303);
  const cookie = `evb_oidc=${cookieOf(started, 'evb_oidc')}`;
  const jar = new Map<string, string>();
  let url = String(started.headers.location);
  let body: string | undefined;
  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
    for (const header of response.headers.getSetCookie()) {
      const [name = '', ...value] = (header.split(';')[0] ?? '').split('=');
      jar.set(name, value.join('='));
    }
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(`${ORIGIN}/api/auth/oidc/callback`)) {
        return send(server, `${next.pathname}${next.search}`, { from, headers: { cookie } });
      }
      url = next.href;
      body = undefined;
      continue;
    }
    const uid = /\/interaction\/([\w-]+)\/login/.exec(await response.text())?.[1];
    if (!uid) throw new Error('no sign-in page at the provider');
    url = new URL(`/interaction/${uid}/login`, url).href;
    body = 'login=bertil';
  }
  throw new Error('too many redirects at the provider');
}

function signedIn(answer: Answer) {
  expect(answer.status).toBe(303);
  expect(answer.headers.location).toBe('/');
  expect(cookieOf(answer, 'evb_session')).toMatch(/^[a-z2-7]+\.[a-z2-7]+$/);
}

function refusedWith429(answer: Answer) {
  expect(answer.status).toBe(429);
  const retryAfter = Number(answer.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(IDP_FAILURE_BLOCK_SECONDS - 60);
  expect(retryAfter).toBeLessThanOrEqual(IDP_FAILURE_BLOCK_SECONDS);
  expect(answer.body).toContain(
    'För många inloggningsförsök från den här anslutningen. Försök igen om 15 minuter.',
  );
  expect(cookieOf(answer, 'evb_session')).toBeNull();
}

async function refusalsAudited() {
  return (
    await database.db
      .selectFrom('auditLog')
      .select('id')
      .where('action', '=', 'inloggning_misslyckad')
      .execute()
  ).length;
}

describe('refused answers from the identity provider, per client', () => {
  it('OIDC: a client whose callbacks keep failing gets 429 with Retry-After; others sign in', async () => {
    const server = await startApp();
    for (let i = 0; i < IDP_MAX_FAILURES; i++) {
      const answer = await badCallback(server);
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe('/?fel=misslyckades');
    }
    expect(await refusalsAudited()).toBe(IDP_MAX_FAILURES);
    refusedWith429(await badCallback(server));
    // Refused before any work: no audit row, no look at the database for it.
    expect(await refusalsAudited()).toBe(IDP_MAX_FAILURES);
    // Even a real sign-in's answer, from that client, waits.
    refusedWith429(await oidcSignIn(server, '127.0.0.2'));
    // Another address is unaffected: its failures are its own, and its user signs in.
    expect((await badCallback(server, '127.0.0.3')).headers.location).toBe('/?fel=misslyckades');
    signedIn(await oidcSignIn(server, '127.0.0.3'));
  });

  it('SAML: a client whose assertions keep failing gets 429 with Retry-After; others sign in', async () => {
    const server = await startApp();
    for (let i = 0; i < IDP_MAX_FAILURES; i++) {
      const answer = await badAcs(server);
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe('/?fel=misslyckades');
    }
    refusedWith429(await badAcs(server));
    refusedWith429(await samlSignIn(server, '127.0.0.2'));
    signedIn(await samlSignIn(server, '127.0.0.3'));
  });

  it('counts OIDC and SAML refusals together, and SLO messages that fail their checks', async () => {
    const server = await startApp();
    const half = IDP_MAX_FAILURES / 2;
    for (let i = 0; i < half; i++) await badCallback(server);
    for (let i = 0; i < half - 1; i++) await badAcs(server);
    // An unsigned LogoutRequest from the "IdP": refused, so it counts.
    const unsigned = samlIdp.logoutRequestUrl(`${ORIGIN}/api/auth/saml/slo`, 'idp-x', false);
    const slo = await send(server, new URL(unsigned).pathname + new URL(unsigned).search);
    expect(slo.status).toBe(302);
    refusedWith429(await badAcs(server));
    const url = new URL(samlIdp.logoutRequestUrl(`${ORIGIN}/api/auth/saml/slo`, 'idp-x'));
    refusedWith429(await send(server, url.pathname + url.search));
  });

  it('counts only failures: the users signing in from one address never reach the limit', async () => {
    const server = await startApp();
    for (let i = 0; i < IDP_MAX_FAILURES - 1; i++) await badAcs(server);
    // A kommun behind one NAT: many successful sign-ins give their points back.
    for (let i = 0; i < 5; i++) signedIn(await samlSignIn(server, '127.0.0.2'));
    signedIn(await oidcSignIn(server, '127.0.0.2'));
    // A valid LogoutRequest does not count either.
    const url = new URL(samlIdp.logoutRequestUrl(`${ORIGIN}/api/auth/saml/slo`, 'idp-x'));
    expect((await send(server, url.pathname + url.search)).status).toBe(302);
    expect((await badAcs(server)).status).toBe(303);
    refusedWith429(await badAcs(server));
  });

  it('does not count a refusal that is no fault of the client’s: the provider unreachable', async () => {
    // The token endpoint cannot be reached (discovery and the provider's pages can).
    const server = await startLimited({
      maxFailures: 3,
      oidcFetch: (input, init) =>
        String(input instanceof Request ? input.url : input).endsWith('/token')
          ? Promise.reject(new TypeError('fetch failed'))
          : fetch(input, init),
    });
    for (let i = 0; i < 4; i++) {
      const answer = await oidcSignIn(server, '127.0.0.2');
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe('/?fel=otillganglig');
    }
    // The client's own failures still count, from the first.
    for (let i = 0; i < 3; i++) expect((await badCallback(server)).status).toBe(303);
    refusedWith429(await badCallback(server));
  });

  it('holds against a parallel burst', async () => {
    const server = await startApp();
    const burst = await Promise.all(
      Array.from({ length: IDP_MAX_FAILURES + 10 }, () => badCallback(server)),
    );
    const statuses = burst.map((answer) => answer.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(IDP_MAX_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('behind a trusted proxy, counts per address in X-Forwarded-For', async () => {
    const server = await startApp({ trustedProxies: ['loopback'] });
    const via = (client: string) => ({ headers: { 'x-forwarded-for': client } });
    const path = '/api/auth/oidc/callback?code=gissad&state=gissad';
    for (let i = 0; i < IDP_MAX_FAILURES; i++) {
      expect((await send(server, path, via('203.0.113.7'))).status).toBe(303);
    }
    refusedWith429(await send(server, path, via('203.0.113.7')));
    // The proxy's other clients, all arriving from the proxy's own address, are not held up.
    expect((await send(server, path, via('203.0.113.8'))).status).toBe(303);
  });
});

/** OIDC and SAML routes under small limits, as createApi mounts them (and OIDC's fetch). */
async function startLimited(options: {
  maxStarts?: number;
  maxFailures?: number;
  oidcFetch?: typeof fetch;
}): Promise<Running> {
  const limits = createIdpLimits(clientAddressResolver([]), options);
  const deps = { database, clock: systemClock, sessionPolicy: sessionPolicyOf(auth) };
  const oidcSettings = {
    ...auth.oidc!,
    ...(options.oidcFetch ? { fetch: options.oidcFetch } : {}),
  };
  const app = new Hono()
    .route(
      '/api/auth/oidc',
      createOidcRoutes({ ...deps, oidc: new OidcClient(oidcSettings), limits }),
    )
    .route(
      '/api/auth/saml',
      createSamlRoutes({
        ...deps,
        serviceProvider: createServiceProvider(database.db, saml),
        limits,
      }),
    );
  return listen(app.fetch);
}

describe('starts of a sign-in, per client', () => {
  it('are all counted, OIDC and SAML together; past the limit 429 until the window ends', async () => {
    const server = await startLimited({ maxStarts: 4 });
    for (let i = 0; i < 2; i++) {
      expect((await send(server, '/api/auth/oidc/login')).status).toBe(303);
      expect((await send(server, '/api/auth/saml/login')).status).toBe(302);
    }
    for (const path of ['/api/auth/oidc/login', '/api/auth/saml/login']) {
      const refused = await send(server, path);
      expect(refused.status).toBe(429);
      // No block beyond the window (ten minutes): starts are not failures.
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(9 * 60);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(10 * 60);
      expect(cookieOf(refused, 'evb_oidc') ?? cookieOf(refused, 'evb_saml')).toBeNull();
    }
    // Nothing stored for the refused starts.
    expect((await database.db.selectFrom('oidcLogin').select('id').execute()).length).toBe(2);
    // Another address starts as before.
    expect((await send(server, '/api/auth/saml/login', { from: '127.0.0.3' })).status).toBe(302);
  });
});

describe('the size of a message posted to the ACS or SLO', () => {
  const huge = `SAMLResponse=${'A'.repeat(MAX_SAML_BODY_BYTES)}`;

  it('is at most MAX_SAML_BODY_BYTES: 413 before anything is parsed, declared or not', async () => {
    const server = await startApp();
    const declared = await send(server, '/api/auth/saml/acs', { method: 'POST', body: huge });
    expect(declared.status).toBe(413);
    expect(declared.body).toBe('Meddelandet från inloggningstjänsten är för stort (högst 256 kB).');
    const streamed = await send(server, '/api/auth/saml/acs', {
      method: 'POST',
      body: huge,
      chunked: true,
    });
    expect(streamed.status).toBe(413);
    const slo = await send(server, '/api/auth/saml/slo', { method: 'POST', body: huge });
    expect(slo.status).toBe(413);
    expect(cookieOf(declared, 'evb_session')).toBeNull();
  });

  it('a message just within the limit is read and checked as any other', async () => {
    const server = await startApp();
    const within = `SAMLResponse=${'A'.repeat(MAX_SAML_BODY_BYTES - 'SAMLResponse='.length)}`;
    const answer = await send(server, '/api/auth/saml/acs', { method: 'POST', body: within });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/?fel=misslyckades');
  });
});
