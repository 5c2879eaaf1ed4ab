import type { CaseEventType } from '../schemas';

/** The roles of evb. A grant of a role is scoped to a unit/team, a nämnd or an area. */
export const ROLES = [
  'utforare',
  'matchare',
  'handlaggare',
  'rapportor',
  'huvudrapportor',
  'loggranskare',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  utforare: 'Utförare',
  matchare: 'Matchare',
  handlaggare: 'Handläggare',
  rapportor: 'Rapportör',
  huvudrapportor: 'Huvudrapportör',
  loggranskare: 'Loggranskare',
  admin: 'Administratör',
};

/** What the unit or team carrying out an order logs: how the execution goes. */
const UTFORARE_EVENTS: readonly CaseEventType[] = [
  'erbjudande',
  'tackat_nej',
  'delvis_verkstalld',
  'kompenserande_insats',
  'avbrott',
  'verkstalld',
  'sammanfattning',
  'skal',
  'anteckning',
];

/**
 * The event types each role may log on a decision in its care. The handläggare also makes the
 * two-month follow-up call and closes the decision; a rapportör only corrects the reason for the
 * delay and writes notes; an administrator and a loggranskare (who reviews the nämnd's access log
 * and sees no case) log nothing.
 */
export const EVENT_TYPES_BY_ROLE: Record<Role, readonly CaseEventType[]> = {
  utforare: UTFORARE_EVENTS,
  matchare: UTFORARE_EVENTS,
  handlaggare: [...UTFORARE_EVENTS, 'uppfoljning', 'avslutad'],
  rapportor: ['skal', 'anteckning'],
  huvudrapportor: ['skal', 'anteckning'],
  loggranskare: [],
  admin: [],
};

/** How each event type is named on screen and in a timeline. */
export const EVENT_TYPE_LABELS: Record<CaseEventType, string> = {
  erbjudande: 'Erbjudande',
  tackat_nej: 'Tackat nej',
  delvis_verkstalld: 'Delvis verkställt',
  kompenserande_insats: 'Kompenserande insats',
  avbrott: 'Avbrott',
  verkstalld: 'Verkställt',
  sammanfattning: 'Sammanfattning',
  skal: 'Skäl till dröjsmålet',
  anteckning: 'Anteckning',
  uppfoljning: 'Uppföljningssamtal',
  avslutad: 'Avslutat',
  makulering: 'Makulering',
};

/** A role held by a user, with the unit/team, nämnd or area it is held for. */
export type ScopedGrant = {
  role: Role;
  enhetId: string | null;
  namndId: string | null;
  verksamhetsomrade: string | null;
};

/** What decides which of a user's grants reach a decision. */
export type DecisionReach = {
  enhetId: string | null;
  handlaggareId: string;
  namndId: string;
  verksamhetsomrade: string;
};

/**
 * The event types a user may log on a decision, over every grant that reaches it: the unit or team
 * it is ordered to, its own handläggare, and the rapportörer of its nämnd and area.
 */
export function loggableEventTypes(
  user: { id: string; roles: readonly ScopedGrant[] },
  decision: DecisionReach,
): Set<CaseEventType> {
  const types = new Set<CaseEventType>();
  for (const grant of user.roles) {
    const reaches =
      ((grant.role === 'utforare' || grant.role === 'matchare') &&
        grant.enhetId === decision.enhetId) ||
      (grant.role === 'handlaggare' && decision.handlaggareId === user.id) ||
      ((grant.role === 'rapportor' || grant.role === 'huvudrapportor') &&
        grant.namndId === decision.namndId &&
        (grant.verksamhetsomrade === null ||
          grant.verksamhetsomrade === decision.verksamhetsomrade));
    if (reaches) for (const type of EVENT_TYPES_BY_ROLE[grant.role]) types.add(type);
  }
  return types;
}
