import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Role } from '../db/schema';
import { withAuditTriggersDisabled } from './audit-chain';
import { lockChangeSequence } from './decisions';

/*
 * The SQL of the seeder: many rows per statement, one parameter per column (`unnest` of arrays),
 * so that a few million rows go in within minutes on PGlite and PostgreSQL alike.
 */

/** A column: its SQL name and type, and how to read it from a row. */
type Column<R> = readonly [name: string, type: string, value: (row: R) => unknown];

/** Rows per INSERT statement. */
export const ROWS_PER_INSERT = 2000;

async function insertMany<R>(
  db: Db,
  table: string,
  columns: readonly Column<R>[],
  rows: readonly R[],
  rowsPerInsert = ROWS_PER_INSERT,
): Promise<void> {
  for (let from = 0; from < rows.length; from += rowsPerInsert) {
    const chunk = rows.slice(from, from + rowsPerInsert);
    const arrays = columns.map(
      ([, type, value]) => sql`${chunk.map((row) => value(row))}::${sql.raw(type)}[]`,
    );
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map(([name]) => sql.id(name)))})
      select * from unnest(${sql.join(arrays)})`.execute(db);
  }
}

const iso = (value: Date | null) => value?.toISOString() ?? null;

/** Runs `write` in one transaction that holds the change-sequence lock, as every seq write must. */
export async function inSeedTransaction(db: Db, write: (trx: Db) => Promise<void>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockChangeSequence(trx);
    await write(trx);
  });
}

/** True when nothing has been set up yet: no kommun, no user, no person, no decision. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const { rows } = await sql<{ used: boolean }>`select
      exists (select 1 from kommun) or exists (select 1 from app_user)
      or exists (select 1 from person) or exists (select 1 from decision) as used`.execute(db);
  return !rows[0]?.used;
}

/**
 * Deletes every row of every table but the migrator's own (the seed command's --reset), so that
 * tables added by later migrations are emptied too. The change sequence goes on counting, so a
 * phone that synced before never mistakes new rows for ones it has seen.
 */
export async function deleteAllData(db: Db): Promise<void> {
  const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables
    where schemaname = current_schema() and tablename not like 'kysely_migration%'`.execute(db);
  if (rows.length === 0) return;
  const truncate = sql`truncate ${sql.join(rows.map((r) => sql.table(r.name)))} cascade`;
  // The audit log refuses TRUNCATE (0014); a reset empties it as the tables' owner may.
  if (rows.some((r) => r.name === 'audit_chain')) {
    await withAuditTriggersDisabled(db, () => truncate.execute(db));
  } else {
    await truncate.execute(db);
  }
}

export type OrganisationRows = {
  kommuner: { id: string; namn: string }[];
  namnder: { id: string; kommunId: string; namn: string; areas: readonly string[] }[];
  enheter: { id: string; namndId: string; namn: string; typ: string }[];
  users: {
    id: string;
    username: string;
    displayName: string;
    email: string | null;
    telefon: string | null;
    passwordHash: string;
    grants: {
      role: Role;
      namndId?: string;
      verksamhetsomrade?: string;
      enhetId?: string;
    }[];
  }[];
};

export async function insertOrganisation(db: Db, org: OrganisationRows): Promise<void> {
  await insertMany(
    db,
    'kommun',
    [
      ['id', 'text', (k) => k.id],
      ['namn', 'text', (k) => k.namn],
    ],
    org.kommuner,
  );
  await insertMany(
    db,
    'namnd',
    [
      ['id', 'text', (n) => n.id],
      ['kommun_id', 'text', (n) => n.kommunId],
      ['namn', 'text', (n) => n.namn],
    ],
    org.namnder,
  );
  await insertMany(
    db,
    'namnd_verksamhetsomrade',
    [
      ['namnd_id', 'text', (a) => a.namndId],
      ['verksamhetsomrade', 'text', (a) => a.area],
    ],
    org.namnder.flatMap((n) => n.areas.map((area) => ({ namndId: n.id, area }))),
  );
  await insertMany(
    db,
    'enhet',
    [
      ['id', 'text', (e) => e.id],
      ['namnd_id', 'text', (e) => e.namndId],
      ['namn', 'text', (e) => e.namn],
      ['typ', 'text', (e) => e.typ],
    ],
    org.enheter,
  );
  await insertMany(
    db,
    'app_user',
    [
      ['id', 'text', (u) => u.id],
      ['username', 'text', (u) => u.username],
      ['display_name', 'text', (u) => u.displayName],
      ['email', 'text', (u) => u.email],
      ['telefon', 'text', (u) => u.telefon],
      ['password_hash', 'text', (u) => u.passwordHash],
    ],
    org.users,
  );
  await insertMany(
    db,
    'user_role',
    [
      ['id', 'text', (g) => g.id],
      ['user_id', 'text', (g) => g.userId],
      ['role', 'text', (g) => g.role],
      ['namnd_id', 'text', (g) => g.namndId ?? null],
      ['verksamhetsomrade', 'text', (g) => g.verksamhetsomrade ?? null],
      ['enhet_id', 'text', (g) => g.enhetId ?? null],
    ],
    org.users.flatMap((u) => u.grants.map((g, i) => ({ ...g, id: `${u.id}-${i}`, userId: u.id }))),
  );
}

export type PersonRow = {
  id: string;
  kommunId: string;
  fornamn: string;
  efternamn: string;
  personnummer: string | null;
  identitet: string;
  kon: string;
  fodelsedatum: string;
  skyddadIdentitet: boolean;
  ivoId: string;
  createdAt: Date;
};

export async function insertPersons(db: Db, rows: readonly PersonRow[]): Promise<void> {
  await insertMany(
    db,
    'person',
    [
      ['id', 'text', (p) => p.id],
      ['kommun_id', 'text', (p) => p.kommunId],
      ['fornamn', 'text', (p) => p.fornamn],
      ['efternamn', 'text', (p) => p.efternamn],
      ['personnummer', 'text', (p) => p.personnummer],
      ['identitet', 'text', (p) => p.identitet],
      ['kon', 'text', (p) => p.kon],
      ['fodelsedatum', 'date', (p) => p.fodelsedatum],
      ['skyddad_identitet', 'boolean', (p) => p.skyddadIdentitet],
      ['ivo_id', 'text', (p) => p.ivoId],
      ['created_at', 'timestamptz', (p) => iso(p.createdAt)],
    ],
    rows,
  );
}

export type DecisionInsert = {
  id: string;
  namndId: string;
  verksamhetsomrade: string;
  inriktning: string | null;
  inriktningText: string | null;
  personId: string;
  lagrum: string;
  insats: string;
  beslutsdatum: string;
  forhandsbesked: boolean;
  ersatterBeslutId: string | null;
  handlaggareId: string;
  enhetId: string | null;
  orderedAt: Date | null;
  extern: boolean;
  createdAt: Date;
};

/** Decisions; one that replaces another must come after it (or in the same statement). */
export async function insertDecisions(db: Db, rows: readonly DecisionInsert[]): Promise<void> {
  await insertMany(
    db,
    'decision',
    [
      ['id', 'text', (d) => d.id],
      ['namnd_id', 'text', (d) => d.namndId],
      ['verksamhetsomrade', 'text', (d) => d.verksamhetsomrade],
      ['inriktning', 'text', (d) => d.inriktning],
      ['inriktning_text', 'text', (d) => d.inriktningText],
      ['person_id', 'text', (d) => d.personId],
      ['lagrum', 'text', (d) => d.lagrum],
      ['insats', 'text', (d) => d.insats],
      ['beslutsdatum', 'date', (d) => d.beslutsdatum],
      ['forhandsbesked', 'boolean', (d) => d.forhandsbesked],
      ['ersatter_beslut_id', 'text', (d) => d.ersatterBeslutId],
      ['handlaggare_id', 'text', (d) => d.handlaggareId],
      ['enhet_id', 'text', (d) => d.enhetId],
      ['ordered_at', 'timestamptz', (d) => iso(d.orderedAt)],
      ['extern', 'boolean', (d) => d.extern],
      ['created_at', 'timestamptz', (d) => iso(d.createdAt)],
    ],
    rows,
  );
}

export type EventInsert = {
  id: string;
  decisionId: string;
  type: string;
  date: string;
  recordedAt: Date;
  recordedBy: string;
  data: Record<string, unknown>;
};

export async function insertEvents(db: Db, rows: readonly EventInsert[]): Promise<void> {
  await insertMany(
    db,
    'case_event',
    [
      ['id', 'text', (e) => e.id],
      ['decision_id', 'text', (e) => e.decisionId],
      ['type', 'text', (e) => e.type],
      ['date', 'date', (e) => e.date],
      ['recorded_at', 'timestamptz', (e) => e.recordedAt.toISOString()],
      ['recorded_by', 'text', (e) => e.recordedBy],
      ['data', 'jsonb', (e) => JSON.stringify(e.data)],
    ],
    rows,
  );
}

export type HandledMessageInsert = {
  messageKey: string;
  decisionId: string;
  handledBy: string;
  handledAt: Date;
};

export async function insertHandledMessages(
  db: Db,
  rows: readonly HandledMessageInsert[],
): Promise<void> {
  await insertMany(
    db,
    'message_handled',
    [
      ['message_key', 'text', (m) => m.messageKey],
      ['decision_id', 'text', (m) => m.decisionId],
      ['handled_by', 'text', (m) => m.handledBy],
      ['handled_at', 'timestamptz', (m) => m.handledAt.toISOString()],
    ],
    rows,
  );
}

/** Active users with these usernames, with their password hash (to tell demo users apart). */
export async function activeUsersNamed(db: Db, usernames: readonly string[]) {
  if (usernames.length === 0) return [];
  return db
    .selectFrom('appUser')
    .select(['id', 'username', 'displayName', 'passwordHash'])
    .where('username', 'in', usernames)
    .where('active', '=', true)
    .execute();
}

/** How much there is: for the seed command's report. */
export async function seedCounts(db: Db) {
  const { rows } = await sql<{ decisions: number; events: number; persons: number; users: number }>`
    select (select count(*) from decision)::int as decisions,
           (select count(*) from case_event)::int as events,
           (select count(*) from person)::int as persons,
           (select count(*) from app_user)::int as users`.execute(db);
  return rows[0]!;
}

/** The roles of these users with the names of the nämnd and unit they apply to. */
export async function grantsWithNames(db: Db, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('userRole')
    .leftJoin('namnd', 'namnd.id', 'userRole.namndId')
    .leftJoin('enhet', 'enhet.id', 'userRole.enhetId')
    .select([
      'userRole.userId',
      'userRole.role',
      'userRole.verksamhetsomrade',
      'namnd.namn as namndNamn',
      'enhet.namn as enhetNamn',
    ])
    .where('userRole.userId', 'in', userIds)
    .orderBy('userRole.id')
    .execute();
}

/**
 * Gathers the planner's statistics for every table, and marks the pages whose rows every
 * transaction sees (the visibility map), without which PostgreSQL cannot answer from an index
 * alone (the quarter view's decision read, migration 0003) and reads the table instead. Seeding
 * updates many decisions (the waiting_ended_by trigger), and PGlite never vacuums by itself.
 */
export async function vacuumAnalyzeDatabase(db: Db): Promise<void> {
  await sql`vacuum analyze`.execute(db);
}
