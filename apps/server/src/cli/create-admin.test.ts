import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../db/database';
import { callerFor } from '../testing/harness';
import { runScript } from '../testing/processes';

/*
 * `create-admin` as a process on a new embedded database, the way a deployment runs it before
 * anyone can sign in: it creates the database, the administrator signs in and can manage users.
 * On PGlite only (vitest.config.ts runs src/cli in the pglite project alone).
 */

const PASSWORD = 'första-admin-lösen';

// Each run opens (and the first creates) an embedded database in a new process: give it time.
const SLOW = 120_000;

let tmp: string;
let dataDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'evb-create-admin-test-'));
  dataDir = path.join(tmp, 'data');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function createAdmin(args: string[], env: Record<string, string> = {}) {
  const run = runScript('src/cli/create-admin.ts', args, { DATA_DIR: dataDir, ...env });
  return { code: await run.exit, output: run.output() };
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

describe('create-admin', () => {
  it(
    'creates the first administrator on a new database, who signs in and manages users',
    async () => {
      const run = await createAdmin(['--username', '  Forsta.Admin ', '--name', 'Frida Första'], {
        EVB_ADMIN_PASSWORD: PASSWORD,
      });
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain('Administratören forsta.admin (Frida Första) är skapad');

      await withDatabase(async (database) => {
        // Stored as sign-in looks it up: trimmed and in lower case.
        const user = await database.db
          .selectFrom('appUser')
          .select(['id', 'username', 'displayName', 'active'])
          .executeTakeFirstOrThrow();
        expect(user).toMatchObject({
          username: 'forsta.admin',
          displayName: 'Frida Första',
          active: true,
        });
        expect(
          await database.db
            .selectFrom('userRole')
            .select(['userId', 'role', 'namndId', 'enhetId'])
            .execute(),
        ).toEqual([{ userId: user.id, role: 'admin', namndId: null, enhetId: null }]);

        const anonymous = await callerFor(database, null);
        await expect(
          anonymous.auth.login({ username: 'Forsta.Admin', password: PASSWORD }),
        ).resolves.toMatchObject({ id: user.id });
        const sessions = await database.db.selectFrom('session').select('userId').execute();
        expect(sessions).toEqual([{ userId: user.id }]);
        const admin = await callerFor(database, user.id);
        expect((await admin.users.list()).map((u) => u.username)).toEqual(['forsta.admin']);

        // Done by the system, not by a signed-in user.
        const created = await database.db
          .selectFrom('auditLog')
          .select(['userId', 'role', 'action', 'subjectType', 'subjectId', 'namndId', 'details'])
          .where('action', '=', 'anvandare_skapad')
          .execute();
        expect(created).toEqual([
          {
            userId: null,
            role: 'system',
            action: 'anvandare_skapad',
            subjectType: 'anvandare',
            subjectId: user.id,
            namndId: null,
            details: {
              username: 'forsta.admin',
              roller: [{ role: 'admin', namndId: null, verksamhetsomrade: null, enhetId: null }],
              via: 'create-admin',
            },
          },
        ]);
      });
    },
    SLOW,
  );

  it(
    'refuses a username that is taken, in any case, and changes nothing',
    async () => {
      const run = await createAdmin(['--username', 'FORSTA.ADMIN', '--name', 'Någon Annan'], {
        EVB_ADMIN_PASSWORD: 'ett-annat-lösenord',
      });
      expect(run.code).toBe(1);
      expect(run.output).toContain('Användarnamnet forsta.admin används redan; välj ett annat.');
      await withDatabase(async (database) => {
        const users = await database.db.selectFrom('appUser').select('displayName').execute();
        expect(users).toEqual([{ displayName: 'Frida Första' }]);
      });
    },
    SLOW,
  );

  it(
    'refuses a password shorter than the app accepts, or none at all without a terminal',
    async () => {
      const short = await createAdmin(['--username', 'andra', '--name', 'Andra Admin'], {
        EVB_ADMIN_PASSWORD: 'nio-tecke',
      });
      expect(short.code).toBe(1);
      expect(short.output).toContain('Lösenordet måste ha minst 10 tecken.');

      // The runner gives no terminal, so there is nobody to ask.
      const none = await createAdmin(['--username', 'andra', '--name', 'Andra Admin']);
      expect(none.code).toBe(1);
      expect(none.output).toContain('Inget lösenord: sätt EVB_ADMIN_PASSWORD');

      await withDatabase(async (database) => {
        expect(await database.db.selectFrom('appUser').select('username').execute()).toEqual([
          { username: 'forsta.admin' },
        ]);
      });
    },
    SLOW,
  );

  it(
    'explains a wrong command line and a username the app would refuse',
    async () => {
      const missing = await createAdmin(['--username', 'andra']);
      expect(missing.code).toBe(2);
      expect(missing.output).toContain('Ange --name.');
      expect(missing.output).toContain('Användning: create-admin');

      const invalid = await createAdmin(['--username', 'an na', '--name', 'Anna'], {
        EVB_ADMIN_PASSWORD: PASSWORD,
      });
      expect(invalid.code).toBe(1);
      expect(invalid.output).toContain(
        'Användarnamnet får bara innehålla a–z, 0–9, punkt, bindestreck och understreck',
      );
    },
    SLOW,
  );
});
