import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { SignInMethods } from '../auth/config';
import {
  AuthenticationResponseSchema,
  authenticationOptions,
  challengeOf,
  relyingPartyOf,
  verifyAuthentication,
} from '../auth/mfa/passkeys';
import { matchRecoveryCode } from '../auth/mfa/recovery-codes';
import {
  answerSecondStep,
  askForSecondFactor,
  pendingSignIn,
  secondFactorMethods,
} from '../auth/mfa/second-step';
import { matchTotpStep } from '../auth/mfa/totp';
import { DUMMY_HASH, verifyPassword } from '../auth/password';
import { samlProviderLogout } from '../auth/saml/logout';
import {
  clearedSessionCookie,
  createSession,
  invalidateSession,
  type SessionEnded,
  sessionCookie,
} from '../auth/sessions';
import {
  admitUsername,
  giveBackClientAttempt,
  takeClientAttempt,
  tooMany,
} from '../auth/sign-in-gates';
import {
  failureDelayMs,
  swedishMinutes as minutes,
  minutesLeft,
  recordSuccess,
  secondsLeft,
} from '../auth/throttle';
import { insertAudit } from '../data/audit';
import {
  claimPendingChallenge,
  claimTotpStep,
  factorSummary,
  findPasskey,
  findTotp,
  listPasskeys,
  recordPasskeyUse,
  setPendingChallenge,
  unusedRecoveryCodeHashes,
  useRecoveryCode,
} from '../data/mfa';
import { sessionSignInMethod } from '../data/sessions';
import { findUserByUsername } from '../data/users';
import type { AuthUser } from '../trpc/context';
import { protectedProcedure, publicProcedure, router } from '../trpc/init';

export type { SessionEnded } from '../auth/sessions';

/** What `auth.status` answers. */
export type AuthStatus = {
  user: AuthUser | null;
  /** Why the session the request carried has ended; null when none did (or it was unknown). */
  sessionEnded: SessionEnded | null;
  /** SESSION_IDLE_MINUTES: a session unused this long ends. */
  idleTimeoutMinutes: number;
  /** SESSION_MAX_HOURS: a session ends this long after sign-in, however it is used. */
  sessionMaxHours: number;
  /** Which ways of signing in are open: the sign-in screen shows the kommun's way first. */
  signInMethods: SignInMethods;
  /** MFA is required and this session has no factor yet: it may only enrol one. */
  mfaEnrolmentRequired: boolean;
};

/** Without configuration: passwords only. */
const PASSWORDS_ONLY: SignInMethods = { oidc: false, saml: false, localPasswords: true };

/** Where the browser ends the provider's session after auth.logout, by how the session began. */
const PROVIDER_LOGOUT = { oidc: '/api/auth/oidc/logout' } as const;

const LoginInput = z.object({
  username: z.string().trim().min(1, { error: 'Ange användarnamn' }).max(100).toLowerCase(),
  password: z.string().min(1, { error: 'Ange lösenord' }).max(200),
});

const WRONG = 'Fel användarnamn eller lösenord.';
const WRONG_CODE = 'Fel kod.';
const WRONG_PASSKEY = 'Nyckeln kunde inte bekräftas.';

const TotpInput = z.object({
  code: z
    .string({ error: 'Ange koden' })
    .max(20, { error: 'Koden är för lång.' })
    .regex(/^[\d\s]*$/, { error: 'Koden består av sex siffror.' }),
});
const RecoveryInput = z.object({
  code: z
    .string({ error: 'Ange återställningskoden' })
    .max(30, { error: 'Återställningskoden är för lång.' }),
});
const PASSWORDS_OFF =
  'Inloggning med lösenord är avstängd i kommunen. Logga in med e-legitimation i stället.';

export const authRouter = router({
  /**
   * Signs in with username and password; sets the session cookie. Refused with 429 when the
   * client address has failed too often (any usernames), or the username is locked.
   */
  login: publicProcedure.input(LoginInput).mutation(async ({ ctx, input }) => {
    const now = ctx.clock.now();
    await takeClientAttempt(ctx);
    const admission = await admitUsername(ctx, input.username, now);
    const user = await findUserByUsername(ctx.db, input.username);
    // Verify against a dummy hash for unknown users so the answer takes as long either way.
    const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, input.password);
    if (!user?.active || !valid) {
      const { lockedUntil } = admission;
      await ctx.audit({
        action: 'inloggning_misslyckad',
        subjectType: 'anvandare',
        subjectId: user?.id ?? null,
        // What was typed is kept only when it is a user's name: people type a personnummer or
        // their password into the username field, and neither belongs in the log.
        details: { ...(user ? { username: user.username } : {}), spärrad: lockedUntil !== null },
      });
      const delayMs = failureDelayMs(admission.attempt);
      if (delayMs > 0) await ctx.clock.sleep(delayMs);
      if (lockedUntil) {
        throw tooMany(
          ctx,
          secondsLeft(lockedUntil, now),
          `För många misslyckade inloggningar. Kontot är spärrat i ${minutes(minutesLeft(lockedUntil, now))}.`,
        );
      }
      throw new TRPCError({ code: 'UNAUTHORIZED', message: WRONG });
    }
    // LOCAL_PASSWORDS=off: only break-glass users. Said only after a right password, so that it
    // tells a guesser nothing about who exists or who is break-glass.
    if (!(ctx.signInMethods ?? PASSWORDS_ONLY).localPasswords && !user.breakGlass) {
      await insertAudit(ctx.db, {
        userId: null,
        role: null,
        action: 'inloggning_misslyckad',
        subjectType: 'anvandare',
        subjectId: user.id,
        details: { username: user.username, metod: 'password', orsak: 'lösenord-avstängt' },
      });
      throw new TRPCError({ code: 'FORBIDDEN', message: PASSWORDS_OFF });
    }
    // Only failures count against the client address.
    await giveBackClientAttempt(ctx);
    // A user with a second factor proves it before any session begins. The password's count in
    // the throttle stays until then, so that the factor's guesses share it.
    const methods = await secondFactorMethods(ctx, user.id);
    if (methods.length > 0) return askForSecondFactor(ctx, user.id, methods);
    await recordSuccess(ctx.db, input.username);
    const session = await createSession(ctx.db, user.id, now, ctx.sessionPolicy);
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

  /** The second step with a code from the app for one-time codes; a code is accepted once. */
  verifyTotp: publicProcedure.input(TotpInput).mutation(({ ctx, input }) =>
    answerSecondStep(ctx, 'totp', WRONG_CODE, async (pending) => {
      const totp = await findTotp(ctx.db, pending.userId);
      if (!totp) return null;
      const step = matchTotpStep(totp.secret, input.code, ctx.clock.now(), totp.lastUsedStep);
      return step !== null && (await claimTotpStep(ctx.db, pending.userId, step)) ? {} : null;
    }),
  ),

  /** The options for the browser's navigator.credentials.get, for the pending user's passkeys. */
  passkeyOptions: publicProcedure.mutation(async ({ ctx }) => {
    const pending = await pendingSignIn(ctx);
    const rp = relyingPartyOf(ctx.ownOrigin);
    const passkeys = await listPasskeys(ctx.db, pending.userId);
    if (!rp || passkeys.length === 0) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'Det finns ingen nyckel att använda.' });
    }
    const options = await authenticationOptions(rp, passkeys);
    await setPendingChallenge(ctx.db, pending.id, options.challenge);
    return options;
  }),

  /** The second step with a passkey: the answer to the challenge passkeyOptions gave, once. */
  verifyPasskey: publicProcedure
    .input(z.object({ response: AuthenticationResponseSchema }))
    .mutation(({ ctx, input }) =>
      answerSecondStep(ctx, 'passkey', WRONG_PASSKEY, async (pending) => {
        const rp = relyingPartyOf(ctx.ownOrigin);
        const challenge = challengeOf(input.response);
        if (!rp || !challenge || !(await claimPendingChallenge(ctx.db, pending.id, challenge))) {
          return null;
        }
        const passkey = await findPasskey(ctx.db, pending.userId, input.response.id);
        if (!passkey) return null;
        const counter = await verifyAuthentication(rp, challenge, passkey, input.response);
        if (counter === null) return null;
        await recordPasskeyUse(ctx.db, passkey.id, counter, ctx.clock.now());
        return {};
      }),
    ),

  /** The second step with a recovery code, which is used up; says how many are left. */
  verifyRecoveryCode: publicProcedure.input(RecoveryInput).mutation(({ ctx, input }) =>
    answerSecondStep(ctx, 'recovery', WRONG_CODE, async (pending) => {
      const hashes = await unusedRecoveryCodeHashes(ctx.db, pending.userId);
      const hash = matchRecoveryCode(hashes, input.code);
      if (!hash || !(await useRecoveryCode(ctx.db, pending.userId, hash, ctx.clock.now()))) {
        return null;
      }
      const { recoveryCodesLeft } = await factorSummary(ctx.db, pending.userId);
      return { recoveryCodesLeft };
    }),
  ),

  /**
   * Ends this session and clears the cookie. A session that began at the kommun's identity
   * provider answers where the browser goes next to end the provider's session too
   * (`providerLogout`); null for a password session.
   */
  logout: protectedProcedure.mutation(async ({ ctx }) => {
    const method = ctx.sessionId ? await sessionSignInMethod(ctx.db, ctx.sessionId) : undefined;
    const methods = ctx.signInMethods ?? PASSWORDS_ONLY;
    // SAML's single logout needs the session's NameID, kept under a ticket before the session goes.
    const samlLogout =
      method === 'saml' && methods.saml && ctx.sessionId
        ? await samlProviderLogout(ctx.db, ctx.sessionId, ctx.clock.now())
        : null;
    if (ctx.sessionId) await invalidateSession(ctx.db, ctx.sessionId);
    ctx.setCookie(clearedSessionCookie());
    await ctx.audit({ action: 'utloggning', subjectType: 'anvandare', subjectId: ctx.user.id });
    const providerLogout: string | null =
      method === 'oidc' && methods.oidc ? PROVIDER_LOGOUT.oidc : samlLogout;
    return { ok: true as const, providerLogout };
  }),

  /** Who is signed in, with their roles; null when nobody is. */
  me: publicProcedure.query(({ ctx }) => ctx.user),

  /**
   * Who is signed in, and if nobody: whether the session the request carried ended, and why, so
   * the PWA can say "you were signed out after 30 minutes without activity". Also the idle time,
   * for the PWA to warn before it runs out.
   */
  status: publicProcedure.query(
    ({ ctx }): AuthStatus => ({
      user: ctx.user,
      sessionEnded: ctx.user ? null : ctx.sessionEnded,
      idleTimeoutMinutes: Math.round(ctx.sessionPolicy.idleMs / 60_000),
      sessionMaxHours: Math.round(ctx.sessionPolicy.maxMs / 3_600_000),
      signInMethods: ctx.signInMethods ?? PASSWORDS_ONLY,
      mfaEnrolmentRequired: Boolean(ctx.user && ctx.mfaEnrolmentRequired),
    }),
  ),
});
