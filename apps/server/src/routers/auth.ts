import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { DUMMY_HASH, verifyPassword } from '../auth/password';
import {
  clearedSessionCookie,
  createSession,
  invalidateSession,
  sessionCookie,
} from '../auth/sessions';
import { minutesLeft, recordFailure, recordSuccess, throttleState } from '../auth/throttle';
import { insertAudit } from '../data/audit';
import { findUserByUsername } from '../data/users';
import { protectedProcedure, publicProcedure, router } from '../trpc/init';

const LoginInput = z.object({
  username: z.string().trim().min(1, { error: 'Ange användarnamn' }).max(100).toLowerCase(),
  password: z.string().min(1, { error: 'Ange lösenord' }).max(200),
});

const WRONG = 'Fel användarnamn eller lösenord.';

export const authRouter = router({
  /** Signs in with username and password; sets the session cookie. */
  login: publicProcedure.input(LoginInput).mutation(async ({ ctx, input }) => {
    const now = ctx.clock.now();
    const throttle = await throttleState(ctx.db, input.username, now);
    if (throttle.lockedUntil) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `För många misslyckade inloggningar. Försök igen om ${minutesLeft(throttle.lockedUntil, now)} minuter.`,
      });
    }
    const user = await findUserByUsername(ctx.db, input.username);
    // Verify against a dummy hash for unknown users so the answer takes as long either way.
    const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, input.password);
    if (!user?.active || !valid) {
      const { delayMs, lockedUntil } = await recordFailure(ctx.db, input.username, throttle, now);
      await ctx.audit({
        action: 'inloggning_misslyckad',
        subjectType: 'anvandare',
        subjectId: user?.id ?? null,
        details: { username: input.username, spärrad: lockedUntil !== null },
      });
      if (delayMs > 0) await ctx.clock.sleep(delayMs);
      if (lockedUntil) {
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `För många misslyckade inloggningar. Kontot är spärrat i ${minutesLeft(lockedUntil, now)} minuter.`,
        });
      }
      throw new TRPCError({ code: 'UNAUTHORIZED', message: WRONG });
    }
    await recordSuccess(ctx.db, input.username);
    const session = await createSession(ctx.db, user.id, now);
    ctx.setCookie(sessionCookie(session.token, session.expiresAt));
    // ctx.audit would name the caller, and nobody was signed in when the request came.
    await insertAudit(ctx.db, {
      userId: user.id,
      role: null,
      action: 'inloggning',
      subjectType: 'anvandare',
      subjectId: user.id,
    });
    return { id: user.id, username: user.username, displayName: user.displayName };
  }),

  /** Ends this session and clears the cookie. */
  logout: protectedProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionId) await invalidateSession(ctx.db, ctx.sessionId);
    ctx.setCookie(clearedSessionCookie());
    await ctx.audit({ action: 'utloggning', subjectType: 'anvandare', subjectId: ctx.user.id });
    return { ok: true as const };
  }),

  /** Who is signed in, with their roles; null when nobody is. */
  me: publicProcedure.query(({ ctx }) => ctx.user),
});
