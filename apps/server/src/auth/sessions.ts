import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { deleteSession, extendSession, findSession, insertSession } from '../data/sessions';
import type { Db } from '../db/database';

/*
 * Sessions the way the Lucia project now teaches them (its v3 package is deprecated): a token
 * `id.secret` of random bytes goes to the browser in a cookie; the database keeps the id and the
 * SHA-256 of the secret. Sliding expiry: a session used in its second half is extended.
 */

export const SESSION_COOKIE = 'evb_session';
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY;

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
  expiresAt: Date;
  user: SessionUser;
  renewed: boolean;
};

export async function createSession(
  db: Db,
  userId: string,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const id = randomString();
  const secret = randomString();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await insertSession(db, {
    id,
    secretHash: encodeHexLowerCase(hashSecret(secret)),
    userId,
    expiresAt,
  });
  return { token: `${id}.${secret}`, expiresAt };
}

/** The session a token belongs to, or null if it is unknown, wrong, expired or its user removed. */
export async function validateSessionToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<ValidSession | null> {
  const [id, secret, ...rest] = token.split('.');
  if (!id || !secret || rest.length > 0) return null;
  const session = await findSession(db, id);
  if (!session) return null;
  const expected = Uint8Array.from(Buffer.from(session.secretHash, 'hex'));
  if (!constantTimeEqual(hashSecret(secret), expected)) return null;
  if (!session.active || session.expiresAt.getTime() <= now.getTime()) {
    await deleteSession(db, id);
    return null;
  }
  let expiresAt = session.expiresAt;
  const renewed = expiresAt.getTime() - now.getTime() < SESSION_LIFETIME_MS / 2;
  if (renewed) {
    expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await extendSession(db, id, expiresAt);
  }
  return {
    sessionId: id,
    expiresAt,
    renewed,
    user: { id: session.userId, username: session.username, displayName: session.displayName },
  };
}

export function invalidateSession(db: Db, sessionId: string): Promise<void> {
  return deleteSession(db, sessionId);
}

/** The Set-Cookie value: HttpOnly, Secure, SameSite=Lax, for the whole site. */
export function sessionCookie(token: string, expiresAt: Date): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Lax; Expires=${expiresAt.toUTCString()}`;
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
