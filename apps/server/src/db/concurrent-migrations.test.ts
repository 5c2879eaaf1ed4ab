import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase } from './database';

/*
 * Two servers started at once over one PostgreSQL database (a second replica, a restart that
 * overlaps the old process) both migrate it: Kysely's Migrator holds a PostgreSQL advisory lock
 * while it migrates, so one waits for the other and finds nothing left to do. On a new, empty
 * database of the test server, as a first deployment would be.
 */

const url = process.env.EVB_TEST_DATABASE_URL;
const required = Boolean(process.env.CI);

describe.skipIf(!url && !required)('two servers migrating one PostgreSQL database at once', () => {
  const name = `evb_migrate_${randomUUID().replaceAll('-', '')}`;
  let admin: pg.Client;
  let databaseUrl: string;

  beforeAll(async () => {
    if (!url) return;
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    databaseUrl = target.toString();
  });

  beforeEach(() => {
    if (!url) throw new Error('EVB_TEST_DATABASE_URL is not set, but CI is.');
  });

  afterAll(async () => {
    if (!admin) return;
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('both start, and every migration ran exactly once', async () => {
    const opened = await Promise.allSettled([
      createDatabase({ kind: 'postgresql', url: databaseUrl }),
      createDatabase({ kind: 'postgresql', url: databaseUrl }),
    ]);
    const databases = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    try {
      expect(opened.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual([
        'ok',
        'ok',
      ]);
      const check = new pg.Client({ connectionString: databaseUrl });
      await check.connect();
      try {
        const { rows } = await check.query<{ name: string; times: string }>(
          'select name, count(*) as times from kysely_migration group by name order by name',
        );
        expect(rows.length).toBeGreaterThanOrEqual(17);
        expect(rows.filter((r) => Number(r.times) !== 1)).toEqual([]);
        expect(rows.at(-1)?.name).toMatch(/^\d{4}_/);
      } finally {
        await check.end();
      }
      for (const database of databases) await database.ping();
    } finally {
      for (const database of databases) await database.close();
    }
  });
});
