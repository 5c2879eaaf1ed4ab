import type { Db } from '../db/database';
import type { Role } from '../db/schema';

/*
 * The lookups an import from the case system makes for a whole file at once, so that its cost does
 * not grow with a query per row: the users the file names as handläggare and the decisions already
 * imported into the nämnd. (Persons are looked up one by one as each row is registered, so that
 * each look-up is audited and answered as decisions.register answers it.)
 */

export type NamedUser = {
  id: string;
  username: string;
  displayName: string;
  active: boolean;
  roles: {
    id: string;
    role: Role;
    namndId: string | null;
    verksamhetsomrade: string | null;
    enhetId: string | null;
  }[];
};

/** The users with these usernames (lower case), each with their role grants. */
export async function usersByUsername(
  db: Db,
  usernames: readonly string[],
): Promise<Map<string, NamedUser>> {
  const users = new Map<string, NamedUser>();
  if (usernames.length === 0) return users;
  const rows = await db
    .selectFrom('appUser')
    .leftJoin('userRole', 'userRole.userId', 'appUser.id')
    .select([
      'appUser.id',
      'appUser.username',
      'appUser.displayName',
      'appUser.active',
      'userRole.id as grantId',
      'userRole.role',
      'userRole.namndId',
      'userRole.verksamhetsomrade',
      'userRole.enhetId',
    ])
    .where('appUser.username', 'in', usernames)
    .orderBy('appUser.id')
    .orderBy('userRole.id')
    .execute();
  for (const row of rows) {
    let user = users.get(row.username);
    if (!user) {
      user = {
        id: row.id,
        username: row.username,
        displayName: row.displayName,
        active: row.active,
        roles: [],
      };
      users.set(row.username, user);
    }
    if (row.grantId && row.role) {
      user.roles.push({
        id: row.grantId,
        role: row.role,
        namndId: row.namndId,
        verksamhetsomrade: row.verksamhetsomrade,
        enhetId: row.enhetId,
      });
    }
  }
  return users;
}

export type ImportedDecision = {
  id: string;
  caseSystemId: string;
  personId: string;
  insats: string;
  beslutsdatum: string;
  personPersonnummer: string | null;
};

/** The nämnd's decisions imported before with these case-system ids, by that id. */
export async function importedDecisions(
  db: Db,
  namndId: string,
  caseSystemIds: readonly string[],
): Promise<Map<string, ImportedDecision>> {
  if (caseSystemIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('decision')
    .innerJoin('person', 'person.id', 'decision.personId')
    .select([
      'decision.id',
      'decision.caseSystemId',
      'decision.personId',
      'decision.insats',
      'decision.beslutsdatum',
      'person.personnummer as personPersonnummer',
    ])
    .where('decision.namndId', '=', namndId)
    .where('decision.caseSystemId', 'in', caseSystemIds)
    .execute();
  return new Map(
    rows.map((row) => [row.caseSystemId!, { ...row, caseSystemId: row.caseSystemId! }]),
  );
}
