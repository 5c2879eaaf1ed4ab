import { formatPersonnummer, maskPersonnummer } from '@evb/domain';
import type { AuthUser } from '../trpc/context';
import { seesFullIdentity } from './scope';

/** A person as one user may see them through one decision. */
export type PersonView = {
  id: string;
  fornamn: string;
  efternamn: string;
  /** `YYYYMMDD-NNNN`; for utförare and matchare masked to `YYYYMMDD-****`; null when none. */
  personnummer: string | null;
  identitet: 'personnummer' | 'samordningsnummer' | 'saknas';
  kon: 'kvinna' | 'man';
  fodelsedatum: string;
  skyddadIdentitet: boolean;
  ivoId: string;
  /** Whether `personnummer` is the full number. */
  fullIdentity: boolean;
};

export type StoredPerson = Omit<PersonView, 'fullIdentity'>;

/**
 * The one place the identity rule is applied, for every answer that carries a person: the
 * handläggare of the decision and the nämnd's rapportörer see the full personnummer; anyone who
 * reaches the decision only through its order (an utförare or matchare) sees it masked to the
 * birth date.
 */
export function personView(
  user: AuthUser,
  decision: { handlaggareId: string; namndId: string; verksamhetsomrade: string },
  person: StoredPerson,
): PersonView {
  const full = seesFullIdentity(user, decision);
  const pnr = person.personnummer;
  return {
    ...person,
    personnummer: pnr ? (full ? formatPersonnummer(pnr) : maskPersonnummer(pnr)) : null,
    fullIdentity: full,
  };
}

/** The columns a decision read carries for its person (see data/decisions PERSON_DETAIL_COLUMNS). */
export type PersonColumns = {
  personId: string;
  personFornamn: string;
  personEfternamn: string;
  personPersonnummer: string | null;
  personIdentitet: StoredPerson['identitet'];
  personKon: StoredPerson['kon'];
  personFodelsedatum: string;
  personSkyddadIdentitet: boolean;
  personIvoId: string;
};

export function storedPersonOf(row: PersonColumns): StoredPerson {
  return {
    id: row.personId,
    fornamn: row.personFornamn,
    efternamn: row.personEfternamn,
    personnummer: row.personPersonnummer,
    identitet: row.personIdentitet,
    kon: row.personKon,
    fodelsedatum: row.personFodelsedatum,
    skyddadIdentitet: row.personSkyddadIdentitet,
    ivoId: row.personIvoId,
  };
}
