import {
  DisplayNameSchema,
  EmailSchema,
  ExternalIdSchema,
  NewPasswordSchema,
  TelefonSchema,
  UsernameSchema,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { hashPassword, verifyPassword } from '../auth/password';
import { createSession, sessionCookie } from '../auth/sessions';
import {
  admitAttempt,
  failureDelayMs,
  minutesLeft,
  recordSuccess,
  secondsLeft,
  swedishMinutes,
} from '../auth/throttle';
import { insertAudit } from '../data/audit';
import { clearThrottle } from '../data/login-throttle';
import { factorsOfAllUsers } from '../data/mfa';
import { deleteUserSessions } from '../data/sessions';
import {
  countOtherActiveAdmins,
  externalIdClash,
  findPasswordHash,
  findUserProfile,
  type GrantRow,
  insertUser,
  listUsersWithRoles,
  lockAdministration,
  replaceUserRoles,
  rolesOfUser,
  setPasswordHash,
  setUserActive,
  setUserSignIn,
  updateUserProfile,
  usernameTaken,
} from '../data/users';
import type { Db } from '../db/database';
import {
  GrantListSchema,
  grantRowsFor,
  invalidInput,
  losesAccess,
  namnderOfGrants,
} from '../services/role-grants';
import type { AuthUser } from '../trpc/context';
import { notFound, protectedProcedure, roleProcedure, router } from '../trpc/init';

/*
 * User administration (admin only) and a signed-in user's own password. A user who is deactivated,
 * loses a grant or gets a new password has every session ended at once: the data is sensitive.
 */

// The account fields' rules live in the domain, where the forms read them too.
export {
  DisplayNameSchema,
  EmailSchema,
  TelefonSchema,
  UsernameSchema,
} from '@evb/domain';

export const UserIdSchema = z
  .string({ error: 'Välj användare' })
  .trim()
  .min(1, { error: 'Välj användare' })
  .max(100, { error: 'Okänd användare' });

const CreateInput = z.object({
  username: UsernameSchema,
  displayName: DisplayNameSchema,
  email: EmailSchema.optional(),
  telefon: TelefonSchema.optional(),
  password: NewPasswordSchema,
  roles: GrantListSchema,
});

const UpdateInput = z.object({
  id: UserIdSchema,
  displayName: DisplayNameSchema.optional(),
  email: EmailSchema.optional(),
  telefon: TelefonSchema.optional(),
  roles: GrantListSchema.optional(),
});

const SignInInput = z.object({
  id: UserIdSchema,
  externalId: ExternalIdSchema,
  breakGlass: z.boolean({ error: 'Ange om användaren får använda lösenord (nödåtkomst)' }),
});

const adminProcedure = roleProcedure('admin');

const EXTERNAL_ID_TAKEN = {
  externalId: 'Det externa id:t används redan av en annan användare',
  username: 'Det externa id:t är en annan användares användarnamn',
} as const;

const USERNAME_TAKEN = 'Användarnamnet används redan';

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23505';
}

/** One audit entry per nämnd the change concerns, so it shows in each nämnd's log. */
async function auditUserChange(
  db: Db,
  admin: AuthUser,
  action: string,
  userId: string,
  grants: readonly Omit<GrantRow, 'id'>[],
  details: Record<string, unknown>,
): Promise<void> {
  const namnder = await namnderOfGrants(db, grants);
  for (const namndId of namnder.length > 0 ? namnder : [null]) {
    await insertAudit(db, {
      userId: admin.id,
      role: 'admin',
      action,
      subjectType: 'anvandare',
      subjectId: userId,
      namndId,
      details,
    });
  }
}

async function profileWithRoles(db: Db, id: string) {
  const profile = await findUserProfile(db, id);
  if (!profile) throw notFound('Användaren');
  return { ...profile, roles: await rolesOfUser(db, id) };
}

export const usersRouter = router({
  /** Every user with their roles, active or not, and whether they have MFA factors. */
  list: adminProcedure.query(async ({ ctx }) => {
    const [users, factors] = await Promise.all([
      listUsersWithRoles(ctx.db),
      factorsOfAllUsers(ctx.db),
    ]);
    return users.map((u) => ({ ...u, mfa: factors.get(u.id) ?? { totp: false, passkeys: 0 } }));
  }),

  create: adminProcedure.input(CreateInput).mutation(async ({ ctx, input }) => {
    const passwordHash = await hashPassword(input.password);
    const id = crypto.randomUUID();
    try {
      await ctx.db.transaction().execute(async (trx) => {
        // A taken username and roles that do not fit are refused together.
        const taken = await usernameTaken(trx, input.username);
        const grants = await grantRowsFor(
          trx,
          input.roles,
          'roles',
          taken ? [{ path: ['username'], message: USERNAME_TAKEN }] : [],
        );
        if (taken) {
          throw new TRPCError({ code: 'CONFLICT', message: `username: ${USERNAME_TAKEN}` });
        }
        await insertUser(trx, {
          id,
          username: input.username,
          displayName: input.displayName,
          email: input.email ?? null,
          telefon: input.telefon ?? null,
          passwordHash,
        });
        await replaceUserRoles(trx, id, grants);
        await auditUserChange(trx, ctx.user, 'anvandare_skapad', id, grants, {
          username: input.username,
          roller: grants.map(({ id: _id, ...g }) => g),
        });
      });
    } catch (error) {
      // Two administrators creating the same username at once: the second one hears it is taken.
      if (isUniqueViolation(error)) {
        throw new TRPCError({ code: 'CONFLICT', message: `username: ${USERNAME_TAKEN}` });
      }
      throw error;
    }
    return profileWithRoles(ctx.db, id);
  }),

  /** Changes name, contact details and/or roles. Losing any access ends the user's sessions. */
  update: adminProcedure.input(UpdateInput).mutation(async ({ ctx, input }) => {
    await ctx.db.transaction().execute(async (trx) => {
      if (input.roles) await lockAdministration(trx);
      if (!(await findUserProfile(trx, input.id))) throw notFound('Användaren');
      const before = await rolesOfUser(trx, input.id);
      await updateUserProfile(trx, input.id, {
        displayName: input.displayName,
        email: input.email,
        telefon: input.telefon,
      });
      let after: GrantRow[] = before;
      if (input.roles) {
        after = await grantRowsFor(trx, input.roles);
        const wasAdmin = before.some((g) => g.role === 'admin');
        const staysAdmin = after.some((g) => g.role === 'admin');
        if (wasAdmin && !staysAdmin && (await countOtherActiveAdmins(trx, input.id)) === 0) {
          throw invalidInput([
            {
              path: ['roles'],
              message: 'Det måste finnas minst en aktiv administratör; utse en ny först',
            },
          ]);
        }
        await replaceUserRoles(trx, input.id, after);
        if (losesAccess(before, after)) await deleteUserSessions(trx, input.id);
      }
      await auditUserChange(trx, ctx.user, 'anvandare_andrad', input.id, [...before, ...after], {
        fält: Object.keys(input).filter((k) => k !== 'id'),
        ...(input.roles ? { roller: after.map(({ id: _id, ...g }) => g) } : {}),
      });
    });
    return profileWithRoles(ctx.db, input.id);
  }),

  /** The user can no longer sign in, and every session of theirs ends now. */
  /**
   * How the user signs in (issue 14): the value of the identity provider's claim or attribute
   * that names them instead of their username (null: the username), and whether they may use a
   * password when LOCAL_PASSWORDS=off (break-glass). A changed external id ends the user's
   * sessions: the identity that began them may no longer be theirs.
   */
  setSignIn: adminProcedure.input(SignInInput).mutation(async ({ ctx, input }) => {
    const externalId = input.externalId ?? null;
    try {
      await ctx.db.transaction().execute(async (trx) => {
        const profile = await findUserProfile(trx, input.id);
        if (!profile) throw notFound('Användaren');
        const clash = externalId ? await externalIdClash(trx, externalId, input.id) : null;
        if (clash) {
          throw invalidInput([{ path: ['externalId'], message: EXTERNAL_ID_TAKEN[clash] }]);
        }
        await setUserSignIn(trx, input.id, { externalId, breakGlass: input.breakGlass });
        const changed = (profile.externalId ?? null) !== externalId;
        if (changed) await deleteUserSessions(trx, input.id);
        await auditUserChange(
          trx,
          ctx.user,
          'anvandare_andrad',
          input.id,
          await rolesOfUser(trx, input.id),
          {
            fält: ['externtId', 'nödåtkomst'],
            externtIdÄndrat: changed,
            nödåtkomst: input.breakGlass,
          },
        );
      });
    } catch (error) {
      // Two administrators giving the same id at once: the index says no to the second.
      if (isUniqueViolation(error)) {
        throw invalidInput([{ path: ['externalId'], message: EXTERNAL_ID_TAKEN.externalId }]);
      }
      throw error;
    }
    return profileWithRoles(ctx.db, input.id);
  }),

  deactivate: adminProcedure
    .input(z.object({ id: UserIdSchema }))
    .mutation(async ({ ctx, input }) => {
      if (input.id === ctx.user.id) {
        throw invalidInput([{ path: ['id'], message: 'Du kan inte inaktivera ditt eget konto' }]);
      }
      await ctx.db.transaction().execute(async (trx) => {
        if (!(await findUserProfile(trx, input.id))) throw notFound('Användaren');
        await setUserActive(trx, input.id, false);
        await deleteUserSessions(trx, input.id);
        await auditUserChange(
          trx,
          ctx.user,
          'anvandare_inaktiverad',
          input.id,
          await rolesOfUser(trx, input.id),
          {},
        );
      });
      return profileWithRoles(ctx.db, input.id);
    }),

  /** Lets a deactivated user sign in again, with the roles they still hold. */
  activate: adminProcedure
    .input(z.object({ id: UserIdSchema }))
    .mutation(async ({ ctx, input }) => {
      await ctx.db.transaction().execute(async (trx) => {
        if (!(await findUserProfile(trx, input.id))) throw notFound('Användaren');
        await setUserActive(trx, input.id, true);
        await auditUserChange(
          trx,
          ctx.user,
          'anvandare_aktiverad',
          input.id,
          await rolesOfUser(trx, input.id),
          {},
        );
      });
      return profileWithRoles(ctx.db, input.id);
    }),

  /** Sets a new password chosen by the administrator; the user's sessions and sign-in lock end. */
  resetPassword: adminProcedure
    .input(z.object({ id: UserIdSchema, password: NewPasswordSchema }))
    .mutation(async ({ ctx, input }) => {
      const passwordHash = await hashPassword(input.password);
      await ctx.db.transaction().execute(async (trx) => {
        const user = await findUserProfile(trx, input.id);
        if (!user) throw notFound('Användaren');
        await setPasswordHash(trx, input.id, passwordHash);
        await deleteUserSessions(trx, input.id);
        await clearThrottle(trx, user.username);
        await insertAudit(trx, {
          userId: ctx.user.id,
          role: 'admin',
          action: 'losenord_aterstallt',
          subjectType: 'anvandare',
          subjectId: input.id,
        });
      });
      return { ok: true as const };
    }),

  /**
   * Any signed-in user changes their own password, proving the current one. Every session of
   * theirs ends, and this one continues in a new session. Wrong current passwords are slowed and
   * locked like failed sign-ins, in the same count (the user's username), counted before the
   * check so that parallel guesses cannot pass the lock.
   */
  changeOwnPassword: protectedProcedure
    .input(
      z.object({
        currentPassword: z
          .string({ error: 'Ange ditt nuvarande lösenord' })
          .min(1, { error: 'Ange ditt nuvarande lösenord' })
          .max(200, { error: 'Nuvarande lösenord stämmer inte' }),
        newPassword: NewPasswordSchema,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const now = ctx.clock.now();
      const admission = await admitAttempt(ctx.db, ctx.user.username, now);
      if (!admission.checked) {
        ctx.setHeader('Retry-After', String(secondsLeft(admission.lockedUntil, now)));
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `För många felaktiga lösenord. Försök igen om ${swedishMinutes(minutesLeft(admission.lockedUntil, now))}.`,
        });
      }
      const currentHash = await findPasswordHash(ctx.db, ctx.user.id);
      if (!currentHash || !(await verifyPassword(currentHash, input.currentPassword))) {
        await ctx.audit({
          action: 'losenordsbyte_misslyckat',
          subjectType: 'anvandare',
          subjectId: ctx.user.id,
          details: { spärrad: admission.lockedUntil !== null },
        });
        const delayMs = failureDelayMs(admission.attempt);
        if (delayMs > 0) await ctx.clock.sleep(delayMs);
        if (admission.lockedUntil) {
          ctx.setHeader('Retry-After', String(secondsLeft(admission.lockedUntil, now)));
          throw new TRPCError({
            code: 'TOO_MANY_REQUESTS',
            message: `För många felaktiga lösenord. Kontot är spärrat i ${swedishMinutes(minutesLeft(admission.lockedUntil, now))}.`,
          });
        }
        throw invalidInput([
          { path: ['currentPassword'], message: 'Nuvarande lösenord stämmer inte' },
        ]);
      }
      await recordSuccess(ctx.db, ctx.user.username);
      const passwordHash = await hashPassword(input.newPassword);
      const session = await ctx.db.transaction().execute(async (trx) => {
        await setPasswordHash(trx, ctx.user.id, passwordHash);
        await deleteUserSessions(trx, ctx.user.id, now);
        await insertAudit(trx, {
          userId: ctx.user.id,
          role: ctx.user.roles.map((r) => r.role).join(','),
          action: 'losenord_bytt',
          subjectType: 'anvandare',
          subjectId: ctx.user.id,
        });
        return createSession(trx, ctx.user.id, now, ctx.sessionPolicy);
      });
      ctx.setCookie(sessionCookie(session.token, session.expiresAt));
      return { ok: true as const };
    }),
});
