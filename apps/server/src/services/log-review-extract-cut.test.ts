import { Hono } from 'hono';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { DEFAULT_AUTH_CONFIG, sessionPolicyOf } from '../auth/config';
import { extractExportHandler } from '../http/log-review-exports';
import { insertDecision, insertPerson } from '../testing/decisions';
import { bytesOf, getExport, signIn } from '../testing/export-http';
import { ORG } from '../testing/fixture';
import { type fixedClock, useTestDatabase } from '../testing/harness';
import { pnr } from '../testing/personnummer';
import { wholeExtract } from './log-review';

/*
 * A person with more accesses than an extract file holds (EXTRACT_FILE_MAX_ROWS): the file gets
 * the newest that many and says it was cut — the PDF in its text, the CSV in its name. The limit
 * is a parameter of wholeExtract and of the download's handler, so a small one shows the cut (fifty
 * thousand audit rows, each chained by the audit trigger, took minutes on PGlite). The reads are
 * put in the audit log by one statement (as insertAudits writes them: the row and whom it names).
 */

const database = useTestDatabase();

const wallClock: ReturnType<typeof fixedClock> = {
  now: () => new Date(),
  sleep: async () => {},
  slept: [],
};

beforeEach(async () => {
  await insertPerson(database.db, { id: 'p1', personnummer: pnr('19800101', '980') });
  await insertDecision(database.db, {
    id: 'd1',
    personId: 'p1',
    insats: 'LSS_9_10',
    beslutsdatum: '2026-09-01',
    enhetId: ORG.enhetA,
  });
});

/** `count` reads of the person's decision by handlaggare1; their audit ids, oldest first. */
async function seedReads(count: number): Promise<number[]> {
  const { rows } = await sql<{ id: string | number }>`
    with ins as (
      insert into audit_log (user_id, role, action, subject_type, subject_id, namnd_id, details)
      select 'handlaggare1', 'handlaggare', 'beslut_last', 'beslut', 'd1', ${ORG.vard},
             jsonb_build_object('n', n)
        from generate_series(1, ${count}::int) as n
      returning id
    ), named as (
      insert into audit_subject (audit_id, decision_id, person_id)
      select id, 'd1', null from ins
      returning audit_id
    )
    select audit_id as id from named order by audit_id`.execute(database.db);
  return rows.map((row) => Number(row.id));
}

describe('an extract cut at its limit (wholeExtract with a small one)', () => {
  it('keeps every row up to the limit, also when the last page is full', async () => {
    const ids = await seedReads(2000);
    const whole = await wholeExtract(database.db, ORG.vard, 'p1', 2000);
    expect(whole.cut).toBe(false);
    expect(whole.entries.map((e) => e.id)).toEqual([...ids].reverse());
  });

  it('past the limit keeps the newest, in order, and says it was cut', async () => {
    const ids = await seedReads(1501);
    const whole = await wholeExtract(database.db, ORG.vard, 'p1', 1500);
    expect(whole.cut).toBe(true);
    expect(whole.entries).toHaveLength(1500);
    // The oldest read is the one left out.
    expect(whole.entries.map((e) => e.id)).toEqual(ids.slice(1).reverse());
    const small = await wholeExtract(database.db, ORG.vard, 'p1', 5);
    expect(small).toMatchObject({ cut: true });
    expect(small.entries.map((e) => e.id)).toEqual(ids.slice(-5).reverse());
  });
});

describe('the CSV download past its limit', () => {
  const LIMIT = 5;
  /** The extract's CSV route cut at LIMIT, beside the whole app (which signs in). */
  function apps() {
    const deps = {
      database,
      clock: wallClock,
      sessionPolicy: sessionPolicyOf(DEFAULT_AUTH_CONFIG),
    };
    const app = createApp({ database, pwaRoot: '/nonexistent', clock: wallClock });
    const cutAt = new Hono().get(
      '/api/export/loggutdrag.csv',
      extractExportHandler(deps, 'csv', LIMIT),
    );
    return { app, cutAt };
  }
  const query = `namndId=${ORG.vard}&personId=p1`;
  /** The data rows of the CSV (CRLF lines, the header first, no blank line but the last). */
  const dataRows = async (response: Response) => {
    const lines = new TextDecoder().decode(await bytesOf(response)).split('\r\n');
    expect(lines.at(-1)).toBe('');
    return lines.slice(1, -1);
  };
  /** The last column, Loggrad: the audit row's id. */
  const loggrad = (line: string) => Number(line.slice(line.lastIndexOf(';') + 1));

  it('is whole at the limit; one access more is cut to the newest and named …-senaste-N.csv', async () => {
    const ids = await seedReads(LIMIT);
    const { app, cutAt } = apps();
    const cookie = await signIn(app, 'loggranskare');

    const whole = await getExport(cutAt, 'loggutdrag.csv', query, cookie);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-disposition')).toMatch(
      /^attachment; filename="loggutdrag-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect((await dataRows(whole)).map(loggrad)).toEqual([...ids].reverse());

    // That download is itself an access to the person, audited: one more than the file holds.
    const cut = await getExport(cutAt, 'loggutdrag.csv', query, cookie);
    expect(cut.status).toBe(200);
    expect(cut.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="loggutdrag-\\d{4}-\\d{2}-\\d{2}-senaste-${LIMIT}\\.csv"$`),
    );
    const rows = await dataRows(cut);
    expect(rows).toHaveLength(LIMIT);
    // The newest is the first download; the oldest read is the one left out.
    expect(rows[0]).toContain('loggutdrag_csv');
    expect(rows.slice(1).map(loggrad)).toEqual(ids.slice(1).reverse());
    expect(rows.map(loggrad)).not.toContain(ids[0]);

    const audited = await database.db
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'loggutdrag_csv')
      .orderBy('id')
      .execute();
    expect(audited.map((row) => row.details)).toEqual([
      { rader: LIMIT, avkortat: false },
      { rader: LIMIT, avkortat: true },
    ]);
  });
});
