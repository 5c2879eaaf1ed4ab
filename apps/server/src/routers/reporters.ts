import { type Verksamhetsomrade, verksamhetsomradeLabel } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { insertAudit } from '../data/audit';
import { deleteUserSessions } from '../data/sessions';
import {
  deleteReportingGrants,
  findUserByUsernameInKommunOf,
  type GrantRow,
  insertGrants,
  lockNamnd,
  namnderWithAreas,
  REPORTING_ROLES,
  type ReportingRole,
  reportingGrantsOfNamnd,
  searchUsersOfNamnder,
  updateUserProfile,
} from '../data/users';
import type { Db } from '../db/database';
import {
  invalidInput,
  losesAccess,
  reportingNamnder,
  VerksamhetsomradeSchema,
} from '../services/role-grants';
import type { AuthUser } from '../trpc/context';
import { notFound, roleProcedure, router } from '../trpc/init';
import { EmailSchema, TelefonSchema, UserIdSchema } from './users';

/*
 * The nämnd's register of IVO reporters (seed 000, "Ändra rapportör"): every rapportör and
 * huvudrapportör may read it; only a huvudrapportör of the nämnd adds, changes or removes. Someone
 * removed loses every session at once, and the last huvudrapportör cannot leave: a new one is added
 * first, who then removes the old.
 */

const NamndIdSchema = z
  .string({ error: 'Välj nämnd' })
  .trim()
  .min(1, { error: 'Välj nämnd' })
  .max(100, { error: 'Okänd nämnd' });

const StatusSchema = z.enum(REPORTING_ROLES as [ReportingRole, ...ReportingRole[]], {
  error: 'Välj status: rapportor eller huvudrapportor',
});

/** Some of the nämnd's verksamhetsområden, or null for all of them (also those added later). */
const AreasSchema = z
  .array(VerksamhetsomradeSchema, { error: 'Välj verksamhetsområden' })
  .min(1, { error: 'Välj minst ett verksamhetsområde, eller inget val för alla' })
  .max(4, { error: 'Välj högst fyra verksamhetsområden' })
  .nullable();

const AddInput = z.object({
  namndId: NamndIdSchema,
  username: z
    .string({ error: 'Ange användarnamn' })
    .trim()
    .toLowerCase()
    .min(1, { error: 'Ange användarnamn' })
    .max(100, { error: 'Okänt användarnamn' }),
  status: StatusSchema,
  verksamhetsomraden: AreasSchema.optional(),
  email: EmailSchema.optional(),
  telefon: TelefonSchema.optional(),
});

const UpdateInput = z.object({
  namndId: NamndIdSchema,
  userId: UserIdSchema,
  status: StatusSchema.optional(),
  verksamhetsomraden: AreasSchema.optional(),
  email: EmailSchema.optional(),
  telefon: TelefonSchema.optional(),
});

const RemoveInput = z.object({ namndId: NamndIdSchema, userId: UserIdSchema });

/** The most users a search answers; more matches ask for a longer text. */
export const USER_SEARCH_LIMIT = 20;

const SearchInput = z.object({
  namndId: NamndIdSchema,
  text: z
    .string({ error: 'Skriv en del av namnet eller användarnamnet' })
    .trim()
    .min(2, { error: 'Skriv minst 2 tecken av namnet eller användarnamnet' })
    .max(100, { error: 'Sökningen får ha högst 100 tecken' }),
});

function assertHuvudrapportorOf(user: AuthUser, namndId: string): void {
  if (!user.roles.some((g) => g.role === 'huvudrapportor' && g.namndId === namndId)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Bara nämndens huvudrapportör får lägga till, ändra eller ta bort rapportörer.',
    });
  }
}

export type ReporterEntry = {
  userId: string;
  username: string;
  displayName: string;
  email: string | null;
  telefon: string | null;
  active: boolean;
  status: ReportingRole;
  /** The verksamhetsområden reported for; all of the nämnd's when `helaNamnden`. */
  verksamhetsomraden: string[];
  helaNamnden: boolean;
};

/** A nämnd's register: one entry per person, however many grants they hold. */
async function registerOf(db: Db, namndId: string) {
  const [namnd] = await namnderWithAreas(db, [namndId]);
  if (!namnd) throw notFound('Nämnden');
  const entries = new Map<string, ReporterEntry>();
  const grants = await reportingGrantsOfNamnd(db, namndId);
  for (const g of grants) {
    const entry: ReporterEntry = entries.get(g.userId) ?? {
      userId: g.userId,
      username: g.username,
      displayName: g.displayName,
      email: g.email,
      telefon: g.telefon,
      active: g.active,
      status: 'rapportor',
      verksamhetsomraden: [],
      helaNamnden: false,
    };
    if (g.role === 'huvudrapportor') entry.status = 'huvudrapportor';
    if (g.verksamhetsomrade === null) entry.helaNamnden = true;
    else if (!entry.verksamhetsomraden.includes(g.verksamhetsomrade)) {
      entry.verksamhetsomraden.push(g.verksamhetsomrade);
    }
    entries.set(g.userId, entry);
  }
  const reporters = [...entries.values()].map((e) => ({
    ...e,
    verksamhetsomraden: e.helaNamnden ? namnd.verksamhetsomraden : e.verksamhetsomraden.sort(),
  }));
  return {
    namndId: namnd.id,
    namn: namnd.namn,
    verksamhetsomraden: namnd.verksamhetsomraden,
    reporters,
  };
}

/** The grants for a status and areas: one per area, or one for the whole nämnd. */
function grantsFor(
  namndId: string,
  status: ReportingRole,
  areas: readonly string[] | null,
): GrantRow[] {
  return (areas ? [...new Set(areas)] : [null]).map((verksamhetsomrade) => ({
    id: crypto.randomUUID(),
    role: status,
    namndId,
    verksamhetsomrade,
    enhetId: null,
  }));
}

/** Refuses areas the nämnd does not report for, naming each. */
async function assertAreasOfNamnd(db: Db, namndId: string, areas: readonly string[] | null) {
  if (!areas) return;
  const [namnd] = await namnderWithAreas(db, [namndId]);
  if (!namnd) throw notFound('Nämnden');
  const issues = areas.flatMap((area, i) =>
    namnd.verksamhetsomraden.includes(area)
      ? []
      : [
          {
            path: ['verksamhetsomraden', i],
            message: `${namnd.namn} rapporterar inte för ${verksamhetsomradeLabel(area as Verksamhetsomrade)}`,
          },
        ],
  );
  if (issues.length > 0) throw invalidInput(issues);
}

/**
 * True when the nämnd keeps an active huvudrapportör after `userId` gets status `next` (null:
 * removed from the register).
 */
async function keepsHuvudrapportor(
  db: Db,
  namndId: string,
  userId: string,
  next: ReportingRole | null,
): Promise<boolean> {
  if (next === 'huvudrapportor') return true;
  const grants = await reportingGrantsOfNamnd(db, namndId);
  return grants.some((g) => g.role === 'huvudrapportor' && g.active && g.userId !== userId);
}

const LAST_HUVUDRAPPORTOR =
  'Du är nämndens enda huvudrapportör. Lägg först till en ny huvudrapportör, som sedan kan';

async function auditRegister(
  db: Db,
  user: AuthUser,
  action: string,
  namndId: string,
  userId: string,
  details: Record<string, unknown>,
) {
  await insertAudit(db, {
    userId: user.id,
    role: 'huvudrapportor',
    action,
    subjectType: 'anvandare',
    subjectId: userId,
    namndId,
    details,
  });
}

export const reportersRouter = router({
  /** The register of each nämnd the caller reports for, or of one of them. */
  list: roleProcedure('rapportor', 'huvudrapportor')
    .input(z.object({ namndId: NamndIdSchema.optional() }).optional())
    .query(async ({ ctx, input }) => {
      const own = reportingNamnder(ctx.user);
      if (input?.namndId && !own.includes(input.namndId)) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Du rapporterar inte för den nämnden.' });
      }
      const namnder = input?.namndId ? [input.namndId] : own;
      return Promise.all(namnder.map((namndId) => registerOf(ctx.db, namndId)));
    }),

  /**
   * The huvudrapportör's search for a colleague to add: users whose name or username contains the
   * text, among those holding a role in a nämnd the caller reports for (or in its units) — people
   * the caller already meets in those nämnder' registers and decisions, nobody else. At most
   * USER_SEARCH_LIMIT, by name; `more` says there were more. Like the register, not audited: it
   * reads colleagues' names, no person's data.
   */
  searchUsers: roleProcedure('huvudrapportor')
    .input(SearchInput)
    .query(async ({ ctx, input }) => {
      assertHuvudrapportorOf(ctx.user, input.namndId);
      const found = await searchUsersOfNamnder(
        ctx.db,
        reportingNamnder(ctx.user),
        input.text,
        USER_SEARCH_LIMIT + 1,
      );
      const inRegister = new Set(
        (await reportingGrantsOfNamnd(ctx.db, input.namndId)).map((g) => g.userId),
      );
      return {
        users: found.slice(0, USER_SEARCH_LIMIT).map((u) => ({
          userId: u.id,
          username: u.username,
          displayName: u.displayName,
          active: u.active,
          inRegister: inRegister.has(u.id),
        })),
        more: found.length > USER_SEARCH_LIMIT,
      };
    }),

  /** Registers an existing user as rapportör or huvudrapportör of the nämnd. */
  add: roleProcedure('huvudrapportor')
    .input(AddInput)
    .mutation(async ({ ctx, input }) => {
      assertHuvudrapportorOf(ctx.user, input.namndId);
      const areas = input.verksamhetsomraden ?? null;
      await ctx.db.transaction().execute(async (trx) => {
        if (!(await lockNamnd(trx, input.namndId))) throw notFound('Nämnden');
        await assertAreasOfNamnd(trx, input.namndId, areas);
        // Only users the nämnd's kommun may know of: one whose roles all lie in other kommuner
        // gets the answer of a username nobody has.
        const user = await findUserByUsernameInKommunOf(trx, input.username, input.namndId);
        if (!user) {
          throw new TRPCError({
            code: 'NOT_FOUND',
            message: `username: Det finns ingen användare med användarnamnet ${input.username}.`,
          });
        }
        if (!user.active) {
          throw invalidInput([
            {
              path: ['username'],
              message: 'Användaren är inaktiverad; be en administratör aktivera kontot först',
            },
          ]);
        }
        const current = await reportingGrantsOfNamnd(trx, input.namndId);
        if (current.some((g) => g.userId === user.id)) {
          throw new TRPCError({
            code: 'CONFLICT',
            message: `username: ${user.displayName} är redan rapportör för nämnden; ändra uppgifterna i stället.`,
          });
        }
        await insertGrants(trx, user.id, grantsFor(input.namndId, input.status, areas));
        await updateUserProfile(trx, user.id, { email: input.email, telefon: input.telefon });
        await auditRegister(trx, ctx.user, 'rapportor_tillagd', input.namndId, user.id, {
          status: input.status,
          verksamhetsomraden: areas,
        });
      });
      return registerOf(ctx.db, input.namndId);
    }),

  /**
   * Changes a reporter's verksamhetsområden, status (rapportör ↔ huvudrapportör) or contact
   * details. Losing an area or the huvudrapportör status ends their sessions.
   */
  update: roleProcedure('huvudrapportor')
    .input(UpdateInput)
    .mutation(async ({ ctx, input }) => {
      assertHuvudrapportorOf(ctx.user, input.namndId);
      await ctx.db.transaction().execute(async (trx) => {
        if (!(await lockNamnd(trx, input.namndId))) throw notFound('Nämnden');
        const before: GrantRow[] = (await reportingGrantsOfNamnd(trx, input.namndId))
          .filter((g) => g.userId === input.userId)
          .map((g) => ({
            id: g.id,
            role: g.role,
            namndId: input.namndId,
            verksamhetsomrade: g.verksamhetsomrade,
            enhetId: null,
          }));
        if (before.length === 0) throw notFound('Rapportören');
        const status: ReportingRole =
          input.status ??
          (before.some((g) => g.role === 'huvudrapportor') ? 'huvudrapportor' : 'rapportor');
        const areas =
          input.verksamhetsomraden !== undefined
            ? input.verksamhetsomraden
            : before.some((g) => g.verksamhetsomrade === null)
              ? null
              : before.map((g) => g.verksamhetsomrade as string);
        await assertAreasOfNamnd(trx, input.namndId, areas);
        if (!(await keepsHuvudrapportor(trx, input.namndId, input.userId, status))) {
          throw invalidInput([
            { path: ['status'], message: `${LAST_HUVUDRAPPORTOR} ändra din status` },
          ]);
        }
        const after = grantsFor(input.namndId, status, areas);
        await deleteReportingGrants(trx, input.userId, input.namndId);
        await insertGrants(trx, input.userId, after);
        await updateUserProfile(trx, input.userId, { email: input.email, telefon: input.telefon });
        if (losesAccess(before, after)) await deleteUserSessions(trx, input.userId);
        await auditRegister(trx, ctx.user, 'rapportor_andrad', input.namndId, input.userId, {
          status,
          verksamhetsomraden: areas,
          fält: Object.keys(input).filter((k) => k !== 'namndId' && k !== 'userId'),
        });
      });
      return registerOf(ctx.db, input.namndId);
    }),

  /** Takes the user's reporting grants in the nämnd away and ends their sessions at once. */
  remove: roleProcedure('huvudrapportor')
    .input(RemoveInput)
    .mutation(async ({ ctx, input }) => {
      assertHuvudrapportorOf(ctx.user, input.namndId);
      await ctx.db.transaction().execute(async (trx) => {
        if (!(await lockNamnd(trx, input.namndId))) throw notFound('Nämnden');
        if (!(await keepsHuvudrapportor(trx, input.namndId, input.userId, null))) {
          throw invalidInput([
            { path: ['userId'], message: `${LAST_HUVUDRAPPORTOR} avanmäla dig` },
          ]);
        }
        const removed = await deleteReportingGrants(trx, input.userId, input.namndId);
        if (removed === 0) throw notFound('Rapportören');
        await deleteUserSessions(trx, input.userId);
        await auditRegister(trx, ctx.user, 'rapportor_borttagen', input.namndId, input.userId, {});
      });
      return registerOf(ctx.db, input.namndId);
    }),
});
