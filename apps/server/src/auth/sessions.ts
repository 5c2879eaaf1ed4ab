import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import {
  deleteEndedSessions,
  deleteSession,
  findSession,
  insertSession,
  touchSession,
} from '../data/sessions';
import type { Db } from '../db/database';
import type { SignInMethod } from '../db/schema';
import { isEnrolmentOnly } from './mfa/policy';

/*
 * Sessions the way the Lucia project now teaches them (its v3 package is deprecated): a token
 * `id.secret` of random bytes goes to the browser in a cookie; the database keeps the id and the
 * SHA-256 of the secret.
 *
 * A session ends (ASVS L2, V3.3) when it has been idle for the idle time (default 30 minutes),
 * when it reaches its absolute lifetime (default 12 hours) whatever its use, or when it is revoked
 * (the user deactivated, roles narrowed, password changed). An ended session's row is kept for a
 * day, so that a request still carrying its cookie is told why (`SessionEnded`) and the PWA can
 * say so; a forged or unknown token is told nothing.
 */

export const SESSION_COOKIE = 'evb_session';
const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/** Why a session the request carried has ended. */
export type SessionEnded = 'idle' | 'absolute' | 'revoked';

/** How long a session may be idle, and its absolute lifetime. */
export type SessionPolicy = { idleMs: number; maxMs: number };

export const DEFAULT_SESSION_IDLE_MINUTES = 30;
export const DEFAULT_SESSION_MAX_HOURS = 12;

export function sessionPolicy(idleMinutes: number, maxHours: number): SessionPolicy {
  return { idleMs: idleMinutes * MINUTE, maxMs: maxHours * HOUR };
}

export const DEFAULT_SESSION_POLICY = sessionPolicy(
  DEFAULT_SESSION_IDLE_MINUTES,
  DEFAULT_SESSION_MAX_HOURS,
);

/** A use is written at most this often (the idle rule may end a session up to this early). */
export const TOUCH_EVERY_MS = MINUTE;
/** How long an ended session is remembered, to tell its cookie why. */
export const ENDED_KEPT_MS = 24 * HOUR;

function randomString(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export type SessionUser = { id: string; username: string; displayName: string };
export type ValidSession = {
  sessionId: string;
  /** The absolute end. */
  expiresAt: Date;
  user: SessionUser;
  /** How the session began. */
  signInMethod: SignInMethod;
  /** MFA is required and this password session's user has no factor yet: enrolment only. */
  mfaEnrolmentRequired: boolean;
};

/**
 * Begins a session; `expiresAt` is its absolute end. Sessions that ended more than a day ago are
 * cleaned up on the way.
 */
export async function createSession(
  db: Db,
  userId: string,
  now = new Date(),
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  signInMethod: SignInMethod = 'password',
): Promise<{ token: string; expiresAt: Date }> {
  await deleteEndedSessions(db, now, { ...policy, keepMs: ENDED_KEPT_MS });
  const id = randomString();
  const secret = randomString();
  const expiresAt = new Date(now.getTime() + policy.maxMs);
  await insertSession(db, {
    id,
    secretHash: encodeHexLowerCase(hashSecret(secret)),
    userId,
    createdAt: now,
    expiresAt,
    signInMethod,
  });
  return { token: `${id}.${secret}`, expiresAt };
}

/** A token's session if it is valid; otherwise why it ended, or null for a token unknown. */
export type SessionCheck =
  | { session: ValidSession; ended: null }
  | { session: null; ended: SessionEnded | null };

const UNKNOWN: SessionCheck = { session: null, ended: null };

/**
 * Checks a token; a valid session's use is recorded unless `countsAsUse` is false (a request that
 * only asks whether the session still holds must not keep it alive).
 */
export async function checkSessionToken(
  db: Db,
  token: string,
  now = new Date(),
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  countsAsUse = true,
): Promise<SessionCheck> {
  const [id, secret, ...rest] = token.split('.');
  if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 64) return UNKNOWN;
  const session = await findSession(db, id);
  if (!session) return UNKNOWN;
  const expected = Uint8Array.from(Buffer.from(session.secretHash, 'hex'));
  if (!constantTimeEqual(hashSecret(secret), expected)) return UNKNOWN;

  // Of the reasons that hold now, the one that came first.
  const reasons: { ended: SessionEnded; at: number }[] = [];
  const idleEnd = session.lastUsedAt.getTime() + policy.idleMs;
  const absoluteEnd = session.createdAt.getTime() + policy.maxMs;
  if (idleEnd <= now.getTime()) reasons.push({ ended: 'idle', at: idleEnd });
  if (absoluteEnd <= now.getTime()) reasons.push({ ended: 'absolute', at: absoluteEnd });
  if (session.revokedAt) reasons.push({ ended: 'revoked', at: session.revokedAt.getTime() });
  // A user deactivated straight in the database, without the sessions being revoked.
  else if (!session.active) reasons.push({ ended: 'revoked', at: now.getTime() });
  const first = reasons.sort((a, b) => a.at - b.at)[0];
  if (first) return { session: null, ended: first.ended };

  // Most requests come within a minute of the last use written: no statement at all for them.
  if (countsAsUse && now.getTime() - session.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await touchSession(db, id, now, TOUCH_EVERY_MS);
  }
  return {
    session: {
      sessionId: id,
      expiresAt: new Date(absoluteEnd),
      user: { id: session.userId, username: session.username, displayName: session.displayName },
      signInMethod: session.signInMethod,
      mfaEnrolmentRequired: isEnrolmentOnly(session),
    },
    ended: null,
  };
}

/** The session a token belongs to, or null if it is unknown, wrong or ended. */
export async function validateSessionToken(
  db: Db,
  token: string,
  now = new Date(),
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<ValidSession | null> {
  return (await checkSessionToken(db, token, now, policy)).session;
}

export function invalidateSession(db: Db, sessionId: string): Promise<void> {
  return deleteSession(db, sessionId);
}

/**
 * The Set-Cookie value: HttpOnly, Secure, SameSite=Lax, for the whole site. The cookie outlives
 * the session's absolute end by the time an ended session is remembered, so that a request after
 * the end is told why.
 */
export function sessionCookie(token: string, expiresAt: Date): string {
  const cookieEnd = new Date(expiresAt.getTime() + ENDED_KEPT_MS);
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Lax; Expires=${cookieEnd.toUTCString()}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

export function readSessionCookie(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || null;
  }
  return null;
}
