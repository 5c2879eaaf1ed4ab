import { clearThrottle, countAttempt } from '../data/login-throttle';
import type { Db } from '../db/database';

/*
 * Repeated failed password checks for a username are first slowed, then locked for a while.
 * Counted per username whether it exists or not, so the answers tell nobody which usernames are
 * real; sign-in and a change of one's own password share the count (it is the same password).
 *
 * Each attempt is counted as a failure before its password is checked, in one statement
 * (data/login-throttle.ts), so however many attempts arrive at once, at most LOCK_AFTER of them
 * are checked before the lock; a successful check clears the count.
 */
export const FREE_FAILURES = 2;
export const LOCK_AFTER = 5;
export const LOCK_MS = 15 * 60 * 1000;
/** Failures older than this are forgotten. */
const FORGET_MS = 60 * 60 * 1000;

/** Whether this attempt's password may be checked; `attempt` is its place in the count. */
export type Admission =
  | { checked: true; attempt: number; lockedUntil: Date | null }
  | { checked: false; lockedUntil: Date };

/** Counts an attempt for `username`; the caller checks the password only if `checked`. */
export async function admitAttempt(db: Db, username: string, now: Date): Promise<Admission> {
  const counted = await countAttempt(db, username, now, {
    lockAfter: LOCK_AFTER,
    lockMs: LOCK_MS,
    forgetMs: FORGET_MS,
  });
  if (counted.failures > LOCK_AFTER) {
    return {
      checked: false,
      lockedUntil: counted.lockedUntil ?? new Date(now.getTime() + LOCK_MS),
    };
  }
  return { checked: true, attempt: counted.failures, lockedUntil: counted.lockedUntil };
}

/** How long to hold back the answer to a failed check. */
export function failureDelayMs(attempt: number): number {
  return attempt > FREE_FAILURES ? Math.min(1000 * 2 ** (attempt - FREE_FAILURES - 1), 8000) : 0;
}

export function recordSuccess(db: Db, username: string): Promise<void> {
  return clearThrottle(db, username);
}

export function minutesLeft(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60000));
}

/** "1 minut", "15 minuter". */
export function swedishMinutes(n: number): string {
  return n === 1 ? '1 minut' : `${n} minuter`;
}

export function secondsLeft(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}
