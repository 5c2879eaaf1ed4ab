import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../env';

export type DatabaseKind = DatabaseConfig['kind'];

/** A Kysely instance over the server's database; its schema has no tables yet. */
export type Db = Kysely<Record<string, never>>;

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
  if (config.kind === 'pglite') {
    const pglite = await openPglite(config.dataDir);
    const db: Db = new Kysely({ dialect: new PGliteDialect({ pglite }) });
    // Kysely closes PGlite only if it ever ran a query on it, so close it here too.
    return handle('pglite', db, async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    });
  }
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool: createPool(config.url) }) });
  return handle('postgresql', db, () => db.destroy());
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
  return PGlite.create(dir);
}

function createPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5000 });
  // An idle connection that the server drops must not crash the process; the next query
  // opens a new one.
  pool.on('error', (error) => {
    console.error(`PostgreSQL connection lost: ${error.message}`);
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
