import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../db/database';
import { runScript } from '../testing/processes';

/*
 * `audit-prune` and `audit-verify` as processes on an embedded database, the way an operator runs
 * them: a dry run changes nothing, pruning removes the old rows and leaves the chain intact, and a
 * row changed past the database's triggers makes `audit-verify` fail naming its id, and nothing
 * else about it. On PGlite only (vitest.config.ts runs src/cli in the pglite project alone).
 */

// Each run opens the embedded database in a new process: give it time.
const SLOW = 120_000;

let tmp: string;
let dataDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'evb-audit-commands-test-'));
  dataDir = path.join(tmp, 'data');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function run(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const child = runScript(`src/cli/${script}.ts`, args, { DATA_DIR: dataDir, ...env });
  return { code: await child.exit, output: child.output() };
}

/** Opens the embedded database between runs (one program at a time may have it open). */
async function withDatabase<T>(use: (database: Database) => Promise<T>): Promise<T> {
  const database = await createDatabase({ kind: 'pglite', dataDir });
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}

const count = (database: Database) =>
  database.db
    .selectFrom('auditLog')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

describe('audit-prune and audit-verify', () => {
  it(
    'prunes only old rows, dry run first, and finds a changed row by its id alone',
    async () => {
      await withDatabase(async ({ db }) => {
        const row = (at: string, n: number) => ({
          at,
          action: 'beslut_last',
          userId: `u${n}`,
          subjectType: 'person',
          subjectId: `p${n}`,
          details: JSON.stringify({ namn: 'Karin Lund', personnummer: '19121212-1212' }),
        });
        await db
          .insertInto('auditLog')
          .values([1, 2, 3].map((n) => row('2019-03-01T10:00:00Z', n)))
          .execute();
        await db
          .insertInto('auditLog')
          .values([4, 5].map((n) => row(new Date().toISOString(), n)))
          .execute();
      });

      const dry = await run('audit-prune', ['--dry-run']);
      expect(dry.code, dry.output).toBe(0);
      expect(dry.output).toContain('Skulle ta bort 3 loggposter äldre än 5 år');
      expect(await withDatabase(count)).toBe(5);

      const wrong = await run('audit-prune', [], { AUDIT_RETENTION_YEARS: 'fem' });
      expect(wrong.code).toBe(1);
      expect(wrong.output).toContain(
        'AUDIT_RETENTION_YEARS: must be a whole number from 1 to 100, got "fem"',
      );

      const pruned = await run('audit-prune');
      expect(pruned.code, pruned.output).toBe(0);
      expect(pruned.output).toContain('Tog bort 3 loggposter äldre än 5 år');
      // The two young rows and the pruning's own.
      expect(await withDatabase(count)).toBe(3);

      const intact = await run('audit-verify');
      expect(intact.code, intact.output).toBe(0);
      expect(intact.output).toContain('Kontrollerade länkar från länk 4 (äldre är gallrade): 3.');
      expect(intact.output).toMatch(/Senaste länk: 6, hash [0-9a-f]{64}\./);
      expect(intact.output).toContain('Kedjan är hel.');

      const id = await withDatabase(async ({ db }) => {
        const [first] = await db
          .selectFrom('auditLog')
          .select('id')
          .orderBy('id')
          .limit(1)
          .execute();
        await db.transaction().execute(async (trx) => {
          await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
          await sql`update audit_log set user_id = 'u9' where id = ${first?.id}`.execute(trx);
          await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
        });
        return first?.id;
      });
      const broken = await run('audit-verify');
      expect(broken.code, broken.output).toBe(1);
      expect(broken.output).toContain(
        `Kedjan är bruten vid loggpost ${id}, länk 4: posten eller dess länk har ändrats.`,
      );
      for (const secret of ['Karin', '19121212', 'u9', 'p4'])
        expect(broken.output).not.toContain(secret);
    },
    SLOW,
  );

  it('refuses an unknown option', async () => {
    const wrong = await run('audit-verify', ['--fix']);
    expect(wrong.code).toBe(2);
    expect(wrong.output).toContain('Användning: audit-verify');
  });
});
