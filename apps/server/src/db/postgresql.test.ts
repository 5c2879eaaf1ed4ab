import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createDatabase, type Database } from './database';

// The real PostgreSQL server: `.ci/run` and `test/run-all.mjs` start one and set this variable.
// Without it the suite is skipped on a developer's machine, but fails in CI.
const url = process.env.EVB_TEST_DATABASE_URL;
const required = Boolean(process.env.CI);

describe.skipIf(!url && !required)('on a real PostgreSQL server', () => {
  let database: Database;

  beforeAll(async () => {
    if (url) database = await createDatabase({ kind: 'postgresql', url });
  });

  beforeEach(() => {
    if (!url) {
      throw new Error(
        'EVB_TEST_DATABASE_URL is not set, but CI is: the PostgreSQL tests must run in CI. ' +
          'Set it to a postgresql:// URL of a throwaway database (.ci/run and test/run-all.mjs do).',
      );
    }
  });

  afterAll(async () => {
    await database?.close();
  });

  it('GET /api/health runs a query and answers ok', async () => {
    const app = createApp({ database, pwaRoot: '/nonexistent' });
    const response = await app.request('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: 'postgresql' });
  });

  it('talks to the PostgreSQL server at the URL, not to the embedded one', async () => {
    const [row] = await database.db
      .selectNoFrom((eb) => [
        eb.fn<string>('version').as('version'),
        eb.fn<number>('inet_server_port').as('port'),
      ])
      .execute();
    expect(row?.version).toMatch(/^PostgreSQL \d+/);
    expect(row?.port).toBe(Number(new URL(url ?? '').port || 5432));
  });

  it('serves concurrent health checks from the pool', async () => {
    const app = createApp({ database, pwaRoot: '/nonexistent' });
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => app.request('/api/health')),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
  });
});
