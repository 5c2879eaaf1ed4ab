import {
  VERKSAMHETSOMRADE_CODES,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { type DecisionScope, decisionScope } from '../access/scope';
import { enheter, type GrantRow, namnderWithAreas } from '../data/users';
import type { Db } from '../db/database';
import type { EnhetTyp, Role } from '../db/schema';
import type { AuthUser } from '../trpc/context';

/*
 * A role grant as an administrator gives it, checked first for its shape (zod) and then against the
 * organisation: an utförare belongs to an utförarenhet, a matchare to one of the matching teams, a
 * handläggare to a nämnd, a rapportör or huvudrapportör to a nämnd and, optionally, one of the
 * verksamhetsområden that nämnd reports for (none: all of them), a loggranskare to a nämnd.
 */

const idOf = (what: string) =>
  z
    .string({ error: `Välj ${what}` })
    .trim()
    .min(1, { error: `Välj ${what}` })
    .max(100, { error: `Okänd ${what}` });

export const VerksamhetsomradeSchema = z.enum(VERKSAMHETSOMRADE_CODES, {
  error: 'Välj ett verksamhetsområde: SoL Äldre, SoL FUNK, SoL IFO eller LSS',
});

export const GrantInputSchema = z.discriminatedUnion(
  'role',
  [
    z.object({ role: z.literal('admin') }),
    z.object({ role: z.literal('utforare'), enhetId: idOf('utförarenhet') }),
    z.object({ role: z.literal('matchare'), enhetId: idOf('team') }),
    z.object({ role: z.literal('handlaggare'), namndId: idOf('nämnd') }),
    z.object({
      role: z.enum(['rapportor', 'huvudrapportor']),
      namndId: idOf('nämnd'),
      verksamhetsomrade: VerksamhetsomradeSchema.nullable().optional(),
    }),
    // Reviews the nämnd's access log (loggkontroll); sees no case.
    z.object({ role: z.literal('loggranskare'), namndId: idOf('nämnd') }),
  ],
  {
    error:
      'Välj en roll: utforare, matchare, handlaggare, rapportor, huvudrapportor, loggranskare eller admin',
  },
);
export type GrantInput = z.infer<typeof GrantInputSchema>;

/** The list of grants a user is given: at least one. */
export const GrantListSchema = z
  .array(GrantInputSchema, { error: 'Ange användarens roller' })
  .min(1, { error: 'Ange minst en roll' })
  .max(50, { error: 'Högst 50 roller' });

export type InputIssue = { path: (string | number)[]; message: string };

/**
 * The checks' issues, carried to the error formatter like a zod error's. Its own class: tRPC keeps
 * an Error cause as it is, and zod 4's issues would not survive being copied.
 */
class InputIssues extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
}

/** A 400 whose message names each field, and whose data lists them (path, message) like zod's. */
export function invalidInput(issues: InputIssue[]): TRPCError {
  const cause = new InputIssues(issues);
  return new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
}

const TEAM_TYPES: readonly EnhetTyp[] = ['boendeteamet', 'centralen_for_sysselsattning'];

function toRow(grant: GrantInput): Omit<GrantRow, 'id'> {
  return {
    role: grant.role,
    namndId: 'namndId' in grant ? grant.namndId : null,
    verksamhetsomrade: 'verksamhetsomrade' in grant ? (grant.verksamhetsomrade ?? null) : null,
    enhetId: 'enhetId' in grant ? grant.enhetId : null,
  };
}

const sameGrant = (a: Omit<GrantRow, 'id'>, b: Omit<GrantRow, 'id'>) =>
  a.role === b.role &&
  a.namndId === b.namndId &&
  a.enhetId === b.enhetId &&
  a.verksamhetsomrade === b.verksamhetsomrade;

/**
 * Checks grants against the organisation and turns them into rows with fresh ids; throws a 400
 * naming `roles.<i>.<field>` for every grant that does not fit, together with `earlier` (the form's
 * other refusals found before, so that all are shown at once).
 */
export async function grantRowsFor(
  db: Db,
  grants: readonly GrantInput[],
  field = 'roles',
  earlier: readonly InputIssue[] = [],
): Promise<GrantRow[]> {
  const rows = grants.map(toRow);
  const namndIds = [...new Set(rows.flatMap((r) => (r.namndId ? [r.namndId] : [])))];
  const enhetIds = [...new Set(rows.flatMap((r) => (r.enhetId ? [r.enhetId] : [])))];
  const [namnder, units] = await Promise.all([
    namnderWithAreas(db, namndIds),
    enheter(db, enhetIds),
  ]);
  const issues: InputIssue[] = [];
  rows.forEach((row, i) => {
    const at = (...rest: string[]) => [field, i, ...rest];
    if (row.enhetId) {
      const unit = units.find((u) => u.id === row.enhetId);
      if (!unit) {
        issues.push({ path: at('enhetId'), message: 'Enheten finns inte' });
      } else if (row.role === 'utforare' && unit.typ !== 'utforarenhet') {
        issues.push({
          path: at('enhetId'),
          message: `En utförare ska höra till en utförarenhet; ${unit.namn} är ett matchningsteam`,
        });
      } else if (row.role === 'matchare' && !TEAM_TYPES.includes(unit.typ)) {
        issues.push({
          path: at('enhetId'),
          message: `En matchare ska höra till Boendeteamet eller Centralen för sysselsättning, inte ${unit.namn}`,
        });
      }
    }
    if (row.namndId) {
      const namnd = namnder.find((n) => n.id === row.namndId);
      if (!namnd) {
        issues.push({ path: at('namndId'), message: 'Nämnden finns inte' });
      } else if (
        row.verksamhetsomrade &&
        !namnd.verksamhetsomraden.includes(row.verksamhetsomrade)
      ) {
        issues.push({
          path: at('verksamhetsomrade'),
          message: `${namnd.namn} rapporterar inte för ${verksamhetsomradeLabel(row.verksamhetsomrade as Verksamhetsomrade)}`,
        });
      }
    }
    if (rows.slice(0, i).some((earlier) => sameGrant(earlier, row))) {
      issues.push({ path: [field, i], message: 'Rollen finns redan i listan' });
    }
  });
  if (issues.length > 0) throw invalidInput([...earlier, ...issues]);
  return rows.map((row) => ({ ...row, id: crypto.randomUUID() }));
}

/** A huvudrapportör may do all that a rapportör may, and more. */
const covers = (held: Role, needed: Role) =>
  held === needed || (needed === 'rapportor' && held === 'huvudrapportor');

/**
 * True when some access of `before` is not covered by `after`: a role, unit or nämnd taken away,
 * or a whole nämnd narrowed to some of its verksamhetsområden. Then the user's sessions end.
 */
export function losesAccess(
  before: readonly Omit<GrantRow, 'id'>[],
  after: readonly Omit<GrantRow, 'id'>[],
): boolean {
  return before.some(
    (old) =>
      !after.some(
        (g) =>
          covers(g.role, old.role) &&
          g.namndId === old.namndId &&
          g.enhetId === old.enhetId &&
          (g.verksamhetsomrade === null || g.verksamhetsomrade === old.verksamhetsomrade),
      ),
  );
}

/** The nämnder a set of grants touches, a unit's by its nämnd: audit entries go to each one's log. */
export async function namnderOfGrants(
  db: Db,
  grants: readonly Omit<GrantRow, 'id'>[],
): Promise<string[]> {
  const enhetIds = [...new Set(grants.flatMap((g) => (g.enhetId ? [g.enhetId] : [])))];
  const units = await enheter(db, enhetIds);
  return [
    ...new Set([
      ...grants.flatMap((g) => (g.namndId ? [g.namndId] : [])),
      ...units.map((u) => u.namndId),
    ]),
  ].sort();
}

const REPORTING = new Set<string>(['rapportor', 'huvudrapportor']);

/** The nämnder the user reports for, as rapportör or huvudrapportör. */
export function reportingNamnder(user: AuthUser): string[] {
  return [
    ...new Set(user.roles.flatMap((g) => (REPORTING.has(g.role) && g.namndId ? [g.namndId] : []))),
  ].sort();
}

/** The role the user reports for a nämnd in, for the audit log; null when they do not. */
export function reportingRoleIn(
  user: AuthUser,
  namndId: string,
): 'rapportor' | 'huvudrapportor' | null {
  const grants = user.roles.filter((g) => REPORTING.has(g.role) && g.namndId === namndId);
  if (grants.length === 0) return null;
  return grants.some((g) => g.role === 'huvudrapportor') ? 'huvudrapportor' : 'rapportor';
}

/**
 * The verksamhetsområden the user reports for in a nämnd: null when a grant covers all of the
 * nämnd's, an empty list when they do not report for it.
 */
export function reportingAreasIn(user: AuthUser, namndId: string): string[] | null {
  const grants = user.roles.filter((g) => REPORTING.has(g.role) && g.namndId === namndId);
  if (grants.some((g) => g.verksamhetsomrade === null)) return null;
  return [...new Set(grants.map((g) => g.verksamhetsomrade as string))].sort();
}

/**
 * The decisions the user sees as a reporter: their nämnder's in their verksamhetsområden, and not
 * the ones they see for another role (as handläggare, say). Optionally one nämnd only.
 */
export function reportingScope(user: AuthUser, namndId?: string): DecisionScope {
  return {
    enhetIds: [],
    handlaggareId: null,
    namndAreas: decisionScope(user).namndAreas.filter((a) => !namndId || a.namndId === namndId),
  };
}
