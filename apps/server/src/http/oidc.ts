import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { Hono } from 'hono';
import {
  auditExternalRefusal,
  type SignInRefusalCode,
  signInRefusedPath,
  signInWithExternalIdentity,
} from '../auth/external-identity';
import { type OidcClient, OidcUnavailable } from '../auth/oidc';
import type { SessionPolicy } from '../auth/sessions';
import { insertOidcLogin, MAX_PENDING_OIDC_LOGINS, takeOidcLogin } from '../data/oidc-logins';
import type { Database } from '../db/database';
import { logError, logWarning, requestIdOf } from '../logging';
import type { ServerClock } from '../trpc/context';
import {
  forgive,
  type IdpLimitEnv,
  type IdpLimits,
  limitFailures,
  limitStarts,
} from './idp-limits';

/*
 * The browser's way through OpenID Connect, mounted at /api/auth/oidc:
 *
 * - GET /login: remembers a sign-in under way (state, nonce, PKCE verifier) and sends the
 *   browser to the provider. The row is keyed by the SHA-256 of a secret that only this browser
 *   holds, in an HttpOnly cookie scoped to /api/auth/oidc, so the provider's answer is accepted
 *   only in the browser that asked (no login CSRF), once, within ten minutes. A server-side row
 *   rather than an encrypted cookie: one use is a DELETE, and no cookie key has to be configured
 *   and rotated.
 * - GET /callback: the provider's answer. Checked (auth/oidc.ts), linked to a user
 *   (auth/external-identity.ts), and the browser sent to the app signed in, or to the sign-in
 *   screen with `?fel=<code>` (the PWA holds the texts; nothing of the provider's answer is shown).
 * - GET /logout: sends the browser to the provider's end_session_endpoint, when it has one, after
 *   evb's own sign-out (auth.logout); else home.
 *
 * Both of the first are limited per client (http/idp-limits.ts): starts generously, callbacks by
 * their refusals only.
 */

const COOKIE = 'evb_oidc';
const COOKIE_PATH = '/api/auth/oidc';

function pendingCookie(secret: string): string {
  return `${COOKIE}=${secret}; Path=${COOKIE_PATH}; HttpOnly; Secure; SameSite=Lax; Max-Age=600`;
}

function clearedPendingCookie(): string {
  return `${COOKIE}=; Path=${COOKIE_PATH}; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

function readPendingCookie(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) {
      const secret = value.join('=');
      return /^[a-z2-7]{1,64}$/.test(secret) ? secret : null;
    }
  }
  return null;
}

function pendingId(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

export type OidcRouteDeps = {
  database: Database;
  clock: ServerClock;
  sessionPolicy: SessionPolicy;
  oidc: OidcClient;
  /** How many sign-ins may be under way at once (tests lower it). */
  maxPending?: number;
  /** The per-client limits (http/idp-limits.ts); none when not given. */
  limits?: IdpLimits;
};

export function createOidcRoutes({
  database,
  clock,
  sessionPolicy,
  oidc,
  maxPending = MAX_PENDING_OIDC_LOGINS,
  limits,
}: OidcRouteDeps): Hono<IdpLimitEnv> {
  const routes = new Hono<IdpLimitEnv>();
  const db = database.db;

  routes.get('/login', limitStarts(limits), async (c) => {
    let begun: Awaited<ReturnType<OidcClient['begin']>>;
    try {
      begun = await oidc.begin();
    } catch (error) {
      if (!(error instanceof OidcUnavailable)) throw error;
      await auditExternalRefusal(db, 'oidc', 'otillgänglig');
      return c.redirect(signInRefusedPath('otillganglig'), 303);
    }
    const bytes = new Uint8Array(20);
    crypto.getRandomValues(bytes);
    const secret = encodeBase32LowerCaseNoPadding(bytes);
    const stored = await insertOidcLogin(
      db,
      { id: pendingId(secret), ...begun.pending, createdAt: clock.now() },
      maxPending,
    );
    if (!stored) {
      logWarning(
        'OIDC sign-ins under way at the limit',
        { requestId: requestIdOf(c.req.raw) },
        {
          limit: maxPending,
        },
      );
      return c.redirect(signInRefusedPath('otillganglig'), 303);
    }
    c.header('Set-Cookie', pendingCookie(secret));
    return c.redirect(begun.url.href, 303);
  });

  routes.get('/callback', limitFailures(limits), async (c) => {
    c.header('Set-Cookie', clearedPendingCookie());
    const refuse = async (code: SignInRefusalCode) => c.redirect(signInRefusedPath(code), 303);
    const search = new URL(c.req.url).search;
    if (search.length > 8192) {
      await auditExternalRefusal(db, 'oidc', 'ogiltig');
      return refuse('misslyckades');
    }
    const secret = readPendingCookie(c.req.header('cookie'));
    const pending = secret ? await takeOidcLogin(db, pendingId(secret), clock.now()) : undefined;
    if (!pending) {
      // No sign-in under way in this browser: expired, used already, or begun elsewhere.
      await auditExternalRefusal(db, 'oidc', 'tillstånd');
      return refuse('misslyckades');
    }
    let answer: Awaited<ReturnType<OidcClient['finish']>>;
    try {
      answer = await oidc.finish(search, pending);
    } catch (error) {
      if (!(error instanceof OidcUnavailable)) {
        logError('OIDC callback', error, {
          path: c.req.routePath,
          requestId: requestIdOf(c.req.raw),
        });
      }
      await auditExternalRefusal(db, 'oidc', 'otillgänglig');
      forgive(c);
      return refuse('otillganglig');
    }
    if (!answer.ok) {
      if (answer.code === 'otillganglig') forgive(c);
      await auditExternalRefusal(db, 'oidc', answer.reason);
      return refuse(answer.code);
    }
    const result = await signInWithExternalIdentity(db, {
      method: 'oidc',
      identity: answer.identity,
      now: clock.now(),
      policy: sessionPolicy,
    });
    if (!result.ok) return refuse(result.code);
    forgive(c);
    c.header('Set-Cookie', result.cookie, { append: true });
    return c.redirect('/', 303);
  });

  routes.get('/logout', async (c) => {
    const url = await oidc.endSessionUrl();
    return c.redirect(url?.href ?? '/', 303);
  });

  return routes;
}
