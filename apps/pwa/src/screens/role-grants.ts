import {
  ROLE_LABELS,
  ROLES,
  type Role,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import type { RouterInputs, RouterOutputs } from '../api/client';

/*
 * The role grants an administrator gives a user, as the user form edits them. Every role needs its
 * own scope (users.create's GrantListSchema): an utförare an utförarenhet, a matchare a matching
 * team, a handläggare a nämnd, a rapportör or huvudrapportör a nämnd and either one of the nämnd's
 * verksamhetsområden or all of them, a loggranskare a nämnd; an administrator nothing.
 */

export type GrantInput = RouterInputs['users']['create']['roles'][number];
export type Org = RouterOutputs['org']['overview'];
type OrgNamnd = Org['namnder'][number];
type OrgEnhet = OrgNamnd['enheter'][number];

/** A grant as the server stores and answers it. */
export type GrantRow = {
  role: Role;
  namndId: string | null;
  verksamhetsomrade: string | null;
  enhetId: string | null;
};

/** A grant as the form holds it: every field text, '' for nothing chosen ('' area: all of them). */
export type GrantDraft = {
  role: Role | '';
  namndId: string;
  verksamhetsomrade: string;
  enhetId: string;
};

/** Which scope fields a role asks for. */
export type Scope = {
  /** The kind of unit the grant belongs to: an utförarenhet, or one of the matching teams. */
  enhet: 'utforarenhet' | 'team' | null;
  namnd: boolean;
  verksamhetsomrade: boolean;
};

export function scopeOf(role: Role | ''): Scope {
  switch (role) {
    case 'utforare':
      return { enhet: 'utforarenhet', namnd: false, verksamhetsomrade: false };
    case 'matchare':
      return { enhet: 'team', namnd: false, verksamhetsomrade: false };
    case 'handlaggare':
    case 'loggranskare':
      return { enhet: null, namnd: true, verksamhetsomrade: false };
    case 'rapportor':
    case 'huvudrapportor':
      return { enhet: null, namnd: true, verksamhetsomrade: true };
    default:
      return { enhet: null, namnd: false, verksamhetsomrade: false };
  }
}

export const ROLE_CHOICES: { value: Role; label: string }[] = ROLES.map((role) => ({
  value: role,
  label: ROLE_LABELS[role],
}));

export const emptyGrant = (): GrantDraft => ({
  role: '',
  namndId: '',
  verksamhetsomrade: '',
  enhetId: '',
});

const fits = (enhet: OrgEnhet, kind: Scope['enhet']) =>
  kind === 'utforarenhet' ? enhet.typ === 'utforarenhet' : enhet.typ !== 'utforarenhet';

/** The units or teams a role may belong to, grouped by nämnd, names in Swedish order. */
export function unitChoices(
  org: Org | null | undefined,
  role: Role | '',
): { namnd: string; enheter: OrgEnhet[] }[] {
  const kind = scopeOf(role).enhet;
  if (!kind || !org) return [];
  return org.namnder
    .map((n) => ({
      namnd: n.namn,
      enheter: n.enheter
        .filter((e) => fits(e, kind))
        .sort((a, b) => a.namn.localeCompare(b.namn, 'sv')),
    }))
    .filter((group) => group.enheter.length > 0);
}

export function areaChoices(
  org: Org | null | undefined,
  namndId: string,
): { code: string; label: string }[] {
  return org?.namnder.find((n) => n.id === namndId)?.verksamhetsomraden ?? [];
}

/**
 * One field of a grant changed. Choices that no longer fit go: a unit of the wrong kind for the
 * new role, an area the new nämnd does not report for.
 */
export function changeGrant(
  grant: GrantDraft,
  field: keyof GrantDraft,
  value: string,
  org: Org | null | undefined,
): GrantDraft {
  const next = { ...grant, [field]: value } as GrantDraft;
  const scope = scopeOf(next.role);
  if (field === 'role' && next.enhetId) {
    const unit = org?.namnder.flatMap((n) => n.enheter).find((e) => e.id === next.enhetId);
    if (!scope.enhet || !unit || !fits(unit, scope.enhet)) next.enhetId = '';
  }
  if (
    next.verksamhetsomrade &&
    !areaChoices(org, next.namndId).some((a) => a.code === next.verksamhetsomrade)
  ) {
    next.verksamhetsomrade = '';
  }
  return next;
}

/** The grants as users.create/update take them: each with the scope its role needs, no more. */
export function toGrantInputs(grants: readonly GrantDraft[]): GrantInput[] {
  return grants.map((g): GrantInput => {
    switch (g.role) {
      case 'utforare':
      case 'matchare':
        return { role: g.role, enhetId: g.enhetId };
      case 'handlaggare':
      case 'loggranskare':
        return { role: g.role, namndId: g.namndId };
      case 'rapportor':
      case 'huvudrapportor':
        return {
          role: g.role,
          namndId: g.namndId,
          verksamhetsomrade: (g.verksamhetsomrade || null) as Verksamhetsomrade | null,
        };
      case 'admin':
        return { role: 'admin' };
      default:
        // No role chosen: checkGrants stops the form before it is sent.
        return { role: g.role } as unknown as GrantInput;
    }
  });
}

/** What is missing from the grants, keyed like the server's errors ("roles.0.enhetId"). */
export function checkGrants(
  grants: readonly GrantDraft[],
  field = 'roles',
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (grants.length === 0) errors[field] = 'Ange minst en roll';
  grants.forEach((g, i) => {
    const scope = scopeOf(g.role);
    if (!g.role) errors[`${field}.${i}.role`] = 'Välj roll';
    if (scope.enhet && !g.enhetId) {
      errors[`${field}.${i}.enhetId`] =
        scope.enhet === 'utforarenhet' ? 'Välj utförarenhet' : 'Välj team';
    }
    if (scope.namnd && !g.namndId) errors[`${field}.${i}.namndId`] = 'Välj nämnd';
  });
  return errors;
}

/** The user's grants as the form edits them. */
export function toGrantDrafts(rows: readonly GrantRow[]): GrantDraft[] {
  return rows.map((r) => ({
    role: r.role,
    namndId: r.namndId ?? '',
    verksamhetsomrade: r.verksamhetsomrade ?? '',
    enhetId: r.enhetId ?? '',
  }));
}

/** The names describeGrant needs: the server's overview, or the copy synced to the device. */
type OrgNames = {
  namnder: { id: string; namn: string; enheter: { id: string; namn: string }[] }[];
};

/** "Utförare – Kontaktpersonsenheten", "Rapportör – Socialnämnden, alla verksamhetsområden". */
export function describeGrant(grant: GrantRow, org: OrgNames | null | undefined): string {
  const label = ROLE_LABELS[grant.role];
  const namnd = (id: string | null) => org?.namnder.find((n) => n.id === id)?.namn ?? 'okänd nämnd';
  const scope = scopeOf(grant.role);
  if (scope.enhet) {
    const unit = org?.namnder.flatMap((n) => n.enheter).find((e) => e.id === grant.enhetId);
    return `${label} – ${unit?.namn ?? 'okänd enhet'}`;
  }
  if (scope.verksamhetsomrade) {
    return `${label} – ${namnd(grant.namndId)}, ${
      grant.verksamhetsomrade
        ? verksamhetsomradeLabel(grant.verksamhetsomrade as Verksamhetsomrade)
        : 'alla verksamhetsområden'
    }`;
  }
  if (scope.namnd) return `${label} – ${namnd(grant.namndId)}`;
  return label;
}
