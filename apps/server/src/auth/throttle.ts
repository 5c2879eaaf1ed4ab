import { clearThrottle, findThrottle, saveThrottle } from '../data/login-throttle';
import type { Db } from '../db/database';

/*
 * Repeated failed sign-ins for a username are first slowed, then locked for a while. Counted per
 * username whether it exists or not, so the answers tell nobody which usernames are real.
 */
export const FREE_FAILURES = 2;
export const LOCK_AFTER = 5;
export const LOCK_MS = 15 * 60 * 1000;
/** Failures older than this are forgotten. */
const FORGET_MS = 60 * 60 * 1000;

export type ThrottleState = { lockedUntil: Date | null; failures: number };

export async function throttleState(db: Db, username: string, now: Date): Promise<ThrottleState> {
  const row = await findThrottle(db, username);
  if (!row) return { lockedUntil: null, failures: 0 };
  if (row.lockedUntil && row.lockedUntil > now)
    return { lockedUntil: row.lockedUntil, failures: row.failures };
  const stale = now.getTime() - row.lastFailureAt.getTime() > FORGET_MS;
  // A lock that has run out starts the count again.
  return { lockedUntil: null, failures: stale || row.lockedUntil ? 0 : row.failures };
}

/** Records a failure; returns how long to hold the answer back, and the lock if one began. */
export async function recordFailure(
  db: Db,
  username: string,
  previous: ThrottleState,
  now: Date,
): Promise<{ delayMs: number; lockedUntil: Date | null }> {
  const failures = previous.failures + 1;
  const lockedUntil = failures >= LOCK_AFTER ? new Date(now.getTime() + LOCK_MS) : null;
  await saveThrottle(db, username, failures, now, lockedUntil);
  const delayMs =
    failures > FREE_FAILURES ? Math.min(1000 * 2 ** (failures - FREE_FAILURES - 1), 8000) : 0;
  return { delayMs, lockedUntil };
}

export function recordSuccess(db: Db, username: string): Promise<void> {
  return clearThrottle(db, username);
}

export function minutesLeft(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60000));
}
