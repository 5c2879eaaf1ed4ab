import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { EnhetTyp, Role } from '../db/schema';

export async function findUserByUsername(db: Db, username: string) {
  return db
    .selectFrom('appUser')
    .select(['id', 'username', 'displayName', 'passwordHash', 'active', 'breakGlass'])
    .where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst();
}

/**
 * The user an identity provider's claim or attribute value names: the one whose external id is the
 * value, or else the one whose username is, provided that user has no external id (once set, it is
 * the only value that signs them in). Both compared without regard to case (auth/external-identity.ts
 * says why). Undefined when there is none.
 */
export async function findUserByExternalIdentity(db: Db, value: string) {
  const lowered = value.toLowerCase();
  const rows = await db
    .selectFrom('appUser')
    .select(['id', 'username', 'displayName', 'active', 'externalId'])
    .where((eb) =>
      eb.or([
        eb(sql<string>`lower(${sql.ref('externalId')})`, '=', lowered),
        eb.and([eb('username', '=', lowered), eb('externalId', 'is', null)]),
      ]),
    )
    .execute();
  // An external id wins over another user's username.
  return rows.find((row) => row.externalId !== null) ?? rows[0];
}

/**
 * The user with the username as a huvudrapportör of `namndId` may learn of them: one holding a
 * role in a nämnd of that nämnd's kommun (or in a unit of one), or no role tied to any nämnd or
 * unit (a fresh account the administrator created, an administrator). A user whose nämnd and unit
 * roles all lie in other kommuner is undefined, exactly as a username nobody has.
 */
export async function findUserByUsernameInKommunOf(db: Db, username: string, namndId: string) {
  return db
    .selectFrom('appUser')
    .select(['appUser.id', 'appUser.username', 'appUser.displayName', 'appUser.active'])
    .where('appUser.username', '=', username.trim().toLowerCase())
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('userRole')
            .leftJoin('enhet', 'enhet.id', 'userRole.enhetId')
            .innerJoin('namnd as roleNamnd', (join) =>
              join.on(
                sql<boolean>`${sql.ref('roleNamnd.id')} = coalesce(${sql.ref('userRole.namndId')}, ${sql.ref('enhet.namndId')})`,
              ),
            )
            .innerJoin('namnd as ownNamnd', 'ownNamnd.kommunId', 'roleNamnd.kommunId')
            .select('userRole.id')
            .whereRef('userRole.userId', '=', 'appUser.id')
            .where('ownNamnd.id', '=', namndId),
        ),
        eb.not(
          eb.exists(
            eb
              .selectFrom('userRole')
              .select('userRole.id')
              .whereRef('userRole.userId', '=', 'appUser.id')
              .where((inner) =>
                inner.or([
                  inner('userRole.namndId', 'is not', null),
                  inner('userRole.enhetId', 'is not', null),
                ]),
              ),
          ),
        ),
      ]),
    )
    .executeTakeFirst();
}

export async function rolesOfUser(db: Db, userId: string) {
  return db
    .selectFrom('userRole')
    .select(['id', 'role', 'namndId', 'verksamhetsomrade', 'enhetId'])
    .where('userId', '=', userId)
    .orderBy('role')
    .orderBy('id')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Users as an administrator manages them

const PROFILE = [
  'id',
  'username',
  'displayName',
  'email',
  'telefon',
  'active',
  'createdAt',
  'externalId',
  'breakGlass',
] as const;

export type GrantRow = {
  id: string;
  role: Role;
  namndId: string | null;
  verksamhetsomrade: string | null;
  enhetId: string | null;
};

/** Every user with their grants, in two queries. */
export async function listUsersWithRoles(db: Db) {
  const [users, roles] = await Promise.all([
    db.selectFrom('appUser').select(PROFILE).orderBy('displayName').orderBy('id').execute(),
    db
      .selectFrom('userRole')
      .select(['id', 'userId', 'role', 'namndId', 'verksamhetsomrade', 'enhetId'])
      .orderBy('role')
      .orderBy('id')
      .execute(),
  ]);
  const byUser = new Map<string, GrantRow[]>();
  for (const { userId, ...grant } of roles) {
    const list = byUser.get(userId) ?? [];
    list.push(grant);
    byUser.set(userId, list);
  }
  return users.map((user) => ({ ...user, roles: byUser.get(user.id) ?? [] }));
}

export async function findUserProfile(db: Db, id: string) {
  return db.selectFrom('appUser').select(PROFILE).where('id', '=', id).executeTakeFirst();
}

export async function findPasswordHash(db: Db, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('appUser')
    .select('passwordHash')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.passwordHash;
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  const row = await db
    .selectFrom('appUser')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertUser(
  db: Db,
  user: {
    id: string;
    username: string;
    displayName: string;
    email: string | null;
    telefon: string | null;
    passwordHash: string;
  },
): Promise<void> {
  await db.insertInto('appUser').values(user).execute();
}

/** Changes the fields given; undefined leaves a field as it is, null clears it. */
export async function updateUserProfile(
  db: Db,
  id: string,
  changes: { displayName?: string; email?: string | null; telefon?: string | null },
): Promise<void> {
  const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return;
  await db.updateTable('appUser').set(set).where('id', '=', id).execute();
}

/** How the user signs in: the provider's value that names them, and break-glass (issue 14). */
export async function setUserSignIn(
  db: Db,
  id: string,
  values: { externalId: string | null; breakGlass: boolean },
): Promise<void> {
  await db.updateTable('appUser').set(values).where('id', '=', id).execute();
}

/**
 * Whether an external id would name someone else: another user's external id, or the username of
 * another user (whose sign-in through the provider it would take over). Compared without case.
 */
export async function externalIdClash(
  db: Db,
  value: string,
  exceptUserId: string,
): Promise<'externalId' | 'username' | null> {
  const lowered = value.toLowerCase();
  const row = await db
    .selectFrom('appUser')
    .select(['externalId', 'username'])
    .where('id', '<>', exceptUserId)
    .where((eb) =>
      eb.or([
        eb(sql<string>`lower(${sql.ref('externalId')})`, '=', lowered),
        eb('username', '=', lowered),
      ]),
    )
    .orderBy('externalId')
    .executeTakeFirst();
  if (!row) return null;
  return row.externalId?.toLowerCase() === lowered ? 'externalId' : 'username';
}

export async function setUserActive(db: Db, id: string, active: boolean): Promise<void> {
  await db.updateTable('appUser').set({ active }).where('id', '=', id).execute();
}

export async function setPasswordHash(db: Db, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('appUser').set({ passwordHash }).where('id', '=', id).execute();
}

/** Replaces all of a user's grants. */
export async function replaceUserRoles(db: Db, userId: string, grants: GrantRow[]): Promise<void> {
  await db.deleteFrom('userRole').where('userId', '=', userId).execute();
  if (grants.length > 0) {
    await db
      .insertInto('userRole')
      .values(grants.map((g) => ({ ...g, userId })))
      .execute();
  }
}

/** Active administrators other than `exceptUserId`: there must always be one left. */
export async function countOtherActiveAdmins(db: Db, exceptUserId: string): Promise<number> {
  const row = await db
    .selectFrom('userRole')
    .innerJoin('appUser', 'appUser.id', 'userRole.userId')
    .select((eb) => eb.fn.count<number>('appUser.id').distinct().as('n'))
    .where('userRole.role', '=', 'admin')
    .where('appUser.active', '=', true)
    .where('appUser.id', '<>', exceptUserId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Serialises changes to who administers: taken before counting the administrators left, so two
 * administrators cannot remove each other at the same moment.
 */
export async function lockAdministration(db: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(7331002)`.execute(db);
}

// ---------------------------------------------------------------------------------------------
// The organisation a grant must fit

export type NamndWithAreas = { id: string; namn: string; verksamhetsomraden: string[] };

/** The nämnder with the verksamhetsområden each reports for; all of them when `ids` is omitted. */
export async function namnderWithAreas(db: Db, ids?: readonly string[]): Promise<NamndWithAreas[]> {
  if (ids && ids.length === 0) return [];
  let namnder = db.selectFrom('namnd').select(['id', 'namn']).orderBy('namn');
  let areas = db
    .selectFrom('namndVerksamhetsomrade')
    .select(['namndId', 'verksamhetsomrade'])
    .orderBy('verksamhetsomrade');
  if (ids) {
    namnder = namnder.where('id', 'in', ids);
    areas = areas.where('namndId', 'in', ids);
  }
  const [namndRows, areaRows] = await Promise.all([namnder.execute(), areas.execute()]);
  return namndRows.map((n) => ({
    ...n,
    verksamhetsomraden: areaRows.filter((a) => a.namndId === n.id).map((a) => a.verksamhetsomrade),
  }));
}

export type EnhetInfo = { id: string; namn: string; typ: EnhetTyp; namndId: string };

/** Units and teams; all of them when `ids` is omitted. */
export async function enheter(db: Db, ids?: readonly string[]): Promise<EnhetInfo[]> {
  if (ids && ids.length === 0) return [];
  let query = db.selectFrom('enhet').select(['id', 'namn', 'typ', 'namndId']).orderBy('namn');
  if (ids) query = query.where('id', 'in', ids);
  return query.execute();
}

// ---------------------------------------------------------------------------------------------
// The IVO reporter register of a nämnd: its rapportörer and huvudrapportörer

export type ReportingRole = 'rapportor' | 'huvudrapportor';
export const REPORTING_ROLES: readonly ReportingRole[] = ['rapportor', 'huvudrapportor'];

/** Every reporting grant in a nämnd, with its user's name and contact details. */
export async function reportingGrantsOfNamnd(db: Db, namndId: string) {
  return db
    .selectFrom('userRole')
    .innerJoin('appUser', 'appUser.id', 'userRole.userId')
    .select([
      'userRole.id',
      'userRole.userId',
      'userRole.role',
      'userRole.verksamhetsomrade',
      'appUser.username',
      'appUser.displayName',
      'appUser.email',
      'appUser.telefon',
      'appUser.active',
    ])
    .where('userRole.namndId', '=', namndId)
    .where('userRole.role', 'in', REPORTING_ROLES)
    .orderBy('appUser.displayName')
    .orderBy('userRole.userId')
    .orderBy('userRole.verksamhetsomrade')
    .execute();
}

/** Takes a user's rapportör and huvudrapportör grants in a nämnd away; how many there were. */
export async function deleteReportingGrants(
  db: Db,
  userId: string,
  namndId: string,
): Promise<number> {
  const rows = await db
    .deleteFrom('userRole')
    .where('userId', '=', userId)
    .where('namndId', '=', namndId)
    .where('role', 'in', REPORTING_ROLES)
    .returning('id')
    .execute();
  return rows.length;
}

export async function insertGrants(db: Db, userId: string, grants: GrantRow[]): Promise<void> {
  if (grants.length === 0) return;
  await db
    .insertInto('userRole')
    .values(grants.map((g) => ({ ...g, userId })))
    .execute();
}

/**
 * Locks the nämnd's row for the rest of the transaction, so that changes to its reporter register
 * happen one at a time (two huvudrapportörer cannot remove each other at once).
 */
export async function lockNamnd(db: Db, namndId: string): Promise<boolean> {
  const row = await db
    .selectFrom('namnd')
    .select('id')
    .where('id', '=', namndId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Finding a colleague to add to a reporter register

export type FoundUser = { id: string; username: string; displayName: string; active: boolean };

/**
 * The users who hold a role in one of `namndIds` (in the nämnd itself or one of its units) and
 * whose name or username contains `text`, by name; at most `limit`.
 */
export async function searchUsersOfNamnder(
  db: Db,
  namndIds: readonly string[],
  text: string,
  limit: number,
): Promise<FoundUser[]> {
  if (namndIds.length === 0) return [];
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom('appUser')
    .select(['appUser.id', 'appUser.username', 'appUser.displayName', 'appUser.active'])
    .where((eb) =>
      eb.or([
        eb('appUser.displayName', 'ilike', pattern),
        eb('appUser.username', 'ilike', pattern),
      ]),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('userRole')
          .leftJoin('enhet', 'enhet.id', 'userRole.enhetId')
          .select('userRole.id')
          .whereRef('userRole.userId', '=', 'appUser.id')
          .where((inner) =>
            inner.or([
              inner('userRole.namndId', 'in', namndIds),
              inner('enhet.namndId', 'in', namndIds),
            ]),
          ),
      ),
    )
    .orderBy('appUser.displayName')
    .orderBy('appUser.id')
    .limit(limit)
    .execute();
}
