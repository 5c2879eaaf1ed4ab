import { OFFLINE_ROLES } from '@evb/domain';
import type { AuthUser } from '../trpc/context';

/**
 * Which decisions a user may see, from their roles: an utförare or matchare those ordered to their
 * own unit or team, a handläggare those they handle, a rapportör or huvudrapportör their nämnd's in
 * their verksamhetsområden. An admin manages users and codes and sees no decisions.
 */
export type DecisionScope = {
  enhetIds: string[];
  handlaggareId: string | null;
  namndAreas: { namndId: string; verksamhetsomrade: string | null }[];
};

export function decisionScope(user: AuthUser): DecisionScope {
  const scope: DecisionScope = { enhetIds: [], handlaggareId: null, namndAreas: [] };
  for (const grant of user.roles) {
    switch (grant.role) {
      case 'utforare':
      case 'matchare':
        if (grant.enhetId) scope.enhetIds.push(grant.enhetId);
        break;
      case 'handlaggare':
        scope.handlaggareId = user.id;
        break;
      case 'rapportor':
      case 'huvudrapportor':
        // A grant without verksamhetsområde covers all of the nämnd's.
        if (grant.namndId) {
          scope.namndAreas.push({
            namndId: grant.namndId,
            verksamhetsomrade: grant.verksamhetsomrade,
          });
        }
        break;
      case 'admin':
        break;
    }
  }
  return scope;
}

/**
 * What a user's device keeps offline: the decisions of their offline roles (the domain's
 * OFFLINE_ROLES: utförare, matchare, handläggare). A rapportör's screens read online.
 */
export function syncScope(user: AuthUser): DecisionScope {
  const offline = user.roles.filter((grant) => OFFLINE_ROLES.includes(grant.role));
  return decisionScope({ ...user, roles: offline });
}

export function isEmptyScope(scope: DecisionScope): boolean {
  return scope.enhetIds.length === 0 && !scope.handlaggareId && scope.namndAreas.length === 0;
}

/** Utförare and matchare never see a full personnummer; only their view of a decision is narrowed. */
export function seesFullIdentity(
  user: AuthUser,
  decision: { handlaggareId: string; namndId: string; verksamhetsomrade: string },
): boolean {
  return user.roles.some(
    (g) =>
      (g.role === 'handlaggare' && decision.handlaggareId === user.id) ||
      ((g.role === 'rapportor' || g.role === 'huvudrapportor') &&
        g.namndId === decision.namndId &&
        (g.verksamhetsomrade === null || g.verksamhetsomrade === decision.verksamhetsomrade)),
  );
}
