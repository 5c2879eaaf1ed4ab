import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app';
import { useTestDatabase } from '../../testing/harness';
import {
  encryptAssertion,
  LOA3,
  PASSWORD_CONTEXT,
  type ResponseOptions,
  startTestIdp,
  TEST_SP_KEY_FILES,
  type TestIdp,
  UID,
} from '../../testing/saml-idp';
import { DEFAULT_AUTH_CONFIG } from '../config';
import { loadSamlConfig, parseSamlEnv, type SamlConfig, type SamlSettings } from './config';

/*
 * evb as a SAML service provider against a real IdP on loopback (testing/saml-idp.ts: XML signed
 * with xml-crypto by its own key), through the HTTP API as the browser meets it: the redirect to
 * the IdP, its sign-in page, the Response posted to the ACS, the session. Then every way a
 * Response must be refused, each audited, none signing anyone in.
 */

const database = useTestDatabase();
const ORIGIN = 'https://evb.test';
const ACS = `${ORIGIN}/api/auth/saml/acs`;
const SP_ENTITY_ID = `${ORIGIN}/saml`;

let idp: TestIdp;
let settings: SamlSettings;
let config: SamlConfig;

beforeAll(async () => {
  idp = await startTestIdp({ spSloUrl: `${ORIGIN}/api/auth/saml/slo` });
  const parsed = parseSamlEnv(
    {
      SAML_IDP_METADATA: idp.metadataUrl,
      SAML_SP_ENTITY_ID: SP_ENTITY_ID,
      SAML_USER_ATTRIBUTE: UID,
      SAML_AUTHN_CONTEXT: LOA3,
      SAML_SP_PRIVATE_KEY: TEST_SP_KEY_FILES.privateKey,
      SAML_SP_CERTIFICATE: TEST_SP_KEY_FILES.certificate,
    },
    ORIGIN,
  );
  if (!parsed) throw new Error('SAML should be on');
  settings = parsed;
  config = await loadSamlConfig(settings);
});

afterAll(async () => {
  await idp?.close();
});

function app() {
  return createApp({
    database,
    pwaRoot: '/nonexistent',
    auth: { ...DEFAULT_AUTH_CONFIG, publicOrigin: ORIGIN, saml: settings },
    saml: config,
  });
}

function setCookies(response: Response): string[] {
  return response.headers.getSetCookie();
}

function cookieValue(response: Response, name: string): string | null {
  for (const line of setCookies(response)) {
    const [pair] = line.split(';');
    const [key, ...value] = (pair ?? '').split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

/** GET /login: the IdP's address with the AuthnRequest, and the browser's request cookie. */
async function startLogin() {
  const response = await app().request(`${ORIGIN}/api/auth/saml/login`);
  expect(response.status).toBe(302);
  const location = response.headers.get('location') ?? '';
  const requestCookie = cookieValue(response, 'evb_saml');
  const xml = inflateRawSync(
    Buffer.from(new URL(location).searchParams.get('SAMLRequest') ?? '', 'base64'),
  ).toString('utf8');
  const request = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  return { location, requestCookie, requestId: request?.getAttribute('ID') ?? '', xml };
}

function postAcs(samlResponse: string, requestCookie: string | null, body?: string) {
  return app().request(ACS, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // The IdP's page posts it: another site.
      origin: idp.origin,
      ...(requestCookie ? { cookie: `evb_saml=${requestCookie}` } : {}),
    },
    body: body ?? new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
  });
}

function good(requestId: string, overrides: Partial<ResponseOptions> = {}): ResponseOptions {
  return {
    inResponseTo: requestId,
    acsUrl: ACS,
    audience: SP_ENTITY_ID,
    nameId: 'idp-handlaggare1',
    attributes: { [UID]: 'handlaggare1' },
    ...overrides,
  };
}

async function me(sessionCookie: string) {
  const response = await app().request(`${ORIGIN}/api/trpc/auth.me`, {
    headers: { cookie: `evb_session=${sessionCookie}` },
  });
  return ((await response.json()) as { result: { data: { username: string } | null } }).result.data;
}

async function signInAudits() {
  const rows = await database.db
    .selectFrom('auditLog')
    .select(['action', 'subjectId', 'details'])
    .where('action', 'in', ['inloggning', 'inloggning_misslyckad'])
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    action: row.action,
    subjectId: row.subjectId,
    details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
  }));
}

describe('sign-in through the IdP', () => {
  it('goes to the IdP with an AuthnRequest for our ACS that asks for the configured level', async () => {
    const { location, requestCookie, requestId, xml } = await startLogin();
    expect(location.startsWith(`${idp.origin}/sso?`)).toBe(true);
    // Signed with the SP's key (HTTP-Redirect binding: the signature is in the query).
    expect(new URL(location).searchParams.get('Signature')).toBeTruthy();
    expect(requestCookie).toBe(requestId);
    expect(xml).toContain(`AssertionConsumerServiceURL="${ACS}"`);
    expect(xml).toContain(LOA3);
  });

  it('refuses to start more than the limit of sign-ins under way, in Swedish', async () => {
    const { createServiceProvider } = await import('./service-provider');
    const { createSamlRoutes } = await import('../../http/saml');
    const { Hono } = await import('hono');
    const limited = new Hono().route(
      '/api/auth/saml',
      createSamlRoutes({
        database,
        clock: { now: () => new Date(), sleep: async () => {} },
        sessionPolicy: { idleMs: 60_000, maxMs: 3_600_000 },
        serviceProvider: createServiceProvider(database.db, config, 2),
      }),
    );
    await database.db.deleteFrom('samlRequest').execute();
    for (let i = 0; i < 2; i++) {
      const started = await limited.request(`${ORIGIN}/api/auth/saml/login`);
      expect(started.headers.get('location')?.startsWith(`${idp.origin}/sso?`)).toBe(true);
    }
    const third = await limited.request(`${ORIGIN}/api/auth/saml/login`);
    expect(third.headers.get('location')).toBe('/?fel=otillganglig');
    expect(cookieValue(third, 'evb_saml')).toBeNull();
  });

  it('round trip: the IdP’s sign-in page posts a signed Response, and the user is signed in', async () => {
    const { location, requestCookie } = await startLogin();
    // The browser at the IdP: its page, the user signs in there.
    const pageHtml = await (await fetch(location)).text();
    const pending = /name="pending" value="([^"]+)"/.exec(pageHtml)?.[1] ?? '';
    const posted = await fetch(`${idp.origin}/sso/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pending, username: 'handlaggare1' }).toString(),
    });
    const form = await posted.text();
    expect(form).toContain(`action="${ACS}"`);
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(form)?.[1] ?? '';

    const answer = await postAcs(samlResponse, requestCookie);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/');
    const session = cookieValue(answer, 'evb_session');
    expect(session).toBeTruthy();
    expect(setCookies(answer).find((c) => c.startsWith('evb_session='))).toContain('HttpOnly');
    expect(await me(session ?? '')).toMatchObject({ username: 'handlaggare1' });
    expect(await signInAudits()).toEqual([
      { action: 'inloggning', subjectId: 'handlaggare1', details: { metod: 'saml' } },
    ]);
  });

  it('takes an assertion encrypted to the SP’s certificate (the Swedish eID framework’s way)', async () => {
    const { requestId, requestCookie } = await startLogin();
    const encrypted = await encryptAssertion(
      idp.buildResponse(good(requestId)),
      config.sp.certificate ?? '',
    );
    expect(Buffer.from(encrypted, 'base64').toString('utf8')).not.toContain('handlaggare1');
    const answer = await postAcs(encrypted, requestCookie);
    expect(await me(cookieValue(answer, 'evb_session') ?? '')).toMatchObject({
      username: 'handlaggare1',
    });
  });

  it('refuses an encrypted assertion that is not signed inside', async () => {
    const { requestId, requestCookie } = await startLogin();
    const encrypted = await encryptAssertion(
      idp.buildResponse(good(requestId, { signedBy: 'nobody' })),
      config.sp.certificate ?? '',
    );
    const answer = await postAcs(encrypted, requestCookie);
    expect(answer.headers.get('location')).toBe('/?fel=misslyckades');
    expect((await signInAudits()).at(-1)?.details).toEqual({ metod: 'saml', orsak: 'signatur' });
  });

  it('links by the attribute only: the NameID naming another user changes nothing', async () => {
    const { requestId, requestCookie } = await startLogin();
    const answer = await postAcs(
      idp.buildResponse(good(requestId, { nameId: 'admin', attributes: { [UID]: 'matchare' } })),
      requestCookie,
    );
    expect(await me(cookieValue(answer, 'evb_session') ?? '')).toMatchObject({
      username: 'matchare',
    });
  });
});

describe('refusals: no session, the sign-in screen says why, the refusal is audited', () => {
  async function refused(
    flaw: Partial<ResponseOptions>,
    expected: { fel: string; orsak: string },
    options: { cookie?: boolean } = {},
  ) {
    const { requestId, requestCookie } = await startLogin();
    const answer = await postAcs(
      idp.buildResponse(good(requestId, flaw)),
      options.cookie === false ? null : requestCookie,
    );
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`/?fel=${expected.fel}`);
    expect(cookieValue(answer, 'evb_session')).toBeNull();
    const audits = await signInAudits();
    expect(audits.at(-1)).toMatchObject({
      action: 'inloggning_misslyckad',
      details: { metod: 'saml', orsak: expected.orsak },
    });
    expect(audits.filter((a) => a.action === 'inloggning')).toEqual([]);
  }

  it('an unsigned assertion', async () => {
    await refused({ signedBy: 'nobody' }, { fel: 'misslyckades', orsak: 'signatur' });
  });

  it('an assertion signed by another key than the IdP’s', async () => {
    await refused({ signedBy: 'other' }, { fel: 'misslyckades', orsak: 'signatur' });
  });

  it('an assertion for another service provider (audience)', async () => {
    await refused(
      { audience: 'https://annan.kommun.se/saml' },
      { fel: 'misslyckades', orsak: 'ogiltig' },
    );
  });

  it('an assertion for another ACS (recipient)', async () => {
    await refused(
      { recipient: 'https://annan.kommun.se/acs' },
      { fel: 'misslyckades', orsak: 'ogiltig' },
    );
  });

  it('a Response addressed elsewhere (Destination)', async () => {
    await refused(
      { destination: 'https://annan.kommun.se/acs' },
      { fel: 'misslyckades', orsak: 'ogiltig' },
    );
  });

  it('an expired assertion (NotOnOrAfter passed, beyond the minute of clock skew)', async () => {
    const past = new Date(Date.now() - 2 * 60_000);
    await refused(
      { notBefore: new Date(Date.now() - 10 * 60_000), notOnOrAfter: past },
      { fel: 'misslyckades', orsak: 'ogiltig' },
    );
  });

  it('an assertion not yet valid (NotBefore ahead, beyond the clock skew)', async () => {
    await refused(
      { notBefore: new Date(Date.now() + 5 * 60_000) },
      { fel: 'misslyckades', orsak: 'ogiltig' },
    );
  });

  it('a sign-in without the two-factor level demanded (AuthnContextClassRef)', async () => {
    await refused({ authnContext: PASSWORD_CONTEXT }, { fel: 'niva', orsak: 'nivå' });
  });

  it('an identity no evb user has', async () => {
    await refused(
      { attributes: { [UID]: 'okand.person' } },
      { fel: 'ingen-anvandare', orsak: 'okänd' },
    );
  });

  it('a deactivated user', async () => {
    await database.db
      .updateTable('appUser')
      .set({ active: false })
      .where('id', '=', 'handlaggare1')
      .execute();
    await refused({}, { fel: 'ingen-anvandare', orsak: 'inaktiverad' });
  });

  it('a Response without the attribute that links the user', async () => {
    await refused({ attributes: {} }, { fel: 'identitet-saknas', orsak: 'identitet-saknas' });
  });

  it('a Response brought by a browser that did not ask for it (no request cookie)', async () => {
    await refused({}, { fel: 'misslyckades', orsak: 'tillstånd' }, { cookie: false });
  });

  it('a Response to a request evb never sent (IdP-initiated or forged InResponseTo)', async () => {
    const { requestCookie } = await startLogin();
    const answer = await postAcs(idp.buildResponse(good('_never-sent')), requestCookie);
    expect(answer.headers.get('location')).toBe('/?fel=misslyckades');
    expect((await signInAudits()).at(-1)?.details).toEqual({ metod: 'saml', orsak: 'tillstånd' });
  });

  it('the same Response posted twice signs in once', async () => {
    const { requestId, requestCookie } = await startLogin();
    const samlResponse = idp.buildResponse(good(requestId));
    const first = await postAcs(samlResponse, requestCookie);
    expect(cookieValue(first, 'evb_session')).toBeTruthy();
    const second = await postAcs(samlResponse, requestCookie);
    expect(second.headers.get('location')).toBe('/?fel=misslyckades');
    expect(cookieValue(second, 'evb_session')).toBeNull();
  });

  it('an assertion id accepted once, even inside a fresh Response to a new request', async () => {
    const assertionId = `_replayed${Date.now()}`;
    const one = await startLogin();
    const first = await postAcs(
      idp.buildResponse(good(one.requestId, { assertionId })),
      one.requestCookie,
    );
    expect(cookieValue(first, 'evb_session')).toBeTruthy();
    const two = await startLogin();
    const second = await postAcs(
      idp.buildResponse(good(two.requestId, { assertionId })),
      two.requestCookie,
    );
    expect(second.headers.get('location')).toBe('/?fel=misslyckades');
    expect(cookieValue(second, 'evb_session')).toBeNull();
    const stored = await database.db
      .selectFrom('samlAssertion')
      .select('expiresAt')
      .where('id', '=', assertionId)
      .executeTakeFirstOrThrow();
    // Kept past the assertion's end (5 minutes) and the clock skew, not forever.
    expect(stored.expiresAt.getTime()).toBeGreaterThan(Date.now() + 5 * 60_000);
    expect(stored.expiresAt.getTime()).toBeLessThan(Date.now() + 7 * 60_000);
  });

  it('a body over the limit is not read: 413', async () => {
    const { requestCookie } = await startLogin();
    const answer = await postAcs('', requestCookie, `SAMLResponse=${'A'.repeat(300 * 1024)}`);
    expect(answer.status).toBe(413);
    expect(cookieValue(answer, 'evb_session')).toBeNull();
    expect((await signInAudits()).at(-1)).toMatchObject({
      action: 'inloggning_misslyckad',
      details: { metod: 'saml', orsak: 'ogiltig' },
    });
  });
});

describe('metadata and single logout', () => {
  it('serves the SP’s metadata for the federation', async () => {
    const response = await app().request(`${ORIGIN}/api/auth/saml/metadata`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const doc = new DOMParser().parseFromString(await response.text(), 'text/xml');
    const md = 'urn:oasis:names:tc:SAML:2.0:metadata';
    expect(doc.documentElement?.getAttribute('entityID')).toBe(SP_ENTITY_ID);
    const descriptor = doc.getElementsByTagNameNS(md, 'SPSSODescriptor')[0];
    expect(descriptor?.getAttribute('WantAssertionsSigned')).toBe('true');
    expect(descriptor?.getAttribute('AuthnRequestsSigned')).toBe('true');
    const acs = doc.getElementsByTagNameNS(md, 'AssertionConsumerService')[0];
    expect(acs?.getAttribute('Location')).toBe(ACS);
    expect(acs?.getAttribute('Binding')).toBe('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    const cert = doc
      .getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0]
      ?.textContent?.replace(/\s/g, '');
    expect(config.sp.certificate?.replace(/-----[^-]+-----|\s/g, '')).toBe(cert);
    // The IdP encrypts assertions to the same certificate.
    const uses = Array.from(doc.getElementsByTagNameNS(md, 'KeyDescriptor')).map((k) =>
      k.getAttribute('use'),
    );
    expect(uses.sort()).toEqual(['encryption', 'signing']);
  });

  it('signing out ends the evb session and the IdP’s (SLO), then comes back to evb', async () => {
    const { requestId, requestCookie } = await startLogin();
    const signedIn = await postAcs(idp.buildResponse(good(requestId)), requestCookie);
    const session = cookieValue(signedIn, 'evb_session') ?? '';

    const out = await app().request(`${ORIGIN}/api/auth/saml/logout`, {
      headers: { cookie: `evb_session=${session}` },
    });
    expect(out.status).toBe(302);
    const toIdp = out.headers.get('location') ?? '';
    expect(toIdp.startsWith(`${idp.origin}/slo?`)).toBe(true);
    expect(new URL(toIdp).searchParams.get('Signature')).toBeTruthy();
    expect(await me(session)).toBeNull();

    // The IdP ends its session for that NameID and answers evb's SLO address.
    const atIdp = await fetch(toIdp, { redirect: 'manual' });
    expect(idp.logoutRequests.at(-1)?.nameId).toBe('idp-handlaggare1');
    const back = atIdp.headers.get('location') ?? '';
    expect(back.startsWith(`${ORIGIN}/api/auth/saml/slo?SAMLResponse=`)).toBe(true);
    const done = await app().request(back);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/');
  });

  it('tells the PWA that SAML sign-in is on', async () => {
    const response = await app().request(`${ORIGIN}/api/trpc/auth.status`);
    const status = (await response.json()) as {
      result: { data: { signInMethods: { saml: boolean } } };
    };
    expect(status.result.data.signInMethods.saml).toBe(true);
  });

  it('the PWA’s sign-out (auth.logout) ends the session, then a one-time ticket ends the IdP’s', async () => {
    const { requestId, requestCookie } = await startLogin();
    const signedIn = await postAcs(idp.buildResponse(good(requestId)), requestCookie);
    const session = cookieValue(signedIn, 'evb_session') ?? '';
    const logout = await app().request(`${ORIGIN}/api/trpc/auth.logout`, {
      method: 'POST',
      headers: {
        cookie: `evb_session=${session}`,
        origin: ORIGIN,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    const { providerLogout } = (
      (await logout.json()) as { result: { data: { providerLogout: string | null } } }
    ).result.data;
    expect(providerLogout).toMatch(/^\/api\/auth\/saml\/logout\?ticket=[A-Za-z0-9_-]{32}$/);
    expect(await me(session)).toBeNull();

    const toIdp = await app().request(`${ORIGIN}${providerLogout}`);
    const location = toIdp.headers.get('location') ?? '';
    expect(location.startsWith(`${idp.origin}/slo?`)).toBe(true);
    expect(new URL(location).searchParams.get('Signature')).toBeTruthy();
    // Used once.
    const again = await app().request(`${ORIGIN}${providerLogout}`);
    expect(again.headers.get('location')).toBe('/');
  });

  it('a password session’s sign-out goes to no IdP', async () => {
    const { FIXTURE_PASSWORD } = await import('../../testing/fixture');
    const login = await app().request(`${ORIGIN}/api/trpc/auth.login`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'handlaggare1', password: FIXTURE_PASSWORD }),
    });
    const session = cookieValue(login, 'evb_session') ?? '';
    expect(session).toBeTruthy();
    const logout = await app().request(`${ORIGIN}/api/trpc/auth.logout`, {
      method: 'POST',
      headers: {
        cookie: `evb_session=${session}`,
        origin: ORIGIN,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(
      ((await logout.json()) as { result: { data: { providerLogout: string | null } } }).result.data
        .providerLogout,
    ).toBeNull();
  });

  it('the IdP’s signed LogoutRequest ends that NameID’s sessions, not others’, and is answered', async () => {
    const one = await startLogin();
    const mine = cookieValue(
      await postAcs(idp.buildResponse(good(one.requestId)), one.requestCookie),
      'evb_session',
    );
    const two = await startLogin();
    const other = cookieValue(
      await postAcs(
        idp.buildResponse(
          good(two.requestId, { nameId: 'idp-matchare', attributes: { [UID]: 'matchare' } }),
        ),
        two.requestCookie,
      ),
      'evb_session',
    );
    const answer = await app().request(
      idp.logoutRequestUrl(`${ORIGIN}/api/auth/saml/slo`, 'idp-handlaggare1'),
    );
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(`${idp.origin}/slo`);
    expect(back.searchParams.get('SAMLResponse')).toBeTruthy();
    expect(await me(mine ?? '')).toBeNull();
    expect(await me(other ?? '')).toMatchObject({ username: 'matchare' });
  });

  it('an unsigned LogoutRequest, or one signed by another key, ends nobody’s session', async () => {
    const { requestId, requestCookie } = await startLogin();
    const signedIn = await postAcs(idp.buildResponse(good(requestId)), requestCookie);
    const session = cookieValue(signedIn, 'evb_session') ?? '';
    const unsigned = idp.logoutRequestUrl(`${ORIGIN}/api/auth/saml/slo`, 'idp-handlaggare1', false);
    expect((await app().request(unsigned)).headers.get('location')).toBe('/');
    // A signature over another query: the NameID swapped after signing.
    const signed = new URL(idp.logoutRequestUrl(`${ORIGIN}/api/auth/saml/slo`, 'idp-nobody'));
    const swapped = new URL(unsigned);
    swapped.searchParams.set('Signature', signed.searchParams.get('Signature') ?? '');
    expect((await app().request(swapped.toString())).headers.get('location')).toBe('/');
    expect(await me(session)).toMatchObject({ username: 'handlaggare1' });
  });
});
