import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { countOidcLogins } from '../data/oidc-logins';
import { createOidcRoutes } from '../http/oidc';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { useTestDatabase } from '../testing/harness';
import {
  LOA2,
  LOA3,
  rsaJwk,
  startTestIdp,
  type TestIdp,
  tamperingFetch,
} from '../testing/oidc-idp';
import { systemClock } from '../trpc/context';
import { DEFAULT_AUTH_CONFIG } from './config';
import type { SIGN_IN_REFUSALS } from './external-identity';
import { OidcClient } from './oidc';
import { OIDC_CALLBACK_PATH, type OidcSettings, parseOidcEnv } from './oidc-config';
import { DEFAULT_SESSION_POLICY } from './sessions';

/*
 * OpenID Connect sign-in against a real provider (oidc-provider on loopback), at the HTTP level:
 * the browser's redirects are followed by hand, with the provider's cookies and evb's kept apart.
 */

const database = useTestDatabase();
const ORIGIN = 'http://evb.test';
const REDIRECT_URI = `${ORIGIN}${OIDC_CALLBACK_PATH}`;

let idp: TestIdp;
const tamper: Parameters<typeof tamperingFetch>[0] = { current: null };

beforeAll(async () => {
  idp = await startTestIdp({
    redirectUri: REDIRECT_URI,
    postLogoutRedirectUri: `${ORIGIN}/`,
    accounts: {
      anna: { claims: { email: 'Anna.Andersson@Kommun.se' }, acr: LOA3 },
      bertil: { claims: { email: 'handlaggare2' } },
      cecilia: { claims: { email: 'utforarea' }, acr: LOA2 },
      okand: { claims: { email: 'okand.person@kommun.se' }, acr: LOA3 },
      utan: { claims: {}, acr: LOA3 },
    },
  });
});
afterAll(() => idp?.close());

beforeEach(async () => {
  tamper.current = null;
  await database.db
    .updateTable('appUser')
    .set({ externalId: 'anna.andersson@kommun.se' })
    .where('id', '=', 'handlaggare1')
    .execute();
});

function settings(overrides: Record<string, string> = {}): OidcSettings {
  const parsed = parseOidcEnv(
    {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_USER_CLAIM: 'email',
      OIDC_ACR_VALUES: LOA3,
      OIDC_SCOPES: 'openid email',
      ...overrides,
    },
    ORIGIN,
  );
  return { ...parsed!, fetch: tamperingFetch(tamper, () => idp) };
}

function appWith(oidc: OidcSettings | null = settings(), localPasswords = true) {
  return createApp({
    database,
    pwaRoot: '/nonexistent',
    auth: { ...DEFAULT_AUTH_CONFIG, publicOrigin: ORIGIN, oidc, localPasswords },
  });
}

type App = ReturnType<typeof appWith>;

/** GET /api/auth/oidc/login: the provider's URL and evb's cookie for this sign-in. */
async function startSignIn(app: App) {
  const response = await app.request('/api/auth/oidc/login', { headers: { host: 'evb.test' } });
  expect(response.status).toBe(303);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^evb_oidc=[a-z2-7]+$/);
  expect(response.headers.get('set-cookie')).toMatch(/HttpOnly; Secure; SameSite=Lax; Max-Age=600/);
  return { providerUrl: response.headers.get('location')!, cookie };
}

/**
 * The browser at the provider: follows its redirects with its own cookies, signs in as `login` on
 * its page (or cancels when null), and returns the URL it sends the browser back to evb with.
 */
async function atProvider(providerUrl: string, login: string | null): Promise<URL> {
  const jar = new Map<string, string>();
  let url = providerUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!, value.join('='));
    }
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT_URI)) return next;
      url = next.href;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await response.text();
    const uid = /\/interaction\/([\w-]+)\/login/.exec(html)?.[1];
    if (!uid)
      throw new Error(`no sign-in page at the provider: ${response.status} ${html.slice(0, 300)}`);
    url = new URL(`/interaction/${uid}/${login === null ? 'abort' : 'login'}`, url).href;
    method = 'POST';
    body = login === null ? '' : `login=${encodeURIComponent(login)}`;
  }
  throw new Error('too many redirects at the provider');
}

async function callback(app: App, url: URL, cookie: string | null) {
  return app.request(`${url.pathname}${url.search}`, {
    headers: { host: 'evb.test', ...(cookie ? { cookie } : {}) },
  });
}

/** The whole way: evb → provider (sign in as `login`) → evb's callback. */
async function signInAs(app: App, login: string | null) {
  const { providerUrl, cookie } = await startSignIn(app);
  const back = await atProvider(providerUrl, login);
  return { response: await callback(app, back, cookie), back, cookie };
}

async function me(app: App, response: Response) {
  const session = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('evb_session=') && !c.includes('Max-Age=0'));
  if (!session) return null;
  const answer = await app.request('/api/trpc/auth.me', {
    headers: { cookie: session.split(';')[0]!, host: 'evb.test' },
  });
  return ((await answer.json()) as { result: { data: { id: string } | null } }).result.data;
}

async function refusals() {
  const rows = await database.db
    .selectFrom('auditLog')
    .select(['action', 'subjectId', 'details'])
    .where('action', '=', 'inloggning_misslyckad')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ subjectId: row.subjectId, ...(row.details as object) }));
}

async function sessionCount() {
  return (await database.db.selectFrom('session').select('id').execute()).length;
}

function refusedWith(response: Response, code: keyof typeof SIGN_IN_REFUSALS) {
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe(`/?fel=${code}`);
  expect(
    response.headers
      .getSetCookie()
      .some((c) => c.startsWith('evb_session=') && !c.includes('Max-Age=0')),
  ).toBe(false);
}

describe('OpenID Connect sign-in', () => {
  it('asks the provider with PKCE (S256), state, nonce and the acr demanded', async () => {
    const { providerUrl } = await startSignIn(appWith());
    const url = new URL(providerUrl);
    expect(url.origin).toBe(idp.issuer);
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('evb');
    expect(p.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(p.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(p.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(p.get('acr_values')).toBe(LOA3);
    expect(p.get('scope')).toBe('openid email');
    // The verifier and nonce stay on the server.
    const [row] = await database.db.selectFrom('oidcLogin').selectAll().execute();
    expect(providerUrl).not.toContain(row!.codeVerifier);
  });

  it('signs in the user the claim names, through the whole round trip, once', async () => {
    const app = appWith();
    const { response, back, cookie } = await signInAs(app, 'anna');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const cookies = response.headers.getSetCookie();
    expect(cookies).toContainEqual(
      expect.stringMatching(/^evb_oidc=; Path=\/api\/auth\/oidc;.*Max-Age=0/),
    );
    expect(cookies).toContainEqual(
      expect.stringMatching(
        /^evb_session=[a-z2-7]+\.[a-z2-7]+; Path=\/; HttpOnly; Secure; SameSite=Lax/,
      ),
    );
    expect((await me(app, response))?.id).toBe('handlaggare1');
    const session = await database.db.selectFrom('session').select('signInMethod').execute();
    expect(session).toEqual([{ signInMethod: 'oidc' }]);
    const audit = await database.db
      .selectFrom('auditLog')
      .select(['userId', 'action', 'details'])
      .execute();
    expect(audit).toEqual([
      { userId: 'handlaggare1', action: 'inloggning', details: { metod: 'oidc' } },
    ]);
    expect(await database.db.selectFrom('oidcLogin').select('id').execute()).toEqual([]);

    // The same answer again (a replay, or the back button) is refused.
    refusedWith(await callback(app, back, cookie), 'misslyckades');
    expect(await sessionCount()).toBe(1);
    expect(await refusals()).toEqual([{ subjectId: null, metod: 'oidc', orsak: 'tillstånd' }]);
  });

  it('refuses the answer in a browser that did not ask for it (no cookie)', async () => {
    const app = appWith();
    const { providerUrl } = await startSignIn(app);
    const back = await atProvider(providerUrl, 'anna');
    refusedWith(await callback(app, back, null), 'misslyckades');
    refusedWith(
      await callback(app, back, 'evb_oidc=abcdefghijklmnopqrstuvwxyz234567'),
      'misslyckades',
    );
    expect(await sessionCount()).toBe(0);
  });

  it('refuses an answer whose state is not the one sent', async () => {
    const app = appWith();
    const { providerUrl, cookie } = await startSignIn(app);
    const back = await atProvider(providerUrl, 'anna');
    back.searchParams.set('state', 'en-annan-state-som-ingen-skickade');
    refusedWith(await callback(app, back, cookie), 'misslyckades');
    expect(await sessionCount()).toBe(0);
    expect(await refusals()).toEqual([{ subjectId: null, metod: 'oidc', orsak: 'tillstånd' }]);
  });

  const forged = [
    {
      what: 'an ID token signed with another key under the provider’s key id',
      change: () => ({ key: rsaJwk(idp.signingKey.kid) }),
      reason: 'signatur',
    },
    {
      what: 'an ID token for another client (audience)',
      change: () => ({ claims: (c: Record<string, unknown>) => ({ ...c, aud: 'annat-system' }) }),
      reason: 'anspråk',
    },
    {
      what: 'an ID token from another issuer',
      change: () => ({
        claims: (c: Record<string, unknown>) => ({ ...c, iss: 'https://idp.elak.example' }),
      }),
      reason: 'anspråk',
    },
    {
      what: 'an expired ID token',
      change: () => ({
        claims: (c: Record<string, unknown>) => {
          const now = Math.floor(Date.now() / 1000);
          return { ...c, iat: now - 7200, exp: now - 3600 };
        },
      }),
      reason: 'tid',
    },
    {
      what: 'an ID token with another sign-in’s nonce',
      change: () => ({
        claims: (c: Record<string, unknown>) => ({ ...c, nonce: 'en-annan-nonce' }),
      }),
      reason: 'anspråk',
    },
  ] as const;
  for (const { what, change, reason } of forged) {
    it(`refuses ${what}`, async () => {
      tamper.current = change();
      const { response } = await signInAs(appWith(), 'anna');
      refusedWith(response, 'misslyckades');
      expect(await sessionCount()).toBe(0);
      expect(await refusals()).toEqual([{ subjectId: null, metod: 'oidc', orsak: reason }]);
    });
  }

  it('refuses a sign-in without the level of assurance demanded: none, or a lower one', async () => {
    const app = appWith();
    refusedWith((await signInAs(app, 'bertil')).response, 'niva');
    refusedWith((await signInAs(app, 'cecilia')).response, 'niva');
    expect(await sessionCount()).toBe(0);
    expect(await refusals()).toEqual([
      { subjectId: null, metod: 'oidc', orsak: 'nivå' },
      { subjectId: null, metod: 'oidc', orsak: 'nivå' },
    ]);
    // Without OIDC_ACR_VALUES any level is taken.
    const lenient = appWith(settings({ OIDC_ACR_VALUES: '' }));
    expect((await me(lenient, (await signInAs(lenient, 'bertil')).response))?.id).toBe(
      'handlaggare2',
    );
  });

  it('refuses an unknown identity and creates nothing', async () => {
    const users = await database.db.selectFrom('appUser').select('id').execute();
    refusedWith((await signInAs(appWith(), 'okand')).response, 'ingen-anvandare');
    expect(await database.db.selectFrom('appUser').select('id').execute()).toEqual(users);
    expect(await sessionCount()).toBe(0);
    const rows = await refusals();
    expect(rows).toEqual([{ subjectId: null, metod: 'oidc', orsak: 'okänd' }]);
  });

  it('refuses a deactivated user', async () => {
    await database.db
      .updateTable('appUser')
      .set({ active: false })
      .where('id', '=', 'handlaggare1')
      .execute();
    refusedWith((await signInAs(appWith(), 'anna')).response, 'ingen-anvandare');
    expect(await sessionCount()).toBe(0);
    expect(await refusals()).toEqual([
      { subjectId: 'handlaggare1', metod: 'oidc', orsak: 'inaktiverad' },
    ]);
  });

  it('refuses an ID token without the configured claim', async () => {
    refusedWith((await signInAs(appWith(), 'utan')).response, 'identitet-saknas');
    expect(await sessionCount()).toBe(0);
  });

  it('says the sign-in was cancelled when the user cancels at the provider', async () => {
    refusedWith((await signInAs(appWith(), null)).response, 'avbruten');
    expect(await refusals()).toEqual([{ subjectId: null, metod: 'oidc', orsak: 'avbruten' }]);
  });

  it('says the provider cannot be reached when discovery fails, and logs no secret', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => void errors.push(String(line));
    try {
      const app = appWith({ ...settings(), issuer: 'http://127.0.0.1:9/' });
      const response = await app.request('/api/auth/oidc/login', { headers: { host: 'evb.test' } });
      refusedWith(response, 'otillganglig');
    } finally {
      console.error = original;
    }
    expect(errors.some((line) => line.includes('OIDC discovery failed'))).toBe(true);
    expect(errors.join('\n')).not.toContain(idp.clientSecret);
    expect(await refusals()).toEqual([{ subjectId: null, metod: 'oidc', orsak: 'otillgänglig' }]);
  });

  it('stops starting sign-ins when too many are under way, and says so in Swedish', async () => {
    const routes = createOidcRoutes({
      database,
      clock: systemClock,
      sessionPolicy: DEFAULT_SESSION_POLICY,
      oidc: new OidcClient(settings()),
      maxPending: 2,
    });
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (line: string) => void warnings.push(String(line));
    try {
      expect((await routes.request('/login')).headers.get('location')).toMatch(/^http:/);
      expect((await routes.request('/login')).headers.get('location')).toMatch(/^http:/);
      refusedWith(await routes.request('/login'), 'otillganglig');
    } finally {
      console.warn = original;
    }
    expect(await countOidcLogins(database.db)).toBe(2);
    expect(warnings.some((line) => line.includes('OIDC sign-ins under way at the limit'))).toBe(
      true,
    );
  });

  it('has no OIDC routes when OIDC is off', async () => {
    const response = await appWith(null).request('/api/auth/oidc/login', {
      headers: { host: 'evb.test' },
    });
    expect(response.status).toBe(404);
  });
});

async function trpcPost(app: App, path: string, body: unknown, cookie?: string) {
  return app.request(`/api/trpc/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      host: 'evb.test',
      origin: ORIGIN,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
  });
}

describe('signing out of an OIDC session', () => {
  it('ends the evb session and then sends the browser to end the provider’s session', async () => {
    const app = appWith();
    const { response } = await signInAs(app, 'anna');
    const session = response.headers
      .getSetCookie()
      .find((c) => c.startsWith('evb_session=') && !c.includes('Max-Age=0'))!
      .split(';')[0]!;
    const logout = await trpcPost(app, 'auth.logout', {}, session);
    const answer = (await logout.json()) as { result: { data: { providerLogout: string | null } } };
    expect(answer.result.data.providerLogout).toBe('/api/auth/oidc/logout');
    expect(await sessionCount()).toBe(0);

    const toProvider = await app.request('/api/auth/oidc/logout', {
      headers: { host: 'evb.test' },
    });
    expect(toProvider.status).toBe(303);
    const end = new URL(toProvider.headers.get('location')!);
    expect(`${end.origin}${end.pathname}`).toBe(`${idp.issuer}/session/end`);
    expect(end.searchParams.get('client_id')).toBe('evb');
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${ORIGIN}/`);
    // The provider takes it: its sign-out form, not an error.
    const page = await fetch(end);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`${idp.issuer}/session/end/confirm`);
  });

  it('does not send a password session to the provider', async () => {
    const app = appWith();
    const login = await trpcPost(app, 'auth.login', {
      username: 'handlaggare2',
      password: FIXTURE_PASSWORD,
    });
    const session = login.headers.get('set-cookie')!.split(';')[0]!;
    const logout = await trpcPost(app, 'auth.logout', {}, session);
    const answer = (await logout.json()) as { result: { data: { providerLogout: string | null } } };
    expect(answer.result.data.providerLogout).toBeNull();
  });
});

describe('LOCAL_PASSWORDS=off', () => {
  it('tells the PWA which ways of signing in are open', async () => {
    const status = async (app: App) =>
      (
        (await (
          await app.request('/api/trpc/auth.status', { headers: { host: 'evb.test' } })
        ).json()) as {
          result: { data: { signInMethods: unknown } };
        }
      ).result.data.signInMethods;
    expect(await status(appWith(settings(), false))).toEqual({
      oidc: true,
      saml: false,
      localPasswords: false,
    });
    expect(await status(appWith(null))).toEqual({ oidc: false, saml: false, localPasswords: true });
  });

  it('refuses a password sign-in, after the right password, to all but break-glass users', async () => {
    await database.db
      .updateTable('appUser')
      .set({ breakGlass: true })
      .where('id', '=', 'admin')
      .execute();
    const app = appWith(settings(), false);
    const refused = await trpcPost(app, 'auth.login', {
      username: 'handlaggare2',
      password: FIXTURE_PASSWORD,
    });
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: { message: string } };
    expect(body.error.message).toBe(
      'Inloggning med lösenord är avstängd i kommunen. Logga in med e-legitimation i stället.',
    );
    expect(refused.headers.get('set-cookie') ?? '').not.toMatch(/evb_session=[a-z2-7]/);
    // A wrong password is told only that it is wrong.
    const wrong = await trpcPost(app, 'auth.login', { username: 'handlaggare2', password: 'fel' });
    expect(wrong.status).toBe(401);
    expect(await refusals()).toContainEqual({
      subjectId: 'handlaggare2',
      username: 'handlaggare2',
      metod: 'password',
      orsak: 'lösenord-avstängt',
    });

    const breakGlass = await trpcPost(app, 'auth.login', {
      username: 'admin',
      password: FIXTURE_PASSWORD,
    });
    expect(breakGlass.status).toBe(200);
    expect(breakGlass.headers.get('set-cookie')).toMatch(/^evb_session=[a-z2-7]+\./);
    expect(await sessionCount()).toBe(1);
  });
});
