import { type Context, Hono } from 'hono';
import {
  auditExternalRefusal,
  signInRefusedPath,
  signInWithExternalIdentity,
} from '../auth/external-identity';
import { takeLogoutTicket } from '../auth/saml/logout';
import { TooManyPendingRequests } from '../auth/saml/request-store';
import type { ServiceProvider } from '../auth/saml/service-provider';
import { REQUEST_VALID_MS } from '../auth/saml/service-provider';
import {
  checkSessionToken,
  clearedSessionCookie,
  invalidateSession,
  readSessionCookie,
  type SessionPolicy,
} from '../auth/sessions';
import { insertAudit } from '../data/audit';
import { deleteSessionsOfSamlSubject, findSamlSession, insertSamlSession } from '../data/saml';
import type { Database } from '../db/database';
import { logWarning, requestIdOf } from '../logging';
import type { ServerClock } from '../trpc/context';
import {
  forgive,
  type IdpLimitEnv,
  type IdpLimits,
  limitFailures,
  limitStarts,
} from './idp-limits';
import { readBodyWithin } from './request-limits';

/*
 * SAML 2.0 sign-in at /api/auth/saml (auth/saml/service-provider.ts checks the messages).
 *
 * - GET  login     → the IdP, with an AuthnRequest (HTTP-Redirect binding).
 * - POST acs       ← the IdP's Response (HTTP-POST binding): a session, or the sign-in screen
 *                    with `?fel=`.
 * - GET  metadata  the SP's metadata, to register in the federation.
 * - GET  logout    ends the IdP's session by single logout when it can: with `?ticket=` after
 *                    auth.logout ended the evb session (auth/saml/logout.ts), or without, ending
 *                    the evb session of the cookie first.
 * - GET/POST slo   the IdP's LogoutRequest (signed; ends the sessions it names) or LogoutResponse.
 *
 * The ACS and SLO POSTs come from the IdP's page, another site, by design: these routes are not
 * under tRPC's Origin check (a Response cannot carry our Origin), and none of them acts on the
 * session cookie's say-so. What makes a POSTed Response count is its signature and the checks
 * after it, and that it answers a request this same browser started: `evb_saml` holds that
 * request's id. That cookie is SameSite=None because it must come along on the IdP's cross-site
 * POST (a Lax cookie would not); it names a pending request, not a person, and grants nothing
 * alone. Bodies are read up to MAX_SAML_BODY_BYTES only: a larger one is answered 413 unread.
 *
 * Login, ACS and SLO are limited per client (http/idp-limits.ts): starts generously, the IdP's
 * messages by their refusals only.
 */

export const SAML_REQUEST_COOKIE = 'evb_saml';
/** A Response with its certificate and a few attributes is 10–20 kB; far less than this. */
export const MAX_SAML_BODY_BYTES = 256 * 1024;

function requestCookie(requestId: string): string {
  return `${SAML_REQUEST_COOKIE}=${requestId}; Path=/api/auth/saml; HttpOnly; Secure; SameSite=None; Max-Age=${REQUEST_VALID_MS / 1000}`;
}

function clearedRequestCookie(): string {
  return `${SAML_REQUEST_COOKIE}=; Path=/api/auth/saml; HttpOnly; Secure; SameSite=None; Max-Age=0`;
}

function readRequestCookie(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SAML_REQUEST_COOKIE) {
      const id = value.join('=');
      return /^[A-Za-z0-9_-]{1,128}$/.test(id) ? id : null;
    }
  }
  return null;
}

/** A form body within the limit; 'too-large' past it (the rest unread); null when not a form. */
async function readForm(request: Request): Promise<Record<string, string> | 'too-large' | null> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_SAML_BODY_BYTES) return 'too-large';
  const text = await readBodyWithin(request, MAX_SAML_BODY_BYTES);
  if (text === null) return 'too-large';
  const form: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (key === 'SAMLResponse' || key === 'SAMLRequest' || key === 'RelayState') form[key] = value;
  }
  return form;
}

/** 413 for a body past MAX_SAML_BODY_BYTES; the connection is not used again (the rest is unread). */
function tooLarge(c: Context): Response {
  c.header('Connection', 'close');
  return c.text(
    `Meddelandet från inloggningstjänsten är för stort (högst ${MAX_SAML_BODY_BYTES / 1024} kB).`,
    413,
  );
}

export function createSamlRoutes({
  database,
  clock,
  sessionPolicy,
  serviceProvider,
  limits,
}: {
  database: Database;
  clock: ServerClock;
  sessionPolicy: SessionPolicy;
  serviceProvider: ServiceProvider;
  /** The per-client limits (http/idp-limits.ts); none when not given. */
  limits?: IdpLimits;
}): Hono<IdpLimitEnv> {
  const { db } = database;
  const routes = new Hono<IdpLimitEnv>();

  routes.get('/metadata', (c) => {
    c.header('Content-Type', 'application/samlmetadata+xml; charset=utf-8');
    return c.body(serviceProvider.metadata());
  });

  routes.get('/login', limitStarts(limits), async (c) => {
    let redirect: { url: string; requestId: string };
    try {
      redirect = await serviceProvider.loginRedirect();
    } catch (error) {
      if (!(error instanceof TooManyPendingRequests)) throw error;
      logWarning('SAML sign-ins under way at the limit', { requestId: requestIdOf(c.req.raw) });
      return c.redirect(signInRefusedPath('otillganglig'), 302);
    }
    const { url, requestId } = redirect;
    c.header('Set-Cookie', requestCookie(requestId));
    return c.redirect(url, 302);
  });

  routes.post('/acs', limitFailures(limits), async (c) => {
    c.header('Set-Cookie', clearedRequestCookie(), { append: true });
    const form = await readForm(c.req.raw);
    if (form === 'too-large') {
      await auditExternalRefusal(db, 'saml', 'ogiltig');
      return tooLarge(c);
    }
    const samlResponse = form?.SAMLResponse;
    if (!samlResponse) {
      await auditExternalRefusal(db, 'saml', 'ogiltig');
      return c.redirect(signInRefusedPath('misslyckades'), 303);
    }
    const check = await serviceProvider.checkResponse(
      samlResponse,
      readRequestCookie(c.req.header('cookie')),
    );
    if (!check.ok) {
      await auditExternalRefusal(db, 'saml', check.reason);
      return c.redirect(signInRefusedPath(check.code), 303);
    }
    const signIn = await signInWithExternalIdentity(db, {
      method: 'saml',
      identity: check.identity,
      now: clock.now(),
      policy: sessionPolicy,
    });
    if (!signIn.ok) return c.redirect(signInRefusedPath(signIn.code), 303);
    forgive(c);
    const sessionId = readSessionCookie(signIn.cookie)?.split('.')[0];
    if (sessionId && check.subject.nameId && check.subject.nameId.length <= 512) {
      await insertSamlSession(db, {
        sessionId,
        nameId: check.subject.nameId,
        nameIdFormat: check.subject.nameIdFormat?.slice(0, 256) ?? null,
        sessionIndex: check.subject.sessionIndex?.slice(0, 256) ?? null,
      });
    }
    c.header('Set-Cookie', signIn.cookie, { append: true });
    return c.redirect('/', 303);
  });

  routes.get('/logout', async (c) => {
    // After auth.logout: the evb session has ended; the ticket names the IdP's subject.
    const ticket = c.req.query('ticket');
    if (ticket !== undefined) {
      const subject = await takeLogoutTicket(db, ticket, clock.now());
      if (subject && serviceProvider.canLogOutAtIdp) {
        return c.redirect(await serviceProvider.logoutRedirect(subject), 302);
      }
      return c.redirect('/', 302);
    }
    // Opened directly, with the session: ends it here and at the IdP.
    const token = readSessionCookie(c.req.header('cookie'));
    const check = token
      ? await checkSessionToken(db, token, clock.now(), sessionPolicy, false)
      : null;
    c.header('Set-Cookie', clearedSessionCookie());
    if (!check?.session) return c.redirect('/', 302);
    const { sessionId, user } = check.session;
    const samlSession = await findSamlSession(db, sessionId);
    await invalidateSession(db, sessionId);
    await insertAudit(db, {
      userId: user.id,
      role: null,
      action: 'utloggning',
      subjectType: 'anvandare',
      subjectId: user.id,
      details: { metod: 'saml' },
    });
    if (samlSession && serviceProvider.canLogOutAtIdp) {
      return c.redirect(await serviceProvider.logoutRedirect(samlSession), 302);
    }
    return c.redirect('/', 302);
  });

  const slo = async (
    c: Context<IdpLimitEnv>,
    message: Parameters<ServiceProvider['checkLogoutMessage']>[0],
  ): Promise<string> => {
    const result = await serviceProvider.checkLogoutMessage(message);
    // Only a message that failed its checks counts against the client.
    if (result.kind !== 'refused') forgive(c);
    if (result.kind !== 'request') return '/';
    const ended = await deleteSessionsOfSamlSubject(
      db,
      result.subject.nameId,
      result.subject.sessionIndex,
    );
    // Ids and counts only: the NameID may be an e-mail address or an HSA-id.
    await insertAudit(db, {
      userId: null,
      role: null,
      action: 'utloggning',
      details: { metod: 'saml', initierad: 'idp', sessioner: ended },
    });
    // Without the IdP's SLO address or our key there is nobody to answer signed.
    if (!serviceProvider.canLogOutAtIdp) return '/';
    return serviceProvider.logoutResponseRedirect(result.profile);
  };

  routes.get('/slo', limitFailures(limits), async (c) => {
    const url = new URL(c.req.url);
    const query: Record<string, string> = {};
    for (const key of ['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature']) {
      const value = url.searchParams.get(key);
      if (value !== null) query[key] = value;
    }
    if (url.search.length > MAX_SAML_BODY_BYTES || (!query.SAMLRequest && !query.SAMLResponse)) {
      return c.redirect('/', 302);
    }
    return c.redirect(await slo(c, { query, originalQuery: url.search.slice(1) }), 302);
  });

  routes.post('/slo', limitFailures(limits), async (c) => {
    const form = await readForm(c.req.raw);
    if (form === 'too-large') return tooLarge(c);
    if (!form || (!form.SAMLRequest && !form.SAMLResponse)) return c.redirect('/', 303);
    return c.redirect(await slo(c, { form }), 303);
  });

  return routes;
}
