import { TRPCError } from '@trpc/server';
import { findPasswordHash } from '../../data/users';
import type { AuthUser, Context } from '../../trpc/context';
import { verifyPassword } from '../password';
import { tooMany } from '../sign-in-gates';
import {
  admitAttempt,
  failureDelayMs,
  minutesLeft,
  recordSuccess,
  secondsLeft,
  swedishMinutes,
} from '../throttle';

/**
 * A signed-in user proves their password before removing a factor or making new recovery codes:
 * wrong passwords are slowed and locked like failed sign-ins, in the same count (as
 * changeOwnPassword), counted before the check.
 */
export async function proveOwnPassword(
  ctx: Context & { user: AuthUser },
  password: string,
  action: string,
): Promise<void> {
  const now = ctx.clock.now();
  const admission = await admitAttempt(ctx.db, ctx.user.username, now);
  if (!admission.checked) {
    throw tooMany(
      ctx,
      secondsLeft(admission.lockedUntil, now),
      `För många felaktiga lösenord. Försök igen om ${swedishMinutes(minutesLeft(admission.lockedUntil, now))}.`,
    );
  }
  const hash = await findPasswordHash(ctx.db, ctx.user.id);
  if (!hash || !(await verifyPassword(hash, password))) {
    await ctx.audit({
      action,
      subjectType: 'anvandare',
      subjectId: ctx.user.id,
      details: { spärrad: admission.lockedUntil !== null },
    });
    const delayMs = failureDelayMs(admission.attempt);
    if (delayMs > 0) await ctx.clock.sleep(delayMs);
    if (admission.lockedUntil) {
      throw tooMany(
        ctx,
        secondsLeft(admission.lockedUntil, now),
        `För många felaktiga lösenord. Kontot är spärrat i ${swedishMinutes(minutesLeft(admission.lockedUntil, now))}.`,
      );
    }
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Fel lösenord.' });
  }
  await recordSuccess(ctx.db, ctx.user.username);
}
