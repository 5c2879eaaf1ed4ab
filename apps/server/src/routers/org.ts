import { type Verksamhetsomrade, verksamhetsomradeLabel } from '@evb/domain';
import { enheterOf, findEnheter, listNamnder, verksamhetsomradenOf } from '../data/organisation';
import type { Db } from '../db/database';
import type { EnhetTyp } from '../db/schema';
import type { AuthUser } from '../trpc/context';
import { protectedProcedure, router } from '../trpc/init';

/** How far the caller's roles reach into one nämnd. */
type Reach = {
  /** Every verksamhetsområde, or only `areas`. */
  allAreas: boolean;
  areas: Set<string>;
  /** Every unit and team, or only `enheter`. */
  allEnheter: boolean;
  enheter: Set<string>;
  /** Holds a handläggare grant here: may register decisions. */
  mayRegister: boolean;
};

export type OrgOverview = {
  namnder: {
    id: string;
    namn: string;
    kommunId: string;
    mayRegister: boolean;
    verksamhetsomraden: { code: string; label: string }[];
    enheter: { id: string; namn: string; typ: EnhetTyp }[];
  }[];
};

const emptyReach = (): Reach => ({
  allAreas: false,
  areas: new Set(),
  allEnheter: false,
  enheter: new Set(),
  mayRegister: false,
});

/**
 * What each grant reaches: a handläggare the whole nämnd; a rapportör the nämnd's units and their
 * own verksamhetsområden (all of them without one); an utförare or matchare only their own unit or
 * team; an admin every nämnd, whole.
 */
async function reachOf(db: Db, user: AuthUser): Promise<Map<string, Reach>> {
  const reach = new Map<string, Reach>();
  const at = (namndId: string) => {
    const known = reach.get(namndId);
    if (known) return known;
    const added = emptyReach();
    reach.set(namndId, added);
    return added;
  };
  const unitIds = user.roles.flatMap((g) =>
    (g.role === 'utforare' || g.role === 'matchare') && g.enhetId ? [g.enhetId] : [],
  );
  for (const enhet of await findEnheter(db, unitIds)) at(enhet.namndId).enheter.add(enhet.id);
  for (const grant of user.roles) {
    if (!grant.namndId) continue;
    const r = at(grant.namndId);
    if (grant.role === 'handlaggare') {
      r.allAreas = r.allEnheter = r.mayRegister = true;
    } else if (grant.role === 'rapportor' || grant.role === 'huvudrapportor') {
      r.allEnheter = true;
      if (grant.verksamhetsomrade) r.areas.add(grant.verksamhetsomrade);
      else r.allAreas = true;
    }
  }
  if (user.roles.some((g) => g.role === 'admin')) {
    for (const namnd of await listNamnder(db, null)) {
      const r = at(namnd.id);
      r.allAreas = r.allEnheter = true;
    }
  }
  return reach;
}

export const orgRouter = router({
  /**
   * The caller's nämnder with the verksamhetsområden and units/teams their roles reach, for forms
   * and pickers. No input. Any signed-in user; an admin sees every nämnd. Answers OrgOverview.
   */
  overview: protectedProcedure.query(async ({ ctx }): Promise<OrgOverview> => {
    const reach = await reachOf(ctx.db, ctx.user);
    const namnder = await listNamnder(ctx.db, [...reach.keys()]);
    const ids = namnder.map((n) => n.id);
    const areas = await verksamhetsomradenOf(ctx.db, ids);
    const enheter = await enheterOf(ctx.db, ids);
    return {
      namnder: namnder.map((namnd) => {
        const r = reach.get(namnd.id)!;
        return {
          id: namnd.id,
          namn: namnd.namn,
          kommunId: namnd.kommunId,
          mayRegister: r.mayRegister,
          verksamhetsomraden: areas
            .filter(
              (a) => a.namndId === namnd.id && (r.allAreas || r.areas.has(a.verksamhetsomrade)),
            )
            .map((a) => ({
              code: a.verksamhetsomrade,
              label: verksamhetsomradeLabel(a.verksamhetsomrade as Verksamhetsomrade),
            })),
          enheter: enheter
            .filter((e) => e.namndId === namnd.id && (r.allEnheter || r.enheter.has(e.id)))
            .map((e) => ({ id: e.id, namn: e.namn, typ: e.typ })),
        };
      }),
    };
  }),
});
