import type { Context, MiddlewareHandler } from 'hono';
import {
  type ClientAddressOf,
  createSignInLimiter,
  type SignInLimiter,
} from '../auth/client-limit';
import { swedishMinutes } from '../auth/throttle';
import { remoteAddressOf } from './trpc';

/*
 * Per-client limits on the identity provider's endpoints (OIDC login and callback, SAML login,
 * ACS and SLO). Anyone may call them without being signed in, and each call does real work: a
 * pending row, a signature check, XML parsing. A hostile client gets 429 with Retry-After and
 * an own allowance only, so it never slows anyone else.
 *
 * A kommun's staff come through one NAT address, hundreds of them signing in at 08:00, so:
 * - Starts (GET …/login) are all counted, but generously: IDP_MAX_STARTS in
 *   IDP_START_WINDOW_SECONDS. The pending rows live ten minutes and are capped at 10 000 for
 *   everyone together; one client can fill a tenth of that at most, and a kommun of a thousand
 *   staff behind one address can still all sign in within the window.
 * - Answers (the OIDC callback, the SAML ACS and SLO) count only when refused: each takes a point
 *   before any work (parallel requests cannot slip past), and a sign-in that succeeded gives it
 *   back, as does a refusal that is not the client's doing (the provider unreachable: a kommun's
 *   whole staff would otherwise be shut out after the provider came back). IDP_MAX_FAILURES
 *   within IDP_FAILURE_WINDOW_SECONDS, then IDP_FAILURE_BLOCK_SECONDS of 429.
 *
 * The counts are in this process's memory, as the password sign-in's are (auth/client-limit.ts).
 * A request that did not come over TCP (a test's in-process call) has no address and no limit.
 */

export const IDP_MAX_STARTS = 1000;
export const IDP_START_WINDOW_SECONDS = 10 * 60;
export const IDP_MAX_FAILURES = 100;
export const IDP_FAILURE_WINDOW_SECONDS = 15 * 60;
export const IDP_FAILURE_BLOCK_SECONDS = 15 * 60;

/** The Hono environment of routes under these limits: whether this answer still counts. */
export type IdpLimitEnv = { Variables: { idpAnswerForgiven?: true } };

export type IdpLimits = {
  clientOf(c: Context): string | null;
  starts: SignInLimiter;
  failures: SignInLimiter;
};

export function createIdpLimits(
  clientAddressOf: ClientAddressOf,
  options: { maxStarts?: number; maxFailures?: number } = {},
): IdpLimits {
  return {
    clientOf: (c) => clientAddressOf(remoteAddressOf(c), c.req.header('x-forwarded-for')),
    starts: createSignInLimiter({
      maxFailures: options.maxStarts ?? IDP_MAX_STARTS,
      windowSeconds: IDP_START_WINDOW_SECONDS,
      // Refused until the window ends, no longer: starts are not failures.
      blockSeconds: 0,
    }),
    failures: createSignInLimiter({
      maxFailures: options.maxFailures ?? IDP_MAX_FAILURES,
      windowSeconds: IDP_FAILURE_WINDOW_SECONDS,
      blockSeconds: IDP_FAILURE_BLOCK_SECONDS,
    }),
  };
}

/** 429 for a browser: a short Swedish page, and when to come back. */
function tooMany(c: Context, retryAfterSeconds: number): Response {
  c.header('Retry-After', String(retryAfterSeconds));
  const wait = swedishMinutes(Math.max(1, Math.ceil(retryAfterSeconds / 60)));
  return c.html(
    `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>För många försök</title></head>` +
      `<body><h1>För många inloggningsförsök</h1><p>För många inloggningsförsök från den här anslutningen. Försök igen om ${wait}.</p>` +
      `<p><a href="/">Till evb</a></p></body></html>`,
    429,
  );
}

/** Every start of a sign-in takes one of the client's starts. */
export function limitStarts(limits: IdpLimits | undefined): MiddlewareHandler<IdpLimitEnv> {
  return async (c, next) => {
    const client = limits?.clientOf(c);
    if (!limits || !client) return next();
    const allowance = await limits.starts.take(client);
    if (!allowance.ok) return tooMany(c, allowance.retryAfterSeconds);
    return next();
  };
}

/**
 * An answer from the provider takes one of the client's failures before any work; the handler
 * calls `forgive(c)` when it signed someone in (or was refused for no fault of the client's), and
 * the point is given back.
 */
export function limitFailures(limits: IdpLimits | undefined): MiddlewareHandler<IdpLimitEnv> {
  return async (c, next) => {
    const client = limits?.clientOf(c);
    if (!limits || !client) return next();
    const allowance = await limits.failures.take(client);
    if (!allowance.ok) return tooMany(c, allowance.retryAfterSeconds);
    try {
      await next();
    } finally {
      if (c.get('idpAnswerForgiven')) await limits.failures.giveBack(client);
    }
  };
}

/** This answer does not count against the client (see limitFailures). */
export function forgive(c: Context<IdpLimitEnv>): void {
  c.set('idpAnswerForgiven', true);
}
