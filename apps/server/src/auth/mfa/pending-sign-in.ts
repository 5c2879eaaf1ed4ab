import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { findPendingSignIn, insertPendingSignIn } from '../../data/mfa';
import type { Db } from '../../db/database';

/*
 * A sign-in whose password was right, waiting for its second factor: the browser holds a token
 * `id.secret` in the HttpOnly cookie evb_mfa (Path=/api, 5 minutes), the database the id and the
 * SHA-256 of the secret, as with sessions. No session exists until the second factor is proved.
 */

export const MFA_COOKIE = 'evb_mfa';
export const PENDING_SIGN_IN_MS = 5 * 60 * 1000;
/** Wrong second-step answers that end the pending sign-in. */
export const PENDING_MAX_FAILURES = 5;

function randomString(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/** Begins a pending sign-in; returns the cookie to set. */
export async function beginPendingSignIn(db: Db, userId: string, now: Date): Promise<string> {
  const id = randomString();
  const secret = randomString();
  await insertPendingSignIn(
    db,
    {
      id,
      secretHash: hashSecret(secret),
      userId,
      expiresAt: new Date(now.getTime() + PENDING_SIGN_IN_MS),
    },
    now,
  );
  return `${MFA_COOKIE}=${id}.${secret}; Path=/api; HttpOnly; Secure; SameSite=Lax; Max-Age=${PENDING_SIGN_IN_MS / 1000}`;
}

export function clearedMfaCookie(): string {
  return `${MFA_COOKIE}=; Path=/api; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

export function readMfaCookie(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === MFA_COOKIE) return value.join('=') || null;
  }
  return null;
}

export type PendingSignIn = NonNullable<Awaited<ReturnType<typeof findPendingSignIn>>>;

/** The pending sign-in a token names, if it is right, unexpired and its user still active. */
export async function checkPendingToken(
  db: Db,
  token: string | null | undefined,
  now: Date,
): Promise<PendingSignIn | null> {
  if (!token) return null;
  const [id, secret, ...rest] = token.split('.');
  if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 64) return null;
  const row = await findPendingSignIn(db, id);
  if (!row) return null;
  const expected = new TextEncoder().encode(row.secretHash);
  if (!constantTimeEqual(new TextEncoder().encode(hashSecret(secret)), expected)) return null;
  if (row.expiresAt.getTime() <= now.getTime() || !row.active) return null;
  return row;
}
