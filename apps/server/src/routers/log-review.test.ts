import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { insertDecision, insertPerson } from '../testing/decisions';
import { bytesOf, getExport, signIn } from '../testing/export-http';
import { ORG } from '../testing/fixture';
import { callerFor, type fixedClock, useTestDatabase } from '../testing/harness';
import { pdfText } from '../testing/pdf';
import { pnr } from '../testing/personnummer';

/*
 * Loggkontroll (issue 14) through its procedures and downloads, as the fixture's loggranskare of
 * Vård- och omsorgsnämnden (and of Socialnämnden) would use them, after other users have read and
 * written the persons' data through the real procedures. The per-person extract is compared with
 * an independent query over the audit log's own columns and jsonb; the review with counts taken
 * the same way.
 */

const database = useTestDatabase();

/** The wall clock: the audit log's times are the database's now(), and a review's month with it. */
const wallClock: ReturnType<typeof fixedClock> = {
  now: () => new Date(),
  sleep: async () => {},
  slept: [],
};

const P1 = pnr('19800101', '980');
const P2 = pnr('19750505', '123');
const P3 = pnr('19900202', '456');
const NOBODY = pnr('19610303', '222');

beforeEach(async () => {
  await insertPerson(database.db, { id: 'p1', personnummer: P1 });
  await insertPerson(database.db, { id: 'p2', personnummer: P2 });
  await insertPerson(database.db, { id: 'p3', personnummer: P3 });
  // p1 has decisions in both nämnder; p2 only in Vård och omsorg, p3 only in Socialnämnden.
  await insertDecision(database.db, {
    id: 'd1',
    personId: 'p1',
    insats: 'LSS_9_10',
    beslutsdatum: '2026-09-01',
    enhetId: ORG.enhetA,
  });
  await insertDecision(database.db, {
    id: 'd2',
    personId: 'p1',
    insats: 'SOL_SARSKILT_BOENDE',
    beslutsdatum: '2026-08-01',
    verksamhetsomrade: 'SOL_ALDRE',
  });
  await insertDecision(database.db, {
    id: 'd3',
    personId: 'p2',
    insats: 'LSS_9_4',
    beslutsdatum: '2026-08-15',
    enhetId: ORG.enhetA,
  });
  await insertDecision(database.db, {
    id: 'd4',
    personId: 'p1',
    namndId: ORG.social,
    insats: 'SOL_HVB',
    verksamhetsomrade: 'SOL_IFO',
    beslutsdatum: '2026-09-10',
    handlaggareId: 'handlaggare2',
  });
  await insertDecision(database.db, {
    id: 'd5',
    personId: 'p3',
    namndId: ORG.social,
    insats: 'SOL_HVB',
    verksamhetsomrade: 'SOL_IFO',
    beslutsdatum: '2026-09-10',
    handlaggareId: 'handlaggare2',
  });
});

const as = (user: string) => callerFor(database, user, wallClock);

/** `user`'s caller on a server configured with LOG_REVIEW_SAMPLE_SIZE=`size`. */
const withSampleSize = (user: string, size: number) =>
  callerFor(database, user, wallClock, { logReviewSampleSize: size });

/** Reads and writes of the persons' data by several users, through the procedures. */
async function accessData() {
  const handlaggare1 = await as('handlaggare1');
  await handlaggare1.decisions.get({ id: 'd1' });
  await handlaggare1.decisions.get({ id: 'd3' });
  await handlaggare1.decisions.list({});
  await handlaggare1.sync.pull({ cursor: null });
  const utforare = await as('utforareA');
  await utforare.decisions.get({ id: 'd1' });
  await utforare.events.log({
    id: '0193f3c0-0000-7000-8000-0000000000a1',
    decisionId: 'd1',
    type: 'anteckning',
    date: '2026-11-20',
    text: 'Ringde',
  });
  await (await as('rapportorLss')).decisions.get({ id: 'd1' });
  await (await as('huvudrapportor')).decisions.get({ id: 'd2' });
  await (await as('handlaggare2')).decisions.get({ id: 'd4' });
  await (await as('rapportorSocial')).decisions.get({ id: 'd5' });
}

/** The audit rows about a person in a nämnd, by a query of its own over the log's columns. */
async function independentExtract(personId: string, namndId: string): Promise<number[]> {
  const { rows } = await sql<{ id: string | number }>`
    select a.id from audit_log a
    where (
      a.subject_type = 'beslut'
        and a.subject_id in (select id from decision where person_id = ${personId} and namnd_id = ${namndId})
    ) or (
      a.namnd_id = ${namndId}
        and (
          (a.subject_type = 'person' and a.subject_id = ${personId})
          or a.details ->> 'personId' = ${personId}
        )
    ) or (
      jsonb_typeof(a.details -> 'beslut') = 'array'
        and exists (
          select 1 from decision d
          where d.person_id = ${personId} and d.namnd_id = ${namndId}
            and a.details -> 'beslut' ? d.id
        )
    )
    order by a.id desc`.execute(database.db);
  return rows.map((r) => Number(r.id));
}

async function auditActions(action: string) {
  return database.db
    .selectFrom('auditLog')
    .selectAll()
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

describe('the per-person extract', () => {
  it('gives every read and write of the person’s data in the nämnd, as the log itself holds it', async () => {
    await accessData();
    const expected = await independentExtract('p1', ORG.vard);
    expect(expected.length).toBeGreaterThan(5);
    const reviewer = await as('loggranskare');
    const result = await reviewer.logReview.extract({
      namndId: ORG.vard,
      personnummer: `${P1.slice(0, 8)}-${P1.slice(8)}`,
      limit: 200,
    });
    expect(result.found).toBe(true);
    expect(result.entries.map((e) => e.id)).toEqual(expected);
    // Who, with which role, through which screen; the other nämnd's reads are not there.
    const reads = result.entries.filter((e) => e.action === 'beslut_last');
    expect(reads.map((e) => e.anvandarnamn).sort()).toEqual([
      'handlaggare1',
      'huvudrapportor',
      'rapportorlss',
      'utforarea',
    ]);
    expect(reads.every((e) => e.vad === 'Beslut läst (Beslutssidan)')).toBe(true);
    expect(result.entries.find((e) => e.anvandarnamn === 'rapportorlss')!.roll).toBe('Rapportör');
    expect(result.entries.some((e) => e.action === 'handelse_anteckning')).toBe(true);
    expect(result.entries.some((e) => e.action === 'sync_pull')).toBe(true);
    expect(result.entries.some((e) => e.action === 'beslut_listade')).toBe(true);
    expect(result.entries.some((e) => e.anvandarnamn === 'handlaggare2')).toBe(false);
    expect(result.entries.flatMap((e) => e.beslut).every((id) => ['d1', 'd2'].includes(id))).toBe(
      true,
    );

    // A page at a time gives the same rows.
    const paged: number[] = [];
    let cursor: number | undefined;
    do {
      const page = await reviewer.logReview.extract({
        namndId: ORG.vard,
        personId: 'p1',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      paged.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged.filter((id) => expected.includes(id))).toEqual(expected);

    // Each extract read is audited, naming the person (and is itself in the next extract).
    const audited = await auditActions('loggutdrag_last');
    expect(audited.length).toBeGreaterThanOrEqual(2);
    expect(audited[0]).toMatchObject({
      userId: 'loggranskare',
      role: 'loggranskare',
      subjectType: 'person',
      subjectId: 'p1',
      namndId: ORG.vard,
    });
    expect(JSON.stringify(audited[0]!.details)).not.toContain(P1);
    expect(await independentExtract('p1', ORG.vard)).toEqual(
      expect.arrayContaining(audited.map((a) => Number(a.id))),
    );
  });

  it('tells the other nämnd’s loggranskare only of its own accesses, and nothing of a person it does not have', async () => {
    await accessData();
    const social = await as('loggranskareSocial');
    const expected = await independentExtract('p1', ORG.social);
    const p1 = await social.logReview.extract({ namndId: ORG.social, personnummer: P1 });
    expect(p1.found).toBe(true);
    expect(p1.entries.map((e) => e.id)).toEqual(expected);
    expect(p1.entries.every((e) => e.beslut.every((id) => id === 'd4'))).toBe(true);
    expect(p1.entries.some((e) => e.anvandarnamn === 'handlaggare2')).toBe(true);
    expect(p1.entries.some((e) => e.anvandarnamn === 'handlaggare1')).toBe(false);

    // p2 exists, in the other nämnd only: the same answer as a personnummer nobody has.
    const p2 = await social.logReview.extract({ namndId: ORG.social, personnummer: P2 });
    const nobody = await social.logReview.extract({ namndId: ORG.social, personnummer: NOBODY });
    expect(p2).toEqual({ found: false, personId: null, entries: [], nextCursor: null });
    expect(nobody).toEqual(p2);
    expect(await social.logReview.extract({ namndId: ORG.social, personId: 'p2' })).toEqual(p2);
    const notFound = (await auditActions('loggutdrag_last')).filter((a) => a.subjectId === null);
    expect(notFound).toHaveLength(3);

    // Nor may it ask in the nämnd it does not review.
    await expect(
      social.logReview.extract({ namndId: ORG.vard, personnummer: P2 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a personnummer that is not one, and asks for one', async () => {
    const reviewer = await as('loggranskare');
    for (const bad of ['19800101-0000', '1980', 'x'.repeat(200), '']) {
      await expect(
        reviewer.logReview.extract({ namndId: ORG.vard, personnummer: bad }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    await expect(reviewer.logReview.extract({ namndId: ORG.vard })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Ange personnummer'),
    });
  });

  it('is no way into case data: the loggranskare sees no decision, list or quarter', async () => {
    await accessData();
    const reviewer = await as('loggranskare');
    await expect(reviewer.decisions.get({ id: 'd1' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(reviewer.decisions.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(reviewer.audit.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const pulled = await reviewer.sync.pull({ cursor: null });
    expect(pulled.decisions).toEqual([]);
    expect(pulled.events).toEqual([]);
  });
});

describe('the extract as CSV and PDF', () => {
  const app = () => createApp({ database, pwaRoot: '/nonexistent', clock: wallClock });

  it('downloads every row, read back by a strict CSV reader, and a PDF with them', async () => {
    await accessData();
    const expected = await independentExtract('p1', ORG.vard);
    const a = app();
    const cookie = await signIn(a, 'loggranskare');
    const csv = await getExport(a, 'loggutdrag.csv', `namndId=${ORG.vard}&personId=p1`, cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const records = readCsvWithPython(await bytesOf(csv));
    expect(records[0]).toEqual([
      'Tid',
      'Vem',
      'Användarnamn',
      'Roll',
      'Vad',
      'Händelsekod',
      'Avser',
      'Beslut',
      'Loggrad',
    ]);
    // The rows up to the download (signing in names nobody; the download's own row comes after).
    expect(records.slice(1).map((r) => Number(r[8]))).toEqual(expected);
    const read = records.find((r) => r[2] === 'rapportorlss')!;
    expect(read[4]).toBe('Beslut läst (Beslutssidan)');
    expect(read[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const pdf = await getExport(a, 'loggutdrag.pdf', `namndId=${ORG.vard}&personId=p1`, cookie);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = (await pdfText(await bytesOf(pdf))).join('\n');
    expect(text).toContain('Loggutdrag per person');
    expect(text).toContain(`${P1.slice(0, 8)}-${P1.slice(8)}`);
    expect(text).toContain('rapportorlss');
    expect(text).toContain('Beslut läst (Beslutssidan)');
    for (const id of expected) expect(text).toContain(String(id));

    const downloads = await database.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', 'in', ['loggutdrag_csv', 'loggutdrag_pdf'])
      .orderBy('id')
      .execute();
    expect(downloads).toMatchObject([
      { role: 'loggranskare', subjectType: 'person', subjectId: 'p1', namndId: ORG.vard },
      { role: 'loggranskare', subjectType: 'person', subjectId: 'p1', namndId: ORG.vard },
    ]);
  });

  it('answers 404 for a person of another nämnd and 403 to anyone but its loggranskare', async () => {
    const a = app();
    const social = await signIn(a, 'loggranskaresocial');
    const other = await getExport(a, 'loggutdrag.csv', `namndId=${ORG.social}&personId=p2`, social);
    expect(other.status).toBe(404);
    const rapportor = await signIn(a, 'huvudrapportor');
    const refused = await getExport(
      a,
      'loggutdrag.pdf',
      `namndId=${ORG.vard}&personId=p1`,
      rapportor,
    );
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('Du är inte loggranskare för den nämnden.');
  });
});

/** The month the database's now() is in, in Stockholm. */
async function currentMonth(): Promise<string> {
  const { rows } = await sql<{ m: string }>`
    select to_char(now() at time zone 'Europe/Stockholm', 'YYYY-MM') as m`.execute(database.db);
  return rows[0]!.m;
}

/** The month's accesses a review samples, by a query of its own. */
async function independentPopulation(month: string, namndId: string, reviewer: string) {
  const { rows } = await sql<{ id: string | number }>`
    select a.id from audit_log a
    where to_char(a.at at time zone 'Europe/Stockholm', 'YYYY-MM') = ${month}
      and a.user_id is not null and a.user_id <> ${reviewer}
      and (
        (a.namnd_id = ${namndId} and (
          a.subject_type in ('beslut', 'person') and a.subject_id is not null
          or jsonb_typeof(a.details -> 'beslut') = 'array' and jsonb_array_length(a.details -> 'beslut') > 0
          or jsonb_typeof(a.details -> 'personId') = 'string'
        ))
        or (a.subject_type = 'beslut' and a.subject_id in (select id from decision where namnd_id = ${namndId}))
        or exists (
          select 1 from decision d where d.namnd_id = ${namndId}
            and jsonb_typeof(a.details -> 'beslut') = 'array' and a.details -> 'beslut' ? d.id
        )
      )`.execute(database.db);
  return rows.map((r) => Number(r.id)).sort((x, y) => x - y);
}

describe('the monthly review', () => {
  it('draws the configured number of the month’s accesses once, and keeps that sample', async () => {
    await accessData();
    const reviewer = await withSampleSize('loggranskare', 3);
    // The reviewer's own reads of the log are not theirs to review.
    await reviewer.logReview.extract({ namndId: ORG.vard, personnummer: P1 });
    const month = await currentMonth();
    const population = await independentPopulation(month, ORG.vard, 'loggranskare');
    expect(population.length).toBeGreaterThan(3);

    const started = await reviewer.logReview.start({ namndId: ORG.vard, month });
    expect(started.review).toMatchObject({ month, sampleSize: 3, population: population.length });
    expect(started.items.map((i) => i.position)).toEqual([1, 2, 3]);
    const sampled = started.items.map((i) => i.auditId);
    expect(new Set(sampled).size).toBe(3);
    for (const id of sampled) expect(population).toContain(id);
    expect(started.items.every((i) => i.anvandarnamn !== 'loggranskare')).toBe(true);
    expect(started.items.every((i) => i.verdict === null)).toBe(true);

    // Started again (by the same or another reviewer, with another size): the same sample.
    const other = await withSampleSize('loggranskare', 10);
    const again = await other.logReview.start({ namndId: ORG.vard, month });
    expect(again.items.map((i) => i.auditId)).toEqual(sampled);
    expect((await reviewer.logReview.review({ namndId: ORG.vard, month }))!.items).toEqual(
      started.items,
    );
    const audited = await auditActions('loggranskning_paborjad');
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ userId: 'loggranskare', role: 'loggranskare' });
    expect((audited[0]!.details as { granskade: number[] }).granskade).toEqual(sampled);
  });

  it('takes all of a small month, and refuses a month that has not begun', async () => {
    await accessData();
    const reviewer = await as('loggranskareSocial');
    const month = await currentMonth();
    const population = await independentPopulation(month, ORG.social, 'loggranskareSocial');
    const view = await reviewer.logReview.start({ namndId: ORG.social, month });
    expect(view.items.map((i) => i.auditId).sort((x, y) => x - y)).toEqual(population);
    await expect(
      reviewer.logReview.start({ namndId: ORG.social, month: '2999-12' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    for (const bad of ['2026-13', '2026-1', 'november', '2026-11-01']) {
      await expect(
        reviewer.logReview.start({ namndId: ORG.social, month: bad }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('ÅÅÅÅ-MM') });
    }
  });

  it('marks each access, finishes only when all are judged, and reports the follow-ups', async () => {
    await accessData();
    const reviewer = await withSampleSize('loggranskare', 3);
    const month = await currentMonth();
    const namndId = ORG.vard;
    await reviewer.logReview.start({ namndId, month });

    await reviewer.logReview.mark({ namndId, month, position: 1, verdict: 'motiverad' });
    await expect(
      reviewer.logReview.mark({ namndId, month, position: 2, verdict: 'folj_upp', comment: ' ' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('följas upp'),
    });
    await expect(
      reviewer.logReview.mark({
        namndId,
        month,
        position: 2,
        verdict: 'folj_upp',
        comment: 'x'.repeat(2001),
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      reviewer.logReview.mark({ namndId, month, position: 4, verdict: 'motiverad' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await reviewer.logReview.mark({
      namndId,
      month,
      position: 2,
      verdict: 'folj_upp',
      comment: 'Läste beslut utan uppdrag; fråga enhetschefen',
    });
    await expect(reviewer.logReview.finish({ namndId, month })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: '1 åtkomst i urvalet är inte bedömd.',
    });
    await reviewer.logReview.mark({ namndId, month, position: 3, verdict: 'motiverad' });
    const finished = await reviewer.logReview.finish({ namndId, month });
    expect(finished.review.counts).toEqual({ urval: 3, motiverade: 2, foljUpp: 1, obedomda: 0 });
    expect(finished.review.finishedBy).toBe('loggranskare');
    await expect(
      reviewer.logReview.mark({ namndId, month, position: 1, verdict: 'folj_upp', comment: 'x' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(reviewer.logReview.finish({ namndId, month })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const list = await reviewer.logReview.reviews({ namndId });
    expect(list).toMatchObject([{ month, counts: { foljUpp: 1 }, finishedBy: 'loggranskare' }]);
    expect(await auditActions('loggranskningar_listade')).toMatchObject([
      { role: 'loggranskare', namndId, details: { rader: 1 } },
    ]);

    // Every step is in the log, as the loggranskare.
    const steps = await database.db
      .selectFrom('auditLog')
      .select(['action', 'role', 'subjectId'])
      // `\_`: the underscore itself, not any character (loggranskningar_listade is another step).
      .where('action', 'like', 'loggranskning\\_%')
      .orderBy('id')
      .execute();
    expect(steps.map((s) => s.action)).toEqual([
      'loggranskning_paborjad',
      'loggranskning_bedomd',
      'loggranskning_bedomd',
      'loggranskning_bedomd',
      'loggranskning_avslutad',
    ]);
    expect(
      steps.every((s) => s.role === 'loggranskare' && s.subjectId === finished.review.id),
    ).toBe(true);

    // The month's report as a PDF: the counts, and the follow-up with its comment.
    const a = createApp({ database, pwaRoot: '/nonexistent', clock: wallClock });
    const cookie = await signIn(a, 'loggranskare');
    const pdf = await getExport(
      a,
      'loggranskning.pdf',
      `namndId=${namndId}&month=${month}`,
      cookie,
    );
    expect(pdf.status).toBe(200);
    const text = (await pdfText(await bytesOf(pdf))).join('\n');
    expect(text).toContain(`Loggkontroll ${month}`);
    expect(text).toContain('Motiverade: 2. Att följa upp: 1. Inte bedömda: 0.');
    expect(text).toContain('Läste beslut utan uppdrag; fråga enhetschefen');
    expect(await auditActions('loggranskning_rapport_pdf')).toHaveLength(1);
  });
});

/** The CSV as Python's csv module reads it (semicolons, strict quoting), every record a list. */
function readCsvWithPython(bytes: Uint8Array): string[][] {
  const dir = mkdtempSync(path.join(tmpdir(), 'evb-csv-'));
  try {
    const file = path.join(dir, 'loggutdrag.csv');
    writeFileSync(file, bytes);
    const script = [
      'import csv, json, sys',
      "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:",
      "    rows = list(csv.reader(f, delimiter=';', quotechar='\"', doublequote=True, strict=True))",
      'json.dump(rows, sys.stdout, ensure_ascii=False)',
    ].join('\n');
    const result = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
    if (result.error) throw new Error(`python3 is needed to read the CSV back: ${result.error}`);
    if (result.status !== 0) throw new Error(`python3 could not read the CSV:\n${result.stderr}`);
    return JSON.parse(result.stdout) as string[][];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
