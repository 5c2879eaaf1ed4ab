import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PGliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type AuditEntry, insertAudits } from '../data/audit';
import { seedFixture } from '../testing/fixture';
import { PGLITE_PARSERS } from './database';
import { migrateTo, migrateToLatest } from './migrate';
import type { DB } from './schema';

/*
 * 0017_log_review fills `audit_subject` for the audit rows written before it by the same rule
 * that insertAudits follows for rows written after it: a per-person extract finds old and new
 * rows alike.
 */

let pglite: PGlite | undefined;

afterEach(async () => {
  await pglite?.close();
});

async function openAt(migration: string): Promise<Kysely<DB>> {
  pglite = await PGlite.create({ parsers: PGLITE_PARSERS });
  const db = new Kysely<DB>({
    dialect: new PGliteDialect({ pglite }),
    plugins: [new CamelCasePlugin()],
  });
  await migrateTo(db as unknown as Kysely<unknown>, migration);
  return db;
}

/** Rows naming persons and decisions in each way the server writes them, and some naming none. */
const ENTRIES: AuditEntry[] = [
  {
    userId: 'handlaggare1',
    role: 'handlaggare',
    action: 'beslut_last',
    subjectType: 'beslut',
    subjectId: 'd1',
    namndId: 'n-vard',
  },
  {
    userId: 'handlaggare1',
    role: 'handlaggare',
    action: 'beslut_listade',
    namndId: 'n-vard',
    details: { beslut: ['d1', 'd2', 'd1'], namnder: ['n-vard'] },
  },
  {
    userId: 'handlaggare1',
    role: 'handlaggare',
    action: 'person_uppslag',
    subjectType: 'person',
    subjectId: 'p1',
    namndId: 'n-vard',
    details: { hittad: true },
  },
  {
    userId: 'handlaggare1',
    role: 'handlaggare',
    action: 'person_uppslag',
    subjectType: 'person',
    subjectId: null,
    namndId: 'n-vard',
    details: { hittad: false },
  },
  {
    userId: 'handlaggare1',
    role: 'handlaggare',
    action: 'beslut_registrerat',
    subjectType: 'beslut',
    subjectId: 'd3',
    namndId: 'n-vard',
    details: { personId: 'p2' },
  },
  {
    userId: 'utforareA',
    role: 'utforare',
    action: 'sync_pull',
    subjectType: 'beslut',
    details: { beslut: ['d3'] },
  },
  {
    userId: 'admin',
    role: 'admin',
    action: 'anvandare_skapad',
    subjectType: 'anvandare',
    subjectId: 'u9',
  },
  {
    userId: null,
    role: null,
    action: 'inloggning_misslyckad',
    details: { beslut: 'inte en lista', personId: 7 },
  },
];

async function subjects(db: Kysely<DB>, ids: readonly number[]) {
  const rows = await db
    .selectFrom('auditSubject')
    .select(['auditId', 'decisionId', 'personId'])
    .where('auditId', 'in', ids)
    .execute();
  const position = new Map(ids.map((id, i) => [id, i]));
  return rows
    .map((r) => `${position.get(Number(r.auditId))}:${r.decisionId ?? '-'}:${r.personId ?? '-'}`)
    .sort();
}

describe('0017_log_review', () => {
  it('indexes whom the earlier audit rows name as the server indexes new ones', async () => {
    const db = await openAt('0016_saml');
    await seedFixture(db);
    await db
      .insertInto('auditLog')
      .values(
        ENTRIES.map((e) => ({
          userId: e.userId,
          role: e.role,
          action: e.action,
          subjectType: e.subjectType ?? null,
          subjectId: e.subjectId ?? null,
          namndId: e.namndId ?? null,
          details: e.details ? JSON.stringify(e.details) : null,
        })),
      )
      .execute();
    const before = (await db.selectFrom('auditLog').select('id').orderBy('id').execute()).map((r) =>
      Number(r.id),
    );
    await migrateToLatest(db as unknown as Kysely<unknown>);
    await insertAudits(db, ENTRIES);
    const after = (
      await db
        .selectFrom('auditLog')
        .select('id')
        .where('id', 'not in', before)
        .orderBy('id')
        .execute()
    ).map((r) => Number(r.id));

    const expected = ['0:d1:-', '1:d1:-', '1:d2:-', '2:-:p1', '4:-:p2', '4:d3:-', '5:d3:-'];
    expect(await subjects(db, before)).toEqual(expected);
    expect(await subjects(db, after)).toEqual(expected);
    // The role exists for a grant now.
    await db
      .insertInto('userRole')
      .values({
        id: 'g-logg',
        userId: 'admin',
        role: 'loggranskare',
        namndId: 'n-vard',
        verksamhetsomrade: null,
        enhetId: null,
      })
      .execute();
  });
});
