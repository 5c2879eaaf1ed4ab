/*
 * What the server benchmarks share: the database they measure (a PostgreSQL database at
 * --database-url, or an embedded PGlite in a temporary folder or in --keep DIR), seeded with the
 * benchmark data when it is empty, and the server started in its own process as `pnpm start`
 * runs it, on that same database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IsoDate } from '@evb/domain';
import { isDatabaseEmpty } from '../apps/server/src/data/seed';
import { createDatabase, type Database } from '../apps/server/src/db/database';
import { parseSeedArgs, runSeed } from '../apps/server/src/seed/command';
import { freePort, runScript } from '../apps/server/src/testing/processes';

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

export type BenchDatabase = {
  database: Database;
  /** Removes the temporary folder (not a kept one, nor a PostgreSQL database). */
  cleanup: () => void;
  where: string;
  /** How a server started with `startServer` finds the same database. */
  serverEnv: Record<string, string>;
};

/**
 * Opens the benchmark's database: PostgreSQL at `databaseUrl`, else PGlite in `keep` (a folder a
 * later run reuses) or in a new temporary folder.
 */
export async function openBenchDatabase(options: {
  databaseUrl?: string | undefined;
  keep?: string | undefined;
}): Promise<BenchDatabase> {
  const { databaseUrl, keep } = options;
  if (databaseUrl) {
    return {
      database: await createDatabase({ kind: 'postgresql', url: databaseUrl }),
      cleanup: () => {},
      where: 'PostgreSQL',
      serverEnv: { DATABASE_URL: databaseUrl },
    };
  }
  const dir = keep ?? mkdtempSync(path.join(tmpdir(), 'evb-bench-'));
  return {
    database: await createDatabase({ kind: 'pglite', dataDir: dir }),
    cleanup: () => (keep ? undefined : rmSync(dir, { recursive: true, force: true })),
    where: `PGlite in ${dir}`,
    serverEnv: { DATA_DIR: dir },
  };
}

/**
 * Seeds `size` decisions with `eventsPerDecision` events each on average when the database is
 * empty (minutes at 100 000; it ends with VACUUM ANALYZE); a database with data is measured as it
 * is. Then prints how many decisions and events it holds.
 */
export async function seedIfEmpty(
  database: Database,
  options: { size: string; eventsPerDecision: string; today: IsoDate },
): Promise<void> {
  const { db } = database;
  if (await isDatabaseEmpty(db)) {
    const args = ['--size', options.size, '--events-per-decision', options.eventsPerDecision];
    const [ms] = await timed(() =>
      runSeed(database, parseSeedArgs(args), options.today, (line) => console.log(`  ${line}`)),
    );
    console.log(`Seeded in ${(ms / 1000).toFixed(0)} s`);
  } else {
    console.log('Reusing the data already in the database.');
  }
  const decisions = await db
    .selectFrom('decision')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const events = await db
    .selectFrom('caseEvent')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(`Data: ${Number(decisions.n)} decisions, ${Number(events.n)} events`);
}

export type RunningServer = { base: string; stop: () => Promise<void> };

/**
 * Starts the server as `pnpm start` runs it (its own process) on the benchmark's database, and
 * waits until it listens. The embedded database can be open in one program only: close it first.
 */
export async function startServer(
  serverEnv: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<RunningServer> {
  const port = await freePort();
  const server = runScript('src/main.ts', [], { ...serverEnv, PORT: String(port), ...extraEnv });
  const stop = async () => {
    if (server.child.exitCode === null) server.child.kill('SIGTERM');
    await server.exit;
  };
  const deadline = Date.now() + 120_000;
  while (!server.output().includes('evb is running at')) {
    if (server.child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`The server did not start:\n${server.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { base: `http://127.0.0.1:${port}`, stop };
}
