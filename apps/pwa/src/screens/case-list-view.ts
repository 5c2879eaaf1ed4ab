import {
  byOwnDeadline,
  findInsats,
  type IsoDate,
  type LatestOffer,
  lagrumText,
  latestOffer,
  type OwnDeadline,
  ownNextDeadline,
  type Role,
} from '@evb/domain';
import type { LocalCase } from '../local/cases';

/*
 * What "Mina beställningar" and "Mina beslut" show: each decision with the list's own next
 * deadline (the roles the list is for), the most urgent first, filtered by the search text.
 */

export type ListedCase = LocalCase & {
  /** The next deadline of the list's roles, or null. */
  own: OwnDeadline | null;
  /** The law the insats is granted under, in words: "LSS 9 § 9", "LSS 9 § 8, externt". */
  lagrum: string;
  /** The latest offer and its answer (what a matchare needs), or null. */
  offer: LatestOffer | null;
};

export function listedCase(item: LocalCase, roles: readonly Role[], today: IsoDate): ListedCase {
  const { decision, status, events } = item;
  return {
    ...item,
    own: ownNextDeadline(roles, status, today),
    lagrum: lagrumText(decision.insats, {
      extern: decision.extern,
      beslutsdatum: decision.beslutsdatum,
    }),
    // A refused event does not count until it is fixed (as in the status).
    offer: latestOffer(events.filter((e) => !e.rejected)),
  };
}

/** Without spaces, in lower case: "9§9" finds "LSS 9 § 9". */
function squeeze(text: string): string {
  return text.replace(/\s+/g, '').toLocaleLowerCase('sv');
}

/**
 * Whether a decision matches the search: by the person's name or IVO id, the insats's name, or its
 * lagrum ("9 § 9", "9§9"). A lagrum search ending in a number does not find a longer number:
 * "9 § 1" is not 9 § 10.
 */
export function matchesSearch(item: ListedCase, search: string): boolean {
  const needle = search.trim().toLocaleLowerCase('sv');
  if (!needle) return true;
  const { person, insats } = item.decision;
  const text = `${person.fornamn} ${person.efternamn} ${person.ivoId} ${findInsats(insats)?.label ?? insats}`;
  if (text.toLocaleLowerCase('sv').includes(needle)) return true;
  const lagrum = squeeze(item.lagrum);
  const wanted = squeeze(needle);
  for (let at = lagrum.indexOf(wanted); at >= 0; at = lagrum.indexOf(wanted, at + 1)) {
    const next = lagrum[at + wanted.length];
    if (!/\d$/.test(wanted) || next === undefined || !/\d/.test(next)) return true;
  }
  return false;
}

/** The decisions a list shows, by the list's own next deadline: overdue first, then the nearest. */
export function listCases(
  cases: readonly LocalCase[],
  options: { roles: readonly Role[]; today: IsoDate; search: string; showAll: boolean },
): ListedCase[] {
  return cases
    .filter((c) => options.showAll || c.status.waiting)
    .map((c) => listedCase(c, options.roles, options.today))
    .filter((c) => matchesSearch(c, options.search))
    .sort((a, b) =>
      byOwnDeadline(
        {
          own: a.own,
          daysWaited: a.status.daysWaited,
          beslutsdatum: a.decision.beslutsdatum,
          id: a.decision.id,
        },
        {
          own: b.own,
          daysWaited: b.status.daysWaited,
          beslutsdatum: b.decision.beslutsdatum,
          id: b.decision.id,
        },
      ),
    );
}
