import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { proveOwnPassword } from '../auth/mfa/own-password';
import {
  RegistrationResponseSchema,
  registrationOptions,
  relyingPartyOf,
  verifyRegistration,
} from '../auth/mfa/passkeys';
import { LAST_FACTOR_REQUIRED } from '../auth/mfa/policy';
import { newRecoveryCodes } from '../auth/mfa/recovery-codes';
import { matchTotpStep, newTotpSecret, totpUri } from '../auth/mfa/totp';
import { insertAudit } from '../data/audit';
import {
  deleteAllFactors,
  deletePasskey,
  deleteTotp,
  factorSummary,
  findEnrolment,
  findMfaPolicy,
  insertPasskey,
  listPasskeys,
  passkeyIdTaken,
  replaceRecoveryCodes,
  saveEnrolment,
  saveMfaPolicy,
  saveTotp,
  takeEnrolment,
} from '../data/mfa';
import { deleteUserSessions } from '../data/sessions';
import { findUserProfile } from '../data/users';
import type { Db } from '../db/database';
import type { AuthUser, Context } from '../trpc/context';
import { notFound, protectedProcedure, roleProcedure, router } from '../trpc/init';
import { UserIdSchema } from './users';

/*
 * MFA for local accounts (issue 14): a user enrols an app for one-time codes (TOTP) and/or
 * passkeys in Mitt konto, and gets ten recovery codes with the first factor; an administrator
 * requires MFA of every password sign-in and resets a user's factors. Only a session signed in
 * with a password concerns MFA: an OIDC or SAML sign-in has its assurance from the IdP.
 */

/** How long a TOTP key or passkey challenge being enrolled holds. */
const ENROLMENT_MS = 10 * 60 * 1000;

const PASSWORD_ONLY =
  'Tvåstegsverifiering gäller inloggning med lösenord. Du loggade in med e-legitimation.';
const WRONG_TOTP = 'Fel kod. Kontrollera klockan i telefonen och försök igen.';

const Password = z
  .string({ error: 'Ange ditt lösenord' })
  .min(1, { error: 'Ange ditt lösenord' })
  .max(200, { error: 'Fel lösenord.' });

const CodeInput = z.object({
  code: z
    .string({ error: 'Ange koden' })
    .max(20, { error: 'Koden är för lång.' })
    .regex(/^[\d\s]*$/, { error: 'Koden består av sex siffror.' }),
});

const PasskeyName = z
  .string({ error: 'Ge nyckeln ett namn' })
  .trim()
  .min(1, { error: 'Ge nyckeln ett namn' })
  .max(60, { error: 'Namnet får vara högst 60 tecken' });

const PasskeyId = z
  .string({ error: 'Välj en nyckel' })
  .min(1, { error: 'Välj en nyckel' })
  .max(1400, { error: 'Okänd nyckel' });

type SignedIn = Context & { user: AuthUser };

function requirePasswordSession(ctx: SignedIn): string {
  if (ctx.signInMethod !== 'password' || !ctx.sessionId) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: PASSWORD_ONLY });
  }
  return ctx.sessionId;
}

function relyingParty(ctx: Context) {
  const rp = relyingPartyOf(ctx.ownOrigin);
  if (!rp) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'Nycklar kan inte användas här: serverns adress är okänd.',
    });
  }
  return rp;
}

function hasFactor(factors: { totp: boolean; passkeys: number }): boolean {
  return factors.totp || factors.passkeys > 0;
}

/** Ten new recovery codes for the user, the old ones void; the codes, shown once. */
async function makeRecoveryCodes(db: Db, userId: string): Promise<string[]> {
  const { codes, hashes } = newRecoveryCodes();
  await replaceRecoveryCodes(db, userId, hashes);
  return codes;
}

function audit(ctx: SignedIn, action: string, details: Record<string, unknown>) {
  return ctx.audit({ action, subjectType: 'anvandare', subjectId: ctx.user.id, details });
}

/**
 * After a factor is added: recovery codes when it is the user's first (null otherwise), in the
 * same transaction as the factor.
 */
async function afterFirstFactor(trx: Db, userId: string, hadFactor: boolean) {
  return hadFactor ? null : makeRecoveryCodes(trx, userId);
}

/**
 * Removes a factor after the password is proved: refused when it is the last one and MFA is
 * required; the last one's going takes the recovery codes with it.
 */
async function removeFactor(
  ctx: SignedIn,
  password: string,
  faktor: 'totp' | 'passkey',
  remove: (trx: Db) => Promise<boolean>,
) {
  await proveOwnPassword(ctx, password, 'mfa_borttagning_misslyckad');
  await ctx.db.transaction().execute(async (trx) => {
    const before = await factorSummary(trx, ctx.user.id);
    const last = Number(before.totp) + before.passkeys <= 1;
    if (last && (await findMfaPolicy(trx)).required) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: LAST_FACTOR_REQUIRED });
    }
    if (!(await remove(trx))) throw notFound(faktor === 'totp' ? 'Appen' : 'Nyckeln');
    if (last) await replaceRecoveryCodes(trx, ctx.user.id, []);
    await insertAudit(trx, {
      userId: ctx.user.id,
      role: ctx.user.roles.map((r) => r.role).join(','),
      action: 'mfa_borttagen',
      subjectType: 'anvandare',
      subjectId: ctx.user.id,
      details: { faktor, sistaMetoden: last },
    });
  });
  return { ok: true as const };
}

const adminProcedure = roleProcedure('admin');

export const mfaRouter = router({
  /** What the signed-in user has enrolled, and whether MFA concerns this session. */
  status: protectedProcedure.query(async ({ ctx }) => {
    const [factors, passkeys, policy] = await Promise.all([
      factorSummary(ctx.db, ctx.user.id),
      listPasskeys(ctx.db, ctx.user.id),
      findMfaPolicy(ctx.db),
    ]);
    return {
      applies: ctx.signInMethod === 'password',
      totp: factors.totp,
      passkeys: passkeys.map((p) => ({
        id: p.id,
        name: p.name,
        createdAt: p.createdAt.toISOString(),
        lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
      })),
      recoveryCodesLeft: factors.recoveryCodesLeft,
      required: policy.required,
    };
  }),

  /** A new TOTP key for the app, kept for this session 10 minutes until a code confirms it. */
  startTotp: protectedProcedure.mutation(async ({ ctx }) => {
    const sessionId = requirePasswordSession(ctx);
    const secret = newTotpSecret();
    await saveEnrolment(ctx.db, sessionId, 'totp', secret, ctx.clock.now());
    return { uri: totpUri(ctx.user.username, secret), secret };
  }),

  /** A code from the app confirms the key; recovery codes come with the first factor. */
  confirmTotp: protectedProcedure.input(CodeInput).mutation(async ({ ctx, input }) => {
    const sessionId = requirePasswordSession(ctx);
    const now = ctx.clock.now();
    const enrolment = await findEnrolment(ctx.db, sessionId, 'totp');
    if (!enrolment || enrolment.createdAt.getTime() <= now.getTime() - ENROLMENT_MS) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: 'Tiden för att lägga till appen har gått ut. Börja om.',
      });
    }
    const step = matchTotpStep(enrolment.value, input.code, now);
    if (step === null) throw new TRPCError({ code: 'BAD_REQUEST', message: WRONG_TOTP });
    const recoveryCodes = await ctx.db.transaction().execute(async (trx) => {
      if (!(await takeEnrolment(trx, sessionId, 'totp'))) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: WRONG_TOTP });
      }
      const before = await factorSummary(trx, ctx.user.id);
      // The code that confirmed the key is used: it cannot sign in too.
      await saveTotp(trx, ctx.user.id, enrolment.value, step, now);
      return afterFirstFactor(trx, ctx.user.id, hasFactor(before));
    });
    await audit(ctx, 'mfa_tillagd', {
      faktor: 'totp',
      återställningskoder: recoveryCodes !== null,
    });
    return { recoveryCodes };
  }),

  /** The options for the browser's navigator.credentials.create; the challenge kept 10 minutes. */
  passkeyRegistrationOptions: protectedProcedure.mutation(async ({ ctx }) => {
    const sessionId = requirePasswordSession(ctx);
    const rp = relyingParty(ctx);
    const existing = await listPasskeys(ctx.db, ctx.user.id);
    const options = await registrationOptions(rp, ctx.user, existing);
    await saveEnrolment(ctx.db, sessionId, 'passkey', options.challenge, ctx.clock.now());
    return options;
  }),

  /** Keeps the passkey the browser made, once verified; recovery codes with the first factor. */
  registerPasskey: protectedProcedure
    .input(z.object({ name: PasskeyName, response: RegistrationResponseSchema }))
    .mutation(async ({ ctx, input }) => {
      const sessionId = requirePasswordSession(ctx);
      const rp = relyingParty(ctx);
      const now = ctx.clock.now();
      // Taken whatever the answer: a challenge is answered once.
      const enrolment = await takeEnrolment(ctx.db, sessionId, 'passkey');
      const refused = new TRPCError({
        code: 'BAD_REQUEST',
        message: 'Nyckeln kunde inte bekräftas. Försök igen.',
      });
      if (!enrolment || enrolment.createdAt.getTime() <= now.getTime() - ENROLMENT_MS) {
        throw refused;
      }
      const credential = await verifyRegistration(rp, enrolment.value, input.response);
      if (!credential) throw refused;
      if (await passkeyIdTaken(ctx.db, credential.id)) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'Nyckeln är redan tillagd.' });
      }
      const recoveryCodes = await ctx.db.transaction().execute(async (trx) => {
        const before = await factorSummary(trx, ctx.user.id);
        await insertPasskey(trx, {
          ...credential,
          userId: ctx.user.id,
          name: input.name,
          createdAt: now,
        });
        return afterFirstFactor(trx, ctx.user.id, hasFactor(before));
      });
      await audit(ctx, 'mfa_tillagd', {
        faktor: 'passkey',
        återställningskoder: recoveryCodes !== null,
      });
      return { recoveryCodes };
    }),

  removeTotp: protectedProcedure
    .input(z.object({ password: Password }))
    .mutation(({ ctx, input }) =>
      removeFactor(ctx, input.password, 'totp', async (trx) => {
        const had = (await factorSummary(trx, ctx.user.id)).totp;
        await deleteTotp(trx, ctx.user.id);
        return had;
      }),
    ),

  removePasskey: protectedProcedure
    .input(z.object({ id: PasskeyId, password: Password }))
    .mutation(({ ctx, input }) =>
      removeFactor(ctx, input.password, 'passkey', (trx) =>
        deletePasskey(trx, ctx.user.id, input.id),
      ),
    ),

  /** Ten new recovery codes after the password is proved; the old ones are void. */
  regenerateRecoveryCodes: protectedProcedure
    .input(z.object({ password: Password }))
    .mutation(async ({ ctx, input }) => {
      await proveOwnPassword(ctx, input.password, 'mfa_aterstallningskoder_misslyckat');
      if (!hasFactor(await factorSummary(ctx.db, ctx.user.id))) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'Lägg till en app eller en nyckel först: återställningskoderna hör till dem.',
        });
      }
      const recoveryCodes = await makeRecoveryCodes(ctx.db, ctx.user.id);
      await audit(ctx, 'mfa_aterstallningskoder', { antal: recoveryCodes.length });
      return { recoveryCodes };
    }),

  /** Whether MFA is required of every password sign-in. */
  policy: adminProcedure.query(async ({ ctx }) => {
    const policy = await findMfaPolicy(ctx.db);
    return { required: policy.required, changedAt: policy.changedAt?.toISOString() ?? null };
  }),

  setPolicy: adminProcedure
    .input(z.object({ required: z.boolean({ error: 'Ange om tvåstegsverifiering krävs' }) }))
    .mutation(async ({ ctx, input }) => {
      await saveMfaPolicy(ctx.db, input.required, ctx.user.id, ctx.clock.now());
      await ctx.audit({
        action: 'mfa_krav_andrat',
        subjectType: 'installning',
        subjectId: 'mfa',
        details: { krävs: input.required },
      });
      return { required: input.required };
    }),

  /**
   * Deletes a user's TOTP key, passkeys and recovery codes, and ends their sessions: for a user
   * who lost their phone and codes. Never one's own (another administrator does it).
   */
  resetUser: adminProcedure
    .input(z.object({ userId: UserIdSchema }))
    .mutation(async ({ ctx, input }) => {
      if (input.userId === ctx.user.id) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'Du kan inte återställa din egen tvåstegsverifiering.',
        });
      }
      await ctx.db.transaction().execute(async (trx) => {
        if (!(await findUserProfile(trx, input.userId))) throw notFound('Användaren');
        const before = await factorSummary(trx, input.userId);
        await deleteAllFactors(trx, input.userId);
        await deleteUserSessions(trx, input.userId, ctx.clock.now());
        await insertAudit(trx, {
          userId: ctx.user.id,
          role: 'admin',
          action: 'mfa_aterstalld',
          subjectType: 'anvandare',
          subjectId: input.userId,
          details: { totp: before.totp, nycklar: before.passkeys },
        });
      });
      return { ok: true as const };
    }),
});
