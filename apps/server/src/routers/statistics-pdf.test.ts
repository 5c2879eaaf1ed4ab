import type { CaseEvent } from '@evb/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import {
  insertDecision,
  insertEvents,
  insertPerson,
  type TestDecision,
} from '../testing/decisions';
import { bytesOf, getExport, signIn } from '../testing/export-http';
import { ORG } from '../testing/fixture';
import { fixedClock, useTestDatabase } from '../testing/harness';
import { pdfText } from '../testing/pdf';

/*
 * GET /api/export/statistik.pdf: the statistics report as a PDF, behind the same session and
 * access checks as the screen's procedure. The PDF is read back as text to check what it says.
 */

const database = useTestDatabase();

const DECISIONS: TestDecision[] = [
  { id: 'vantar', personId: 'p1', insats: 'LSS_9_10', beslutsdatum: '2026-03-01' },
  { id: 'lange', personId: 'p2', insats: 'LSS_9_4', beslutsdatum: '2025-06-29' },
  { id: 'avbrott', personId: 'p1', insats: 'LSS_9_4', beslutsdatum: '2025-05-01' },
  {
    id: 'aldre',
    personId: 'p1',
    insats: 'SOL_SARSKILT_BOENDE',
    beslutsdatum: '2025-10-15',
    verksamhetsomrade: 'SOL_ALDRE',
  },
];
const EVENTS: CaseEvent[] = [
  { id: 'a1', decisionId: 'avbrott', type: 'verkstalld', date: '2025-06-01' },
  { id: 'a2', decisionId: 'avbrott', type: 'avbrott', date: '2026-01-15' },
];

beforeEach(async () => {
  await insertPerson(database.db, {
    id: 'p1',
    fornamn: 'Åsa',
    efternamn: 'Öberg',
    personnummer: '198001019802',
    ivoId: '19800101-T123',
  });
  await insertPerson(database.db, {
    id: 'p2',
    fornamn: 'Bertil',
    efternamn: 'Ek',
    kon: 'man',
    ivoId: '19750505-T010',
  });
  for (const d of DECISIONS) await insertDecision(database.db, d);
  await insertEvents(database.db, EVENTS);
});

function app() {
  return createApp({
    database,
    pwaRoot: '/nonexistent',
    clock: fixedClock('2026-07-05T10:00:00Z'),
  });
}

function getPdf(a: ReturnType<typeof app>, query: string, cookie?: string) {
  return getExport(a, 'statistik.pdf', query, cookie);
}

describe('GET /api/export/statistik.pdf', () => {
  it('gives the huvudrapportör the quarter’s statistics as a Swedish PDF, de-identified', async () => {
    const a = app();
    const cookie = await signIn(a, 'huvudrapportor');
    const response = await getPdf(a, `namndId=${ORG.vard}&quarter=2026-Q2`, cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="statistik-2026-Q2.pdf"',
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    const bytes = await bytesOf(response);
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');

    const text = (await pdfText(bytes)).join('\n');
    expect(text).toContain('Statistikrapport: ej verkställda beslut');
    expect(text).toContain(
      'Vård- och omsorgsnämnden · Kvartal 2 2026 · rapporteringstillfälle 30 juni 2026',
    );
    expect(text).toContain('34 kap. 3 § socialtjänstlagen (2025:400) och 28 h § LSS');
    expect(text).toContain('Rapporten är avidentifierad');
    // Summary: 3 decisions (2 women, 1 man), 1 interruption (a woman), 4 in all.
    expect(text).toMatch(/Beslut som inte verkställts 2 1 3/);
    expect(text).toMatch(/Avbrott som inte återupptagits 1 0 1/);
    expect(text).toMatch(/Totalt 3 1 4/);
    // Per insats: SoL's insatser, then LSS's, each group closed by its subtotal, then the total.
    expect(text).toMatch(
      /Insatser enligt socialtjänstlagen \(SoL\) Särskilt boende 1 0 1 0 1 Summa SoL 1 0 1 0 1 Insatser enligt LSS Biträde av kontaktperson 1 1 1 1 2 Daglig verksamhet 1 0 1 0 1 Summa LSS 2 1 2 1 3 Totalt 3 1 3 1 4/,
    );
    expect(text).toMatch(/3–6 månader 1 1 2 0 2/);
    expect(text).toMatch(/Mer än 12 månader 1 0 0 1 1/);
    expect(text).toContain('Utveckling de senaste åtta kvartalen');
    expect(text).toMatch(/Kvartal 3 2024 \(30 september 2024\) 0 0 0/);
    expect(text).toMatch(/Kvartal 2 2026 \(30 juni 2026\) 3 1 4/);
    expect(text).toContain('Sida 1 av');
    for (const secret of ['Åsa', 'Öberg', 'Bertil', '19800101', 'T123', '198001019802', 'vantar']) {
      expect(text, secret).not.toContain(secret);
    }

    const audit = await database.db
      .selectFrom('auditLog')
      .select(['action', 'userId', 'role', 'subjectId', 'namndId'])
      .where('action', 'in', ['statistik_last', 'statistik_pdf'])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({ action: 'statistik_last', userId: 'huvudrapportor' }),
      {
        action: 'statistik_pdf',
        userId: 'huvudrapportor',
        role: 'huvudrapportor',
        subjectId: '2026-Q2',
        namndId: ORG.vard,
      },
    ]);
  });

  it('refuses nobody signed in (401), another nämnd’s rapportör (403) and other roles, in Swedish', async () => {
    const a = app();
    const anonymous = await getPdf(a, `namndId=${ORG.vard}&quarter=2026-Q2`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await anonymous.text()).toBe('Du är inte inloggad.');

    const social = await getPdf(
      a,
      `namndId=${ORG.vard}&quarter=2026-Q2`,
      await signIn(a, 'rapportorSocial'),
    );
    expect(social.status).toBe(403);
    expect(await social.text()).toBe('Du rapporterar inte för den nämnden.');

    const handlaggare = await getPdf(
      a,
      `namndId=${ORG.vard}&quarter=2026-Q2`,
      await signIn(a, 'handlaggare1'),
    );
    expect(handlaggare.status).toBe(403);
  });

  it('names a missing or malformed field with a Swedish 400', async () => {
    const a = app();
    const cookie = await signIn(a, 'huvudrapportor');
    const noQuarter = await getPdf(a, `namndId=${ORG.vard}`, cookie);
    expect(noQuarter.status).toBe(400);
    expect(await noQuarter.text()).toBe('quarter: Ange kvartal som 2026-Q2');
    const badQuarter = await getPdf(a, `namndId=${ORG.vard}&quarter=2026-Q5`, cookie);
    expect(badQuarter.status).toBe(400);
    const noNamnd = await getPdf(a, 'quarter=2026-Q2', cookie);
    expect(await noNamnd.text()).toBe('namndId: Välj nämnd');
    const oldYear = await getPdf(a, `namndId=${ORG.vard}&quarter=1500-Q1`, cookie);
    expect(oldYear.status).toBe(400);
    expect(await oldYear.text()).toBe('quarter.year: Året ska vara 1990 eller senare');
  });
});
