import { DEFAULT_SYNC_WINDOW_MONTHS, type IsoDate, todayInStockholm } from '@evb/domain';
import type { SignInLimiter } from '../auth/client-limit';
import type { SignInMethods } from '../auth/config';
import { readMfaCookie } from '../auth/mfa/pending-sign-in';
import {
  checkSessionToken,
  clearedSessionCookie,
  DEFAULT_SESSION_POLICY,
  readSessionCookie,
  type SessionEnded,
  type SessionPolicy,
} from '../auth/sessions';
import { type AuditEntry, insertAudit } from '../data/audit';
import { rolesOfUser } from '../data/users';
import type { Database, Db } from '../db/database';
import type { Role, SignInMethod } from '../db/schema';

export type RoleGrant = {
  id: string;
  role: Role;
  namndId: string | null;
  verksamhetsomrade: string | null;
  enhetId: string | null;
};

export type AuthUser = {
  id: string;
  username: string;
  displayName: string;
  roles: RoleGrant[];
};

/** What the server lets a test replace: the clock and the wait after a failed sign-in. */
export type ServerClock = {
  now(): Date;
  sleep(ms: number): Promise<void>;
};

export const systemClock: ServerClock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type Context = {
  db: Db;
  databaseKind: Database['kind'];
  user: AuthUser | null;
  sessionId: string | null;
  /**
   * Why the session the request's cookie named has ended (idle, absolute lifetime, revoked);
   * null when there was none, it is valid, or the token is unknown.
   */
  sessionEnded: SessionEnded | null;
  /** The idle time and absolute lifetime of sessions (SESSION_IDLE_MINUTES, SESSION_MAX_HOURS). */
  sessionPolicy: SessionPolicy;
  /** How the session began (password, OIDC, SAML); absent without a session. */
  signInMethod?: SignInMethod;
  /**
   * MFA is required and this password session's user has no factor: the session may only enrol
   * one (trpc/init.ts refuses the rest).
   */
  mfaEnrolmentRequired?: boolean;
  /** The evb_mfa cookie of a sign-in waiting for its second factor; absent when none. */
  mfaToken?: string | null;
  /** This server's origin as the browser names it (PUBLIC_ORIGIN, else the request's): WebAuthn's. */
  ownOrigin?: string | null;
  /** The client's address (after trusted proxies); null when unknown, as in a call in-process. */
  clientAddress: string | null;
  /** The per-client limit on failed sign-ins; null where none applies. */
  signInLimiter: SignInLimiter | null;
  clock: ServerClock;
  /** Today's date in Europe/Stockholm. */
  today(): IsoDate;
  /** How many months a device keeps a settled decision (SYNC_WINDOW_MONTHS). */
  syncWindowMonths: number;
  /** Which ways of signing in are open; password sign-in only when not given. */
  signInMethods?: SignInMethods;
  /** How many accesses a month's log review samples (LOG_REVIEW_SAMPLE_SIZE); default 50. */
  logReviewSampleSize?: number;
  /** Sets the session cookie in the response (the last value set wins). */
  setCookie(value: string): void;
  /** Sets a header of the response, such as Retry-After. */
  setHeader(name: string, value: string): void;
  /** Records who did what, in the caller's name. */
  audit(entry: Omit<AuditEntry, 'userId' | 'role'> & { role?: string | null }): Promise<void>;
};

export async function createContext(opts: {
  database: Database;
  req: Request;
  resHeaders: Headers;
  clock: ServerClock;
  /** The session rules; the defaults (30 minutes idle, 12 hours in all) when not given. */
  sessionPolicy?: SessionPolicy;
  clientAddress?: string | null;
  signInLimiter?: SignInLimiter | null;
  /** Whether the request counts as a use of its session (default true; auth.status alone not). */
  countsAsUse?: boolean;
  /** How many months a device keeps a settled decision; the domain's default when not given. */
  syncWindowMonths?: number;
  /** Which ways of signing in are open (auth.status, auth.login). */
  signInMethods?: SignInMethods;
  /** How many accesses a month's log review samples; the domain's default when not given. */
  logReviewSampleSize?: number;
  /** This server's origin as the browser names it, for WebAuthn; null when unknown. */
  ownOrigin?: string | null;
}): Promise<Context> {
  const { database, req, resHeaders, clock } = opts;
  const sessionPolicy = opts.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  const db = database.db;
  // One value per cookie (the session's, evb_mfa's): a later value of a cookie (a new session)
  // replaces an earlier one (the clearing of an ended session's cookie on the same request).
  const cookies = new Map<string, string>();
  const setCookie = (value: string) => {
    cookies.set(value.slice(0, value.indexOf('=')), value);
    resHeaders.delete('Set-Cookie');
    for (const cookie of cookies.values()) resHeaders.append('Set-Cookie', cookie);
  };
  let user: AuthUser | null = null;
  let sessionId: string | null = null;
  let signInMethod: SignInMethod | undefined;
  let mfaEnrolmentRequired = false;
  let sessionEnded: SessionEnded | null = null;
  const token = readSessionCookie(req.headers.get('cookie'));
  if (token) {
    const check = await checkSessionToken(
      db,
      token,
      clock.now(),
      sessionPolicy,
      opts.countsAsUse ?? true,
    );
    if (check.session) {
      sessionId = check.session.sessionId;
      signInMethod = check.session.signInMethod;
      mfaEnrolmentRequired = check.session.mfaEnrolmentRequired;
      user = { ...check.session.user, roles: await rolesOfUser(db, check.session.user.id) };
    } else {
      // Ended or unknown: the browser can forget the cookie.
      sessionEnded = check.ended;
      setCookie(clearedSessionCookie());
    }
  }
  return {
    db,
    databaseKind: database.kind,
    user,
    sessionId,
    sessionEnded,
    sessionPolicy,
    ...(signInMethod ? { signInMethod } : {}),
    mfaEnrolmentRequired,
    mfaToken: readMfaCookie(req.headers.get('cookie')),
    ownOrigin: opts.ownOrigin ?? null,
    clientAddress: opts.clientAddress ?? null,
    signInLimiter: opts.signInLimiter ?? null,
    clock,
    today: () => todayInStockholm(clock.now()),
    syncWindowMonths: opts.syncWindowMonths ?? DEFAULT_SYNC_WINDOW_MONTHS,
    ...(opts.signInMethods ? { signInMethods: opts.signInMethods } : {}),
    ...(opts.logReviewSampleSize ? { logReviewSampleSize: opts.logReviewSampleSize } : {}),
    setCookie,
    setHeader: (name, value) => resHeaders.set(name, value),
    audit: (entry) =>
      insertAudit(db, {
        ...entry,
        userId: user?.id ?? null,
        role: entry.role ?? user?.roles.map((r) => r.role).join(',') ?? null,
      }),
  };
}
