import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createDatabase, type Database } from './database';

// A PostgreSQL server of this test's own, so it can be restarted under the running app. Runs where
// the test PostgreSQL runs (CI and `npx pnpm test`), which also means its programs are installed.
const script = fileURLToPath(new URL('../../../../test/support/postgres.sh', import.meta.url));
const enabled = Boolean(process.env.EVB_TEST_DATABASE_URL) && existsSync(script);

describe.skipIf(!enabled)('when the PostgreSQL server restarts', () => {
  let dir: string;
  let database: Database;

  beforeAll(() => {
    // The folder itself: postgres.sh hands it to the postgres user, who must be able to enter it.
    dir = mkdtempSync(path.join(tmpdir(), 'evb-reconnect-'));
  });

  afterAll(async () => {
    await database?.close();
    execFileSync('bash', [script, 'stop', dir], { stdio: 'ignore' });
  });

  it('the server keeps running and answers again once the database is back', async () => {
    const url = execFileSync('bash', [script, 'start', dir], { encoding: 'utf8' }).trim();
    database = await createDatabase({ kind: 'postgresql', url });
    const app = createApp({ database, pwaRoot: '/nonexistent' });
    expect((await app.request('/api/health')).status).toBe(200);

    execFileSync('bash', [script, 'restart', dir], { stdio: 'ignore' });

    // Connections the pool held died with the old server; new ones are opened as needed.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const status = (await app.request('/api/health')).status;
      statuses.push(status);
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  }, 120_000);
});
