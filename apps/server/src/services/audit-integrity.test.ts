import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PGliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type AuditEntry, insertAudit, insertAudits } from '../data/audit';
import { GENESIS_HASH, verifyAuditChain } from '../data/audit-chain';
import { createDatabase, type Db, PGLITE_PARSERS } from '../db/database';
import { migrateTo, migrateToLatest } from '../db/migrate';
import type { DB } from '../db/schema';
import { useTestDatabase } from '../testing/harness';
import { retentionCutoff, runAuditPrune } from './audit-retention';

/*
 * The audit log's integrity (issue 14, migration 0014) on both databases: every row chained by
 * the database whoever writes it, UPDATE, DELETE and TRUNCATE refused, a change made past the
 * triggers found by the verifier, pruning of old rows only, and (on PostgreSQL) an application
 * role that cannot change the log at all.
 */

const database = useTestDatabase({ fixture: false });
const onPostgresql = process.env.EVB_TEST_DB === 'postgresql';

const NOW = new Date('2026-12-07T12:00:00Z');

const entry = (n: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  userId: `u${n % 3}`,
  role: 'handlaggare',
  action: 'beslut_last',
  subjectType: 'beslut',
  subjectId: `b${n}`,
  namndId: 'n-vard',
  details: { n, namn: 'Karin Lund', lista: [n, { ö: 'å' }] },
  ...extra,
});

/** Audit rows written at `at` (the log's time is the database's; a test may set an older one). */
async function writeAt(db: Db, at: Date, count: number, from = 0): Promise<number[]> {
  const rows = await db
    .insertInto('auditLog')
    .values(
      Array.from({ length: count }, (_, i) => ({
        at,
        action: 'beslut_last',
        userId: `u${from + i}`,
        details: JSON.stringify({ n: from + i }),
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

const links = (db: Db) => db.selectFrom('auditChain').selectAll().orderBy('seq').execute();

/** Runs `change` as the owner with one of the log's triggers disabled, as an intruder could. */
async function pastTrigger(db: Db, trigger: string, change: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql.raw(`alter table audit_log disable trigger ${trigger}`).execute(trx);
    await sql.raw(change).execute(trx);
    await sql.raw(`alter table audit_log enable trigger ${trigger}`).execute(trx);
  });
}

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the statement to be refused');
}

describe('the audit log’s hash chain', () => {
  it('links every row in order from the genesis hash, and verifies', async () => {
    const { db } = database;
    await insertAudit(db, entry(1));
    await insertAudits(db, [entry(2), entry(3), entry(4)]);
    await db.transaction().execute(async (trx) => {
      await insertAudit(trx, entry(5));
      await insertAudit(trx, entry(6));
    });
    const chain = await links(db);
    expect(chain.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(chain[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < chain.length; i++) expect(chain[i]?.prevHash).toBe(chain[i - 1]?.hash);
    expect(new Set(chain.map((l) => l.hash)).size).toBe(6);
    expect(await verifyAuditChain(db)).toEqual({
      checked: 6,
      anchorSeq: 0,
      head: { seq: 6, hash: chain[5]?.hash },
      broken: null,
    });
  });

  it('does not link a row whose transaction rolls back', async () => {
    const { db } = database;
    await insertAudit(db, entry(1));
    await expect(
      db.transaction().execute(async (trx) => {
        await insertAudit(trx, entry(2));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await insertAudit(db, entry(3));
    expect((await links(db)).map((l) => l.seq)).toEqual([1, 2]);
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it('stays one chain when many transactions write at once', async () => {
    const { db } = database;
    const writers = Array.from({ length: 8 }, (_, w) =>
      db.transaction().execute(async (trx) => {
        for (let i = 0; i < 5; i++) {
          await insertAudit(trx, entry(w * 10 + i));
          await sql`select pg_sleep(0.005)`.execute(trx);
        }
      }),
    );
    const single = Array.from({ length: 20 }, (_, i) => insertAudit(db, entry(100 + i)));
    await Promise.all([...writers, ...single]);
    const report = await verifyAuditChain(db);
    expect(report.broken).toBeNull();
    expect(report.checked).toBe(60);
    // A transaction's rows are linked together, one after the other, at its commit.
    const order = await db
      .selectFrom('auditChain')
      .innerJoin('auditLog', 'auditLog.id', 'auditChain.auditId')
      .select(['auditChain.seq', 'auditLog.subjectId'])
      .orderBy('auditChain.seq')
      .execute();
    expect(order).toHaveLength(60);
    for (let w = 0; w < 8; w++) {
      const seqs = order
        .filter(
          (r) =>
            Number(r.subjectId?.slice(1)) >= w * 10 && Number(r.subjectId?.slice(1)) < w * 10 + 5,
        )
        .map((r) => r.seq);
      expect(seqs).toHaveLength(5);
      expect(seqs.at(-1)! - seqs[0]!).toBe(4);
    }
  });

  // PGlite is one session and runs every transaction as READ COMMITTED.
  it.skipIf(!onPostgresql)(
    'refuses an audit row in a repeatable-read transaction, which cannot see the newest link',
    async () => {
      const { db } = database;
      const message = await refusal(() =>
        db
          .transaction()
          .setIsolationLevel('repeatable read')
          .execute((trx) => insertAudit(trx, entry(1))),
      );
      expect(message).toContain('READ COMMITTED');
      expect(await db.selectFrom('auditLog').select('id').execute()).toEqual([]);
    },
  );
});

describe('the audit log is append-only', () => {
  it('refuses UPDATE; a row changed past the trigger is found by the verifier', async () => {
    const { db } = database;
    const ids = await writeAt(db, NOW, 5);
    const target = ids[2] as number;
    expect(await refusal(() => sql`update audit_log set action = 'annat'`.execute(db))).toContain(
      'append-only',
    );
    expect(
      await refusal(() =>
        db
          .updateTable('auditLog')
          .set({ userId: 'någon-annan' })
          .where('id', '=', target)
          .execute(),
      ),
    ).toContain('append-only');
    expect((await verifyAuditChain(db)).broken).toBeNull();

    await pastTrigger(
      db,
      'audit_log_no_update',
      `update audit_log set details = '{"n": 99}' where id = ${target}`,
    );
    expect(await verifyAuditChain(db)).toMatchObject({
      checked: 2,
      broken: { auditId: target, seq: 3, reason: 'changed' },
    });
  });

  it('finds a changed time, though only the microseconds differ', async () => {
    const { db } = database;
    const ids = await writeAt(db, NOW, 3);
    await pastTrigger(
      db,
      'audit_log_no_update',
      `update audit_log set at = at + interval '1 microsecond' where id = ${ids[1]}`,
    );
    expect((await verifyAuditChain(db)).broken).toEqual({
      auditId: ids[1],
      seq: 2,
      reason: 'changed',
    });
  });

  it('refuses DELETE in the middle and at the end, and TRUNCATE; a row deleted past them is found', async () => {
    const { db } = database;
    const ids = await writeAt(db, NOW, 5);
    const middle = ids[2] as number;
    const last = ids[4] as number;
    for (const id of [middle, last]) {
      expect(
        await refusal(() => db.deleteFrom('auditLog').where('id', '=', id).execute()),
      ).toContain('append-only');
    }
    expect(await refusal(() => sql`truncate audit_log cascade`.execute(db))).toContain(
      'append-only',
    );
    expect(await refusal(() => sql`truncate audit_chain`.execute(db))).toContain('append-only');
    expect(
      await refusal(() => db.deleteFrom('auditChain').where('seq', '=', 3).execute()),
    ).toContain('append-only');
    expect(
      await refusal(() => db.updateTable('auditChain').set({ hash: 'x' }).execute()),
    ).toContain('append-only');
    expect(await db.selectFrom('auditLog').select('id').execute()).toHaveLength(5);

    await pastTrigger(db, 'audit_log_delete', `delete from audit_log where id = ${middle}`);
    expect((await verifyAuditChain(db)).broken).toEqual({
      auditId: null,
      seq: 3,
      reason: 'missing',
    });
  });

  it('finds a row written with the chain’s trigger disabled', async () => {
    const { db } = database;
    await writeAt(db, NOW, 2);
    await pastTrigger(
      db,
      'audit_log_chain',
      `insert into audit_log (action, user_id) values ('inloggning', 'u9')`,
    );
    const [sneaked] = await db
      .selectFrom('auditLog')
      .select('id')
      .orderBy('id', 'desc')
      .limit(1)
      .execute();
    expect(await verifyAuditChain(db)).toMatchObject({
      checked: 2,
      broken: { auditId: sneaked?.id, seq: null, reason: 'unchained' },
    });
  });
});

describe('audit-prune', () => {
  const sixYearsAgo = new Date('2020-06-01T08:00:00Z');
  const twoYearsAgo = new Date('2024-06-01T08:00:00Z');

  it('removes only rows past the retention, keeps the chain verifiable, and is audited', async () => {
    const { db } = database;
    await writeAt(db, sixYearsAgo, 4);
    const kept = [...(await writeAt(db, twoYearsAgo, 2, 4)), ...(await writeAt(db, NOW, 2, 6))];
    const before = await links(db);

    const dry = await runAuditPrune({ db, now: NOW, retentionYears: 5, dryRun: true });
    expect(dry).toMatchObject({ rows: 4, upToSeq: 4, dryRun: true });
    expect(dry.cutoff).toEqual(retentionCutoff(NOW, 5));
    expect(await links(db)).toEqual(before);
    expect(await db.selectFrom('auditLog').select('id').execute()).toHaveLength(8);
    expect(await db.selectFrom('auditChainAnchor').selectAll().execute()).toEqual([]);

    const run = await runAuditPrune({ db, now: NOW, retentionYears: 5, dryRun: false });
    expect(run).toMatchObject({ rows: 4, upToSeq: 4, dryRun: false });
    const left = await db.selectFrom('auditLog').selectAll().orderBy('id').execute();
    expect(left.slice(0, 4).map((r) => r.id)).toEqual(kept);
    // The pruning's own row, with counts and nothing about anyone.
    expect(left[4]).toMatchObject({
      userId: null,
      action: 'granskningslogg_gallrad',
      details: { rader: 4, anker: 4, ar: 5, fore: '2021-12-07T12:00:00.000Z' },
    });
    const [anchor] = await db.selectFrom('auditChainAnchor').selectAll().execute();
    expect(anchor).toMatchObject({ seq: 4, hash: before[3]?.hash, rows: 4 });
    expect(await verifyAuditChain(db)).toMatchObject({ checked: 5, anchorSeq: 4, broken: null });

    // The anchor is fixed, and the kept rows are as protected as before.
    expect(await refusal(() => db.deleteFrom('auditChainAnchor').execute())).toContain(
      'append-only',
    );
    expect(
      await refusal(() =>
        db
          .deleteFrom('auditLog')
          .where('id', '=', kept[0] as number)
          .execute(),
      ),
    ).toContain('append-only');

    // Nothing more to prune; with two years' retention the 2024 rows go too.
    expect(await runAuditPrune({ db, now: NOW, retentionYears: 5, dryRun: true })).toMatchObject({
      rows: 0,
      upToSeq: null,
    });
    expect(await runAuditPrune({ db, now: NOW, retentionYears: 2, dryRun: false })).toMatchObject({
      rows: 2,
      upToSeq: 6,
    });
    expect(await verifyAuditChain(db)).toMatchObject({ checked: 4, anchorSeq: 6, broken: null });
  });

  it('prunes from the start of the chain only: an old row after a younger one waits', async () => {
    const { db } = database;
    await writeAt(db, sixYearsAgo, 2);
    await writeAt(db, NOW, 1, 2);
    await writeAt(db, sixYearsAgo, 1, 3);
    expect(await runAuditPrune({ db, now: NOW, retentionYears: 5, dryRun: false })).toMatchObject({
      rows: 2,
      upToSeq: 2,
    });
    expect(await db.selectFrom('auditLog').select('userId').orderBy('id').execute()).toEqual([
      { userId: 'u2' },
      { userId: 'u3' },
      { userId: null },
    ]);
    expect((await verifyAuditChain(db)).broken).toBeNull();
  });

  it('chains new rows from the anchor when every row was pruned', async () => {
    const { db } = database;
    await writeAt(db, sixYearsAgo, 3);
    const [last] = await db.selectFrom('auditChain').select('hash').where('seq', '=', 3).execute();
    await runAuditPrune({
      db,
      now: new Date('2040-01-01T00:00:00Z'),
      retentionYears: 1,
      dryRun: false,
    });
    expect(await db.selectFrom('auditChain').select('seq').execute()).toEqual([{ seq: 4 }]);
    const [anchor] = await db.selectFrom('auditChainAnchor').selectAll().execute();
    expect(anchor).toMatchObject({ seq: 3, hash: last?.hash });
    expect(await verifyAuditChain(db)).toMatchObject({ checked: 1, anchorSeq: 3, broken: null });
  });

  it('is refused by the database for rows less than a year old, whatever asks', async () => {
    const { db } = database;
    await writeAt(db, new Date(Date.now() - 200 * 24 * 3600 * 1000), 2);
    const [link] = await db.selectFrom('auditChain').select('hash').where('seq', '=', 2).execute();
    expect(
      await refusal(() =>
        db
          .insertInto('auditChainAnchor')
          .values({ seq: 2, hash: link?.hash ?? '', cutoff: new Date(), rows: 2 })
          .execute(),
      ),
    ).toContain('less than a year old');
    expect(
      await refusal(() =>
        db
          .insertInto('auditChainAnchor')
          .values({ seq: 2, hash: GENESIS_HASH, cutoff: new Date(), rows: 2 })
          .execute(),
      ),
    ).toContain('not the hash of that link');
    expect(await db.selectFrom('auditLog').select('id').execute()).toHaveLength(2);
  });
});

describe.skipIf(!onPostgresql)('the application’s database role (PostgreSQL)', () => {
  it('writes and reads the log but can neither change nor delete it, nor prune', async () => {
    const { db } = database;
    const [{ name } = { name: '' }] = (
      await sql<{ name: string }>`select current_database() as name`.execute(db)
    ).rows;
    const role = `evb_app_${Math.random().toString(36).slice(2, 10)}`;
    // As the README advises: the tables' owner runs the migrations and audit-prune; the server's
    // role may read and write the data but not change or remove the audit log.
    for (const statement of [
      `create role ${role} login`,
      `grant usage on schema public to ${role}`,
      `grant select, insert, update, delete on all tables in schema public to ${role}`,
      `grant usage, select on all sequences in schema public to ${role}`,
      `revoke update, delete, truncate on audit_log, audit_chain, audit_chain_anchor from ${role}`,
      `revoke insert on audit_chain, audit_chain_anchor from ${role}`,
    ]) {
      await sql.raw(statement).execute(db);
    }
    const url = new URL(process.env.EVB_TEST_DATABASE_URL ?? '');
    url.username = role;
    url.password = '';
    url.pathname = `/${name}`;
    // The server starts as this role once the owner has migrated: the migrator only reads then.
    const appDatabase = await createDatabase({ kind: 'postgresql', url: url.toString() });
    const app = appDatabase.db;
    try {
      await writeAt(db, new Date('2019-01-01T00:00:00Z'), 2);
      await insertAudit(app, entry(1));
      expect(await app.selectFrom('auditLog').select('id').execute()).toHaveLength(3);
      expect((await verifyAuditChain(db)).checked).toBe(3);

      for (const attempt of [
        () => app.updateTable('auditLog').set({ action: 'annat' }).execute(),
        () => app.deleteFrom('auditLog').where('id', '=', 1).execute(),
        () => sql`truncate audit_log`.execute(app),
        () => app.deleteFrom('auditChain').execute(),
        () =>
          sql`insert into audit_chain_anchor (seq, hash, cutoff, rows) values (1, 'x', now(), 1)`.execute(
            app,
          ),
        () => runAuditPrune({ db: app, now: NOW, retentionYears: 5, dryRun: false }),
        () => sql`alter table audit_log disable trigger audit_log_no_update`.execute(app),
      ]) {
        expect(await refusal(attempt)).toMatch(/permission denied|must be owner/);
      }
      expect(await db.selectFrom('auditLog').select('id').execute()).toHaveLength(3);
      expect((await verifyAuditChain(db)).broken).toBeNull();
    } finally {
      await appDatabase.close();
      await sql.raw(`drop owned by ${role}`).execute(db);
      await sql.raw(`drop role ${role}`).execute(db);
    }
  });
});

// The migration is the same SQL on PostgreSQL; on an embedded database of its own.
describe.skipIf(onPostgresql)('migration 0014', () => {
  it('chains the rows written before it in id order, and new rows after them', async () => {
    const pglite = await PGlite.create({ parsers: PGLITE_PARSERS });
    const db = new Kysely<DB>({
      dialect: new PGliteDialect({ pglite }),
      plugins: [new CamelCasePlugin()],
    });
    try {
      await migrateTo(db as unknown as Kysely<unknown>, '0013_sync_retention');
      await db
        .insertInto('auditLog')
        .values(
          [3, 1, 2].map((n) => ({ action: 'inloggning', userId: `u${n}`, details: `{"n": ${n}}` })),
        )
        .execute();
      await migrateToLatest(db as unknown as Kysely<unknown>);
      await insertAudit(db, entry(4));
      const chain = await links(db);
      const ids = await db.selectFrom('auditLog').select('id').orderBy('id').execute();
      expect(chain.map((l) => [l.seq, l.auditId])).toEqual(ids.map((r, i) => [i + 1, r.id]));
      expect(chain[0]?.prevHash).toBe(GENESIS_HASH);
      expect(await verifyAuditChain(db)).toMatchObject({ checked: 4, broken: null });
    } finally {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    }
  });
});
