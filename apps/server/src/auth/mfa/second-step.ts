import { TRPCError } from '@trpc/server';
import { insertAudit } from '../../data/audit';
import { countPendingFailure, deletePendingSignIn, factorSummary } from '../../data/mfa';
import type { Context } from '../../trpc/context';
import { createSession, sessionCookie } from '../sessions';
import { admitUsername, giveBackClientAttempt, takeClientAttempt, tooMany } from '../sign-in-gates';
import {
  failureDelayMs,
  minutesLeft,
  recordSuccess,
  secondsLeft,
  swedishMinutes,
} from '../throttle';
import {
  beginPendingSignIn,
  checkPendingToken,
  clearedMfaCookie,
  PENDING_MAX_FAILURES,
  type PendingSignIn,
} from './pending-sign-in';

/*
 * The second step of a password sign-in. A wrong answer counts against the username in the same
 * throttle as a wrong password (slowed, then locked) and against the client address; five wrong
 * answers end the pending sign-in. The right one begins the session.
 */

export type Factor = 'totp' | 'passkey' | 'recovery';

export const EXPIRED = 'Inloggningen har gått ut. Logga in igen.';

/** Which second factors a user can answer with; empty when they have none (no second step). */
export async function secondFactorMethods(ctx: Context, userId: string): Promise<Factor[]> {
  const factors = await factorSummary(ctx.db, userId);
  const methods: Factor[] = [];
  if (factors.passkeys > 0) methods.push('passkey');
  if (factors.totp) methods.push('totp');
  if (methods.length > 0 && factors.recoveryCodesLeft > 0) methods.push('recovery');
  return methods;
}

/** After a right password of a user with a factor: the pending sign-in and its cookie. */
export async function askForSecondFactor(ctx: Context, userId: string, methods: Factor[]) {
  ctx.setCookie(await beginPendingSignIn(ctx.db, userId, ctx.clock.now()));
  return { secondFactor: { methods } };
}

/** The pending sign-in the request's evb_mfa cookie names; 401 when none holds. */
export async function pendingSignIn(ctx: Context): Promise<PendingSignIn> {
  const pending = await checkPendingToken(ctx.db, ctx.mfaToken, ctx.clock.now());
  if (!pending) {
    ctx.setCookie(clearedMfaCookie());
    throw new TRPCError({ code: 'UNAUTHORIZED', message: EXPIRED });
  }
  return pending;
}

/**
 * Checks one answer of the second step with `verify` under the throttles, and on a right one
 * begins the session. `verify` gets the pending sign-in and says whether the answer holds.
 */
export async function answerSecondStep<T extends object>(
  ctx: Context,
  factor: Factor,
  wrongMessage: string,
  verify: (pending: PendingSignIn) => Promise<T | null>,
) {
  const now = ctx.clock.now();
  await takeClientAttempt(ctx);
  const pending = await pendingSignIn(ctx);
  const admission = await admitUsername(ctx, pending.username, now);
  const verified = await verify(pending);
  if (!verified) {
    const failures = await countPendingFailure(ctx.db, pending.id);
    if (failures >= PENDING_MAX_FAILURES) {
      await deletePendingSignIn(ctx.db, pending.id);
      ctx.setCookie(clearedMfaCookie());
    }
    await insertAudit(ctx.db, {
      userId: null,
      role: null,
      action: 'inloggning_misslyckad',
      subjectType: 'anvandare',
      subjectId: pending.userId,
      details: { faktor: factor, spärrad: admission.lockedUntil !== null },
    });
    const delayMs = failureDelayMs(admission.attempt);
    if (delayMs > 0) await ctx.clock.sleep(delayMs);
    if (admission.lockedUntil) {
      throw tooMany(
        ctx,
        secondsLeft(admission.lockedUntil, now),
        `För många misslyckade inloggningar. Kontot är spärrat i ${swedishMinutes(minutesLeft(admission.lockedUntil, now))}.`,
      );
    }
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: failures >= PENDING_MAX_FAILURES ? EXPIRED : wrongMessage,
    });
  }
  // Another request with the same cookie may have finished first: one session per sign-in.
  if (!(await deletePendingSignIn(ctx.db, pending.id))) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: EXPIRED });
  }
  await recordSuccess(ctx.db, pending.username);
  await giveBackClientAttempt(ctx);
  const session = await createSession(ctx.db, pending.userId, now, ctx.sessionPolicy);
  ctx.setCookie(clearedMfaCookie());
  ctx.setCookie(sessionCookie(session.token, session.expiresAt));
  await insertAudit(ctx.db, {
    userId: pending.userId,
    role: null,
    action: 'inloggning',
    subjectType: 'anvandare',
    subjectId: pending.userId,
    details: { metod: 'password', faktor: factor },
  });
  return {
    id: pending.userId,
    username: pending.username,
    displayName: pending.displayName,
    ...verified,
  };
}
