import { TRPCError } from '@trpc/server';
import type { Context } from '../trpc/context';
import { type Admission, admitAttempt, minutesLeft, secondsLeft, swedishMinutes } from './throttle';

/*
 * The two gates every answer of a sign-in passes before it is checked, the password and the
 * second factor alike: the client address's allowance (any usernames) and the username's count
 * (auth/throttle.ts). Each refuses with 429 and Retry-After.
 */

/** 429 with Retry-After: the browser and a proxy both learn when to try again. */
export function tooMany(ctx: Context, retryAfterSeconds: number, message: string): TRPCError {
  ctx.setHeader('Retry-After', String(retryAfterSeconds));
  return new TRPCError({ code: 'TOO_MANY_REQUESTS', message });
}

/** Takes one of the client address's attempts; 429 when it has failed too often. */
export async function takeClientAttempt(ctx: Context): Promise<void> {
  const { clientAddress, signInLimiter } = ctx;
  if (!clientAddress || !signInLimiter) return;
  const allowance = await signInLimiter.take(clientAddress);
  if (!allowance.ok) {
    throw tooMany(
      ctx,
      allowance.retryAfterSeconds,
      `För många misslyckade inloggningar från den här anslutningen. Försök igen om ${swedishMinutes(Math.ceil(allowance.retryAfterSeconds / 60))}.`,
    );
  }
}

/**
 * Counts an attempt for `username` before its answer is checked (so parallel guesses cannot pass
 * the lock); 429 when the username is locked.
 */
export async function admitUsername(
  ctx: Context,
  username: string,
  now: Date,
): Promise<Extract<Admission, { checked: true }>> {
  const admission = await admitAttempt(ctx.db, username, now);
  if (!admission.checked) {
    throw tooMany(
      ctx,
      secondsLeft(admission.lockedUntil, now),
      `För många misslyckade inloggningar. Försök igen om ${swedishMinutes(minutesLeft(admission.lockedUntil, now))}.`,
    );
  }
  return admission;
}

/** Gives the client address its attempt back: only failures count against it. */
export async function giveBackClientAttempt(ctx: Context): Promise<void> {
  const { clientAddress, signInLimiter } = ctx;
  if (clientAddress && signInLimiter) await signInLimiter.giveBack(clientAddress);
}
