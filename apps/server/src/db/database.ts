import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../env';
import { logError } from '../logging';
import { migrateToLatest } from './migrate';
import type { DB } from './schema';

export type DatabaseKind = DatabaseConfig['kind'];

/** A Kysely instance over the server's database. */
export type Db = Kysely<DB>;

// Dates stay `YYYY-MM-DD` strings (the domain's IsoDate) and int8 (seq, ids) become numbers: a
// Date object would shift a date by the server's zone, and seq stays far below 2^53.
const DATE_OID = 1082;
const INT8_OID = 20;
const parseDate = (value: string) => value;
const parseInt8 = (value: string) => Number(value);

const plugins = [new CamelCasePlugin()];

/**
 * How the server's queries are planned, on either database. They are short reads of indexed rows
 * of one nämnd or decision, from data that fits in memory:
 * - no JIT compilation: it costs far more than it saves here (it took ~900 ms of a 1 s quarter
 *   read when measured);
 * - no parallel workers: a request runs its reads side by side on connections of their own, and
 *   the workers of each then compete for the same cores (the quarter view's reads took 15 %
 *   longer with them);
 * - random reads priced as the memory-resident reads they are, not as the spinning disk the
 *   default (4) assumes, which made the planner read whole tables instead of looking up one
 *   nämnd's rows (the rapportör's inbox read 35 % faster without it, the quarter view 10 %).
 */
const PLANNER_SETTINGS = {
  jit: 'off',
  max_parallel_workers_per_gather: '0',
  random_page_cost: '1.1',
} as const;

export type Database = {
  kind: DatabaseKind;
  db: Db;
  /** Runs `select 1`; rejects when the database cannot answer. */
  ping(): Promise<void>;
  /** Closes the embedded database or the connection pool. */
  close(): Promise<void>;
};

/** The embedded database's folder inside `DATA_DIR`. */
export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

/**
 * Opens the configured database: PGlite in `DATA_DIR/pglite` (created if missing), or a pool of
 * connections to the PostgreSQL server at `DATABASE_URL`. Pool connections are opened lazily.
 */
export async function createDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'pglite') return openPgliteDatabase(await openPglite(config.dataDir));
  const db: Db = new Kysely({
    dialect: new PostgresDialect({ pool: createPool(config.url) }),
    plugins,
  });
  await migrateOrClose(db, () => db.destroy());
  return handle('postgresql', db, () => db.destroy());
}

/** A migrated database over an open PGlite (a folder, or memory in tests). */
export async function openPgliteDatabase(pglite: PGlite): Promise<Database> {
  const db: Db = new Kysely({ dialect: new PGliteDialect({ pglite }), plugins });
  await migrateOrClose(db, () => pglite.close());
  // PGlite is one session: settings made once hold for every query.
  for (const [name, value] of Object.entries(PLANNER_SETTINGS)) {
    await sql`select set_config(${name}, ${value}, false)`.execute(db);
  }
  // PGlite has no autovacuum: its planner statistics are only as fresh as the last ANALYZE, and
  // its visibility map as the last VACUUM, without which the quarter view's covering indexes are
  // not read index-only (several times slower). Both only touch what changed since, so the
  // embedded database's start stays quick.
  await sql`vacuum analyze`.execute(db);
  // Kysely closes PGlite only if it ever ran a query on it, so close it here too.
  return handle('pglite', db, async () => {
    await db.destroy();
    if (!pglite.closed) await pglite.close();
  });
}

async function migrateOrClose(db: Db, close: () => Promise<void>): Promise<void> {
  try {
    await migrateToLatest(db as unknown as Kysely<unknown>);
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

function handle(kind: DatabaseKind, db: Db, close: () => Promise<void>): Database {
  return {
    kind,
    db,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close,
  };
}

async function openPglite(dataDir: string): Promise<PGlite> {
  const dir = pgliteDir(dataDir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new Error(`DATA_DIR: cannot create the folder ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return PGlite.create(dir, { parsers: PGLITE_PARSERS });
}

/** PGlite's type parsers for the server's conventions (dates as strings, int8 as numbers). */
export const PGLITE_PARSERS = { [pgliteTypes.DATE]: parseDate, [pgliteTypes.INT8]: parseInt8 };

function createPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: 5000,
    options: Object.entries(PLANNER_SETTINGS)
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(' '),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === DATE_OID) return parseDate;
        if (oid === INT8_OID) return parseInt8;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that the server drops must not crash the process; the next query
  // opens a new one.
  pool.on('error', (error) => {
    logError('PostgreSQL connection lost', error);
  });
  return pool;
}

/** "embedded PGlite in /path" or "PostgreSQL at host:port/name", without credentials. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'pglite') return `embedded PGlite in ${pgliteDir(config.dataDir)}`;
  const url = new URL(config.url);
  const host = url.host || url.searchParams.get('host') || 'localhost';
  return `PostgreSQL at ${host}${url.pathname}`;
}
