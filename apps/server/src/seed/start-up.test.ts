import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCounts } from '../data/seed';
import { createDatabase } from '../db/database';
import { freePort, type Run, runScript } from '../testing/processes';
import { DEMO_PASSWORD, DEMO_USERNAMES } from './organisation';

/*
 * The server and the seed command as separate processes on one embedded database, the way
 * `pnpm start` and `pnpm seed` run them. Only on PGlite: the PostgreSQL run has no DATA_DIR.
 */

async function startServer(dataDir: string): Promise<Run & { port: number }> {
  const port = await freePort();
  const server = runScript('src/main.ts', [], { PORT: String(port), DATA_DIR: dataDir });
  const deadline = Date.now() + 60_000;
  while (!server.output().includes('evb is running at')) {
    if (Date.now() > deadline || server.child.exitCode !== null) {
      throw new Error(`the server did not start:\n${server.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The lines after it (database, demo users) may come in later chunks on a busy machine: read
  // until the output has been quiet for a moment.
  for (let seen = ''; seen !== server.output(); ) {
    seen = server.output();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return { ...server, port };
}

async function stop(server: Run): Promise<void> {
  server.child.kill('SIGTERM');
  expect(await server.exit).toBe(0);
}

async function decisionsIn(dataDir: string): Promise<number> {
  const database = await createDatabase({ kind: 'pglite', dataDir });
  try {
    return (await seedCounts(database.db)).decisions;
  } finally {
    await database.close();
  }
}

// Each step starts a process that opens (and may create) an embedded database: give it time.
const SLOW = 120_000;

describe.skipIf(process.env.EVB_TEST_DB === 'postgresql')('start-up and seed as processes', () => {
  let tmp: string;
  let dataDir: string;
  const servers: Run[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'evb-seed-test-'));
    dataDir = path.join(tmp, 'data');
  });
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await rm(tmp, { recursive: true, force: true });
  });

  it(
    'seeds the demo kommun on the first start, prints the demo users, and they can sign in',
    async () => {
      const server = await startServer(dataDir);
      servers.push(server);
      const output = server.output();
      expect(output).toMatch(
        /Demo data: the database was empty, so the demo kommun Exempelkommun was created \(300 decisions/,
      );
      expect(output).toContain(`password "${DEMO_PASSWORD}"`);
      for (const username of DEMO_USERNAMES)
        expect(output).toMatch(new RegExp(`^  ${username} `, 'm'));
      const origin = `http://127.0.0.1:${server.port}`;
      for (const username of DEMO_USERNAMES) {
        const response = await fetch(`${origin}/api/trpc/auth.login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin },
          body: JSON.stringify({ username, password: DEMO_PASSWORD }),
        });
        expect(response.status, username).toBe(200);
        expect(response.headers.get('set-cookie')).toMatch(/^evb_session=/);
      }
      await stop(server);
    },
    SLOW,
  );

  it(
    'does not seed again on the next start, and still prints the demo users',
    async () => {
      const server = await startServer(dataDir);
      servers.push(server);
      expect(server.output()).not.toContain('Demo data:');
      expect(server.output()).toContain(`password "${DEMO_PASSWORD}"`);
      await stop(server);
      expect(await decisionsIn(dataDir)).toBe(300);
    },
    SLOW,
  );

  it(
    'seed refuses the seeded database without --reset, and replaces it with it',
    async () => {
      const refused = runScript('src/cli/seed.ts', ['--size', '40', '--events-per-decision', '3'], {
        DATA_DIR: dataDir,
      });
      expect(await refused.exit).toBe(1);
      expect(refused.output()).toMatch(/The database is not empty \(\d+ users, 300 decisions\)/);

      const reset = runScript(
        'src/cli/seed.ts',
        ['--size', '40', '--events-per-decision', '3', '--reset'],
        {
          DATA_DIR: dataDir,
        },
      );
      expect(await reset.exit, reset.output()).toBe(0);
      expect(reset.output()).toMatch(/Seeded 40 decisions, [\d,]+ events \(\d\.\d per decision\)/);
      expect(reset.output()).toContain('Demo users');
      expect(await decisionsIn(dataDir)).toBe(40);
    },
    SLOW,
  );

  it(
    'seed explains a wrong command line',
    async () => {
      const wrong = runScript('src/cli/seed.ts', ['--size', 'many'], { DATA_DIR: dataDir });
      expect(await wrong.exit).toBe(2);
      expect(wrong.output()).toContain('--size must be a whole number');
      expect(wrong.output()).toContain('Usage: seed');
    },
    SLOW,
  );
});
