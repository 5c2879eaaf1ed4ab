import { PGlite } from '@electric-sql/pglite';
import { DEFAULT_SYNC_WINDOW_MONTHS, todayInStockholm } from '@evb/domain';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { DEFAULT_SESSION_POLICY } from '../auth/sessions';
import { insertAudit } from '../data/audit';
import { rolesOfUser } from '../data/users';
import { createDatabase, type Database, openPgliteDatabase, PGLITE_PARSERS } from '../db/database';
import { appRouter } from '../router';
import type { Context, ServerClock } from '../trpc/context';
import { createCallerFactory } from '../trpc/init';
import { seedFixture } from './fixture';

/*
 * Integration tests run against the database named by EVB_TEST_DB: `pglite` (in memory) or
 * `postgresql` (the server at EVB_TEST_DATABASE_URL, each test file in a database of its own so files
 * can run side by side). vitest.config.ts runs the router tests once for each.
 */

export type TestDatabase = Database & { dispose(): Promise<void> };

export async function openTestDatabase(): Promise<TestDatabase> {
  if (process.env.EVB_TEST_DB !== 'postgresql') {
    const database = await openPgliteDatabase(await PGlite.create({ parsers: PGLITE_PARSERS }));
    return { ...database, dispose: () => database.close() };
  }
  const url = process.env.EVB_TEST_DATABASE_URL;
  if (!url) {
    throw new Error('EVB_TEST_DB=postgresql needs EVB_TEST_DATABASE_URL (a throwaway database).');
  }
  const name = `evb_test_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`create database ${name}`);
  const own = new URL(url);
  own.pathname = `/${name}`;
  const database = await createDatabase({ kind: 'postgresql', url: own.toString() });
  return {
    ...database,
    async dispose() {
      await database.close();
      await admin.query(`drop database ${name}`);
      await admin.end();
    },
  };
}

const TABLES = [
  'audit_log',
  'audit_chain',
  'audit_chain_anchor',
  'client_mutation',
  'message_handled',
  'rapport_filing',
  'case_event',
  'decision',
  'person',
  'session',
  'oidc_login',
  'login_throttle',
  'user_role',
  'app_user',
  'enhet',
  'namnd_verksamhetsomrade',
  'namnd',
  'kommun',
  'reason_code_list',
];

/** What resetDatabase empties in one database: its tables and the sequences they own. */
type ResetPlan = { tables: string[]; sequences: string[] };
const resetPlans = new WeakMap<object, Promise<ResetPlan>>();

/**
 * TABLES and every table that references one of them, at any remove (what `truncate … cascade`
 * would empty), as the database's own catalogue has them: a migration's test may hold an older
 * schema. With the sequences of their identity columns.
 */
async function resetPlanOf(database: Database): Promise<ResetPlan> {
  const { rows } = await sql<{ name: string }>`
    with recursive emptied(oid) as (
      select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relname = any(${TABLES})
      union
      select f.conrelid from pg_constraint f join emptied e on f.confrelid = e.oid
        where f.contype = 'f'
    )
    select c.relname as name from emptied e join pg_class c on c.oid = e.oid`.execute(database.db);
  const tables = rows.map((row) => row.name);
  const owned = await sql<{ name: string }>`
    select s.relname as name from pg_depend d
      join pg_class s on s.oid = d.objid and s.relkind = 'S'
      join pg_class t on t.oid = d.refobjid
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = current_schema() and t.relname = any(${tables})
        and d.deptype in ('a', 'i')`.execute(database.db);
  return { tables, sequences: owned.rows.map((row) => row.name) };
}

/**
 * Empties every table, so each test starts from the same place, and restarts their identity
 * sequences. The audit log refuses deletes and TRUNCATE (migration 0014) through triggers, which
 * do not fire in a session replicating data (session_replication_role, for superusers only: the
 * test database's owner is one); nor do the foreign keys' triggers, so the order does not matter.
 * The chain starts again from its genesis hash. DELETE, not TRUNCATE: on these few rows it takes
 * a third of the time (TRUNCATE makes every table's files anew), and it runs before almost every
 * database test, twice over (PGlite and PostgreSQL).
 */
export async function resetDatabase(database: Database): Promise<void> {
  const db = database.db;
  let plan = resetPlans.get(db);
  if (!plan) {
    plan = resetPlanOf(database);
    resetPlans.set(db, plan);
  }
  const { tables, sequences } = await plan;
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(trx);
    for (const sequence of sequences) {
      await sql`alter sequence ${sql.table(sequence)} restart`.execute(trx);
    }
  });
}

/**
 * Empties the audit log (and its chain) in the middle of a test, for a test about the rows one
 * step writes: the only way past the log's append-only triggers, as in resetDatabase.
 */
export async function clearAuditLog(database: Database): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`truncate audit_log, audit_chain, audit_chain_anchor restart identity cascade`.execute(
      trx,
    );
  });
}

export type TestDatabaseOptions = {
  /**
   * When the tables are emptied: before each test (the default), once before the file's first
   * test, or never (the file wants the new, empty database, or empties it itself).
   */
  reset?: 'eachTest' | 'once' | 'never';
  /** Seeds the fixture's organisation and users (ORG, USERS) after each reset; default true. */
  fixture?: boolean;
};

/**
 * The hooks every database test file needs: opens a test database before the file's tests,
 * empties it and seeds the fixture before each test (see the options), and disposes of it after
 * them. Returns the database, for use in hooks and tests (at the top level of the file it is not
 * open yet). Hooks the file registers after this call run after these, so a file's own
 * `beforeEach` adds its rows to the fixture.
 */
export function useTestDatabase(options: TestDatabaseOptions = {}): Database {
  const { reset = 'eachTest', fixture = true } = options;
  let current: TestDatabase | undefined;
  const open = (): TestDatabase => {
    if (!current) {
      throw new Error('useTestDatabase: the database opens in beforeAll; use it in a hook or test');
    }
    return current;
  };
  async function fresh(): Promise<void> {
    await resetDatabase(open());
    if (fixture) await seedFixture(open().db);
  }

  beforeAll(async () => {
    current = await openTestDatabase();
    if (reset === 'once') await fresh();
  });
  if (reset === 'eachTest') beforeEach(fresh);
  afterAll(async () => {
    await current?.dispose();
    current = undefined;
  });

  return {
    get kind() {
      return open().kind;
    },
    get db() {
      return open().db;
    },
    ping: () => open().ping(),
    close: () => open().close(),
  };
}

/** A clock standing still at `now`, that never sleeps. */
export function fixedClock(now: string | Date): ServerClock & { slept: number[] } {
  const at = new Date(now);
  const slept: number[] = [];
  return { now: () => at, sleep: async (ms) => void slept.push(ms), slept };
}

const createCaller = createCallerFactory(appRouter);

/**
 * A tRPC caller acting as `userId` (or nobody), with the day fixed. Cookies set by the procedure
 * are collected in `cookies`.
 */
export async function callerFor(
  database: Database,
  userId: string | null,
  clock: ServerClock = fixedClock('2026-11-22T10:00:00Z'),
  /** Settings of the server's configuration, such as logReviewSampleSize. */
  settings: Pick<Partial<Context>, 'logReviewSampleSize'> = {},
) {
  const db = database.db;
  let user: Context['user'] = null;
  if (userId) {
    const row = await db
      .selectFrom('appUser')
      .select(['id', 'username', 'displayName'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    user = { ...row, roles: await rolesOfUser(db, userId) };
  }
  const cookies: string[] = [];
  const ctx: Context = {
    db,
    databaseKind: database.kind,
    user,
    sessionId: null,
    sessionEnded: null,
    sessionPolicy: DEFAULT_SESSION_POLICY,
    clientAddress: null,
    signInLimiter: null,
    clock,
    today: () => todayInStockholm(clock.now()),
    syncWindowMonths: DEFAULT_SYNC_WINDOW_MONTHS,
    ...settings,
    setCookie: (value) => void cookies.push(value),
    setHeader: () => {},
    audit: (entry) =>
      insertAudit(db, {
        ...entry,
        userId: user?.id ?? null,
        role: entry.role ?? user?.roles.map((r) => r.role).join(',') ?? null,
      }),
  };
  return Object.assign(createCaller(ctx), { cookies, ctx });
}
