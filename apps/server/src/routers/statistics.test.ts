import { addQuarters, type CaseEvent, type Quarter, quarterBounds, quarterOf } from '@evb/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../seed/startup';
import {
  insertDecision,
  insertEvents,
  insertPerson,
  type TestDecision,
} from '../testing/decisions';
import { refusal } from '../testing/errors';
import { ORG } from '../testing/fixture';
import { callerFor, resetDatabase, useTestDatabase } from '../testing/harness';
import { sqlEndedCounts, sqlWaitingCounts } from '../testing/statistics-sql';

const database = useTestDatabase();

// Q2 2026: 1 April – 30 June, reference date 30 June.
const Q2: Quarter = { year: 2026, quarter: 2 };

beforeEach(async () => {
  await insertPerson(database.db, {
    id: 'p-kvinna',
    fornamn: 'Astrid',
    efternamn: 'Lind',
    kon: 'kvinna',
    personnummer: '198001019802',
    ivoId: '19800101-T123',
  });
  await insertPerson(database.db, {
    id: 'p-man',
    fornamn: 'Bertil',
    efternamn: 'Ek',
    kon: 'man',
    ivoId: '19750505-T010',
  });
});

async function given(decisions: TestDecision[], events: CaseEvent[] = []) {
  for (const d of decisions) await insertDecision(database.db, d);
  await insertEvents(database.db, events);
}

const DECISIONS: TestDecision[] = [
  // Waiting since 1 March: 3–6 months on 30 June.
  { id: 'vantar', personId: 'p-kvinna', insats: 'LSS_9_10', beslutsdatum: '2026-03-01' },
  // 30 June is its three-month day: not counted.
  { id: 'i-tid', personId: 'p-man', insats: 'LSS_9_10', beslutsdatum: '2026-03-30' },
  // Waiting since 2025-06-29: more than twelve months.
  { id: 'lange', personId: 'p-man', insats: 'LSS_9_4', beslutsdatum: '2025-06-29' },
  // Executed, interrupted 15 January, not resumed: an interruption, 3–6 months.
  { id: 'avbrott', personId: 'p-kvinna', insats: 'LSS_9_4', beslutsdatum: '2025-05-01' },
  // Executed in the quarter after more than three months: ended, not in the figures.
  { id: 'verkstalld', personId: 'p-man', insats: 'LSS_9_2', beslutsdatum: '2025-12-01' },
  // SoL Äldre, waiting 6–12 months: only for the rapportör of the whole nämnd.
  {
    id: 'aldre',
    personId: 'p-kvinna',
    insats: 'SOL_SARSKILT_BOENDE',
    beslutsdatum: '2025-10-15',
    verksamhetsomrade: 'SOL_ALDRE',
  },
  // Socialnämnden's: never in Vård- och omsorgsnämnden's figures.
  {
    id: 'social',
    personId: 'p-man',
    insats: 'SOL_HVB',
    beslutsdatum: '2025-10-15',
    namndId: ORG.social,
    verksamhetsomrade: 'SOL_IFO',
  },
];
const EVENTS: CaseEvent[] = [
  { id: 'a1', decisionId: 'avbrott', type: 'verkstalld', date: '2025-06-01' },
  { id: 'a2', decisionId: 'avbrott', type: 'avbrott', date: '2026-01-15' },
  { id: 'v1', decisionId: 'verkstalld', type: 'verkstalld', date: '2026-05-20' },
];

describe('statistics.quarter', () => {
  it('counts decisions and interruptions not executed within three months, by insats, sex and wait', async () => {
    await given(DECISIONS, EVENTS);
    const huvudrapportor = await callerFor(database, 'huvudrapportor');
    const report = await huvudrapportor.statistics.quarter({ namndId: ORG.vard, quarter: Q2 });
    expect(report).toMatchObject({
      namndId: ORG.vard,
      namndNamn: 'Vård- och omsorgsnämnden',
      quarterKey: '2026-Q2',
      referenceDate: '2026-06-30',
      verksamhetsomraden: null,
      legalReferences: ['34 kap. 3 § socialtjänstlagen (2025:400)', '28 h § LSS'],
    });
    expect(report.total).toEqual({
      beslut: { kvinna: 2, man: 1, total: 3 },
      avbrott: { kvinna: 1, man: 0, total: 1 },
      total: { kvinna: 3, man: 1, total: 4 },
    });
    // Grouped by law, SoL first, then LSS, each with its subtotal, insatser in the code list's order.
    expect(
      report.byLagrum.map((g) => [
        g.lagrum,
        g.label,
        g.counts.total.total,
        g.insatser.map((r) => [r.insats, r.insatsLabel, r.counts.total.total]),
      ]),
    ).toEqual([
      [
        'SoL',
        'Insatser enligt socialtjänstlagen (SoL)',
        1,
        [['SOL_SARSKILT_BOENDE', 'Särskilt boende', 1]],
      ],
      [
        'LSS',
        'Insatser enligt LSS',
        3,
        [
          ['LSS_9_4', 'Biträde av kontaktperson', 2],
          ['LSS_9_10', 'Daglig verksamhet', 1],
        ],
      ],
    ]);
    expect(report.byLagrum[1]!.counts).toEqual({
      beslut: { kvinna: 1, man: 1, total: 2 },
      avbrott: { kvinna: 1, man: 0, total: 1 },
      total: { kvinna: 2, man: 1, total: 3 },
    });
    expect(report.byWait.map((r) => [r.vantetid, r.label, r.counts.total.total])).toEqual([
      ['3_6', '3–6 månader', 2],
      ['6_12', '6–12 månader', 1],
      ['over_12', 'Mer än 12 månader', 1],
    ]);
    expect(report.endedInQuarter).toEqual({ verkstalld: 1, avslutad: 0 });
    expect(report.trend.map((t) => [t.quarterKey, t.total.total.total])).toEqual([
      ['2024-Q3', 0],
      ['2024-Q4', 0],
      ['2025-Q1', 0],
      ['2025-Q2', 0],
      ['2025-Q3', 1],
      ['2025-Q4', 1],
      ['2026-Q1', 3],
      ['2026-Q2', 4],
    ]);
  });

  it('is de-identified: no name, personnummer, IVO id or decision id in the answer', async () => {
    await given(DECISIONS, EVENTS);
    const report = await (await callerFor(database, 'huvudrapportor')).statistics.quarter({
      namndId: ORG.vard,
      quarter: Q2,
    });
    const text = JSON.stringify(report);
    for (const secret of [
      'Astrid',
      'Lind',
      'Bertil',
      '198001019802',
      '19800101',
      'T123',
      '19750505',
      'p-kvinna',
      'vantar',
      'lange',
      '2026-03-01',
      '2025-06-29',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
  });

  it('covers only the rapportör’s verksamhetsområden', async () => {
    await given(DECISIONS, EVENTS);
    const lss = await (await callerFor(database, 'rapportorLss')).statistics.quarter({
      namndId: ORG.vard,
      quarter: Q2,
    });
    expect(lss.verksamhetsomraden).toEqual(['LSS']);
    expect(lss.total.total.total).toBe(3);
    // Only the LSS group: SoL is outside the rapportör's verksamhetsområden.
    expect(lss.byLagrum.map((g) => g.lagrum)).toEqual(['LSS']);
    expect(lss.byLagrum[0]!.insatser.map((r) => r.insats)).toEqual(['LSS_9_4', 'LSS_9_10']);
    const social = await (await callerFor(database, 'rapportorSocial')).statistics.quarter({
      namndId: ORG.social,
      quarter: Q2,
    });
    expect(social.total.total).toEqual({ kvinna: 0, man: 1, total: 1 });
    // Socialnämnden's rapportör reports for SoL IFO only: the SoL group, no LSS group.
    expect(social.byLagrum.map((g) => [g.lagrum, g.counts.total.total])).toEqual([['SoL', 1]]);
  });

  it('refuses another nämnd and other roles with 403, and bad input with a Swedish 400', async () => {
    const social = await callerFor(database, 'rapportorSocial');
    expect(
      await refusal(social.statistics.quarter({ namndId: ORG.vard, quarter: Q2 })),
    ).toMatchObject({ httpStatus: 403, message: 'Du rapporterar inte för den nämnden.' });
    for (const who of ['handlaggare1', 'utforareA', 'admin'] as const) {
      const caller = await callerFor(database, who);
      expect(
        (await refusal(caller.statistics.quarter({ namndId: ORG.vard, quarter: Q2 }))).httpStatus,
      ).toBe(403);
    }
    expect(
      (
        await refusal(
          (await callerFor(database, null)).statistics.quarter({ namndId: ORG.vard, quarter: Q2 }),
        )
      ).httpStatus,
    ).toBe(401);
    const bad = await refusal(
      social.statistics.quarter({
        namndId: ORG.social,
        quarter: { year: 2026, quarter: 5 as never },
      }),
    );
    expect(bad).toMatchObject({ httpStatus: 400, message: 'quarter.quarter: Välj kvartal 1–4' });
  });

  it('is recorded in the audit log with the nämnd, the quarter and the role', async () => {
    await given(DECISIONS, EVENTS);
    await (await callerFor(database, 'rapportorLss')).statistics.quarter({
      namndId: ORG.vard,
      quarter: Q2,
    });
    const rows = await database.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'statistik_last')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userId: 'rapportorLss',
      role: 'rapportor',
      subjectType: 'statistik',
      subjectId: '2026-Q2',
      namndId: ORG.vard,
    });
  });
});

describe('statistics.quarter on the demo kommun, against an independent SQL count', () => {
  const today = '2026-11-22';

  it('gives every rapportör the figures that plain SQL over decision, case_event and person gives', async () => {
    await resetDatabase(database);
    await seedDemoIfEmpty(database.db, today);
    const grants = await database.db
      .selectFrom('userRole')
      .select(['userId', 'namndId', 'verksamhetsomrade'])
      .where('role', 'in', ['rapportor', 'huvudrapportor'])
      .orderBy('userId')
      .execute();
    expect(grants.length).toBeGreaterThan(0);
    const seen = { total: 0, avbrott: 0, over12: 0, ended: 0, man: 0 };
    // Each distinct scope once: the figures depend on the nämnd and verksamhetsområde only.
    const scopes = new Map(grants.map((g) => [`${g.namndId}|${g.verksamhetsomrade}`, g]));
    for (const grant of scopes.values()) {
      const scope = { namndId: grant.namndId!, verksamhetsomrade: grant.verksamhetsomrade };
      // A user with several grants in the nämnd would see more than this one; pick one whose
      // grants in the nämnd are exactly this scope.
      const owners = grants.filter((g) => g.namndId === scope.namndId);
      const owner = owners.find(
        (g) =>
          g.verksamhetsomrade === scope.verksamhetsomrade &&
          owners.filter((o) => o.userId === g.userId).length === 1,
      );
      if (!owner) continue;
      const caller = await callerFor(database, owner.userId);
      for (const back of [0, 1, 3]) {
        const quarter = addQuarters(quarterOf(today), -back);
        const report = await caller.statistics.quarter({ namndId: scope.namndId, quarter });
        const { start, end } = quarterBounds(quarter);
        const rows = await sqlWaitingCounts(database.db, scope, end);
        const sum = (pick: (r: (typeof rows)[number]) => boolean) =>
          rows.filter(pick).reduce((n, r) => n + r.n, 0);

        for (const kind of ['beslut', 'avbrott'] as const) {
          for (const kon of ['kvinna', 'man'] as const) {
            expect(report.total[kind][kon], `${kind} ${kon} ${end}`).toBe(
              sum((r) => r.kind === kind && r.kon === kon),
            );
          }
        }
        const insatser = [...new Set(rows.map((r) => r.insats))];
        const byInsats = report.byLagrum.flatMap((g) => g.insatser);
        expect(byInsats.map((r) => r.insats).sort()).toEqual(insatser.sort());
        for (const group of report.byLagrum) {
          const prefix = group.lagrum === 'SoL' ? 'SOL_' : 'LSS_';
          for (const row of group.insatser) expect(row.insats.startsWith(prefix)).toBe(true);
          expect(group.counts.total.total, group.lagrum).toBe(
            sum((r) => r.insats.startsWith(prefix)),
          );
          expect(group.counts.avbrott.man, group.lagrum).toBe(
            sum((r) => r.insats.startsWith(prefix) && r.kind === 'avbrott' && r.kon === 'man'),
          );
        }
        for (const row of byInsats) {
          expect(row.counts.beslut.total, row.insats).toBe(
            sum((r) => r.insats === row.insats && r.kind === 'beslut'),
          );
          expect(row.counts.avbrott.total, row.insats).toBe(
            sum((r) => r.insats === row.insats && r.kind === 'avbrott'),
          );
          expect(row.counts.total.kvinna, row.insats).toBe(
            sum((r) => r.insats === row.insats && r.kon === 'kvinna'),
          );
        }
        for (const row of report.byWait) {
          for (const kind of ['beslut', 'avbrott'] as const) {
            expect(row.counts[kind].total, `${row.vantetid} ${kind}`).toBe(
              sum((r) => r.vantetid === row.vantetid && r.kind === kind),
            );
          }
          expect(row.counts.total.man, row.vantetid).toBe(
            sum((r) => r.vantetid === row.vantetid && r.kon === 'man'),
          );
        }
        expect(report.endedInQuarter).toEqual(await sqlEndedCounts(database.db, scope, start, end));
        // The trend: every one of the eight quarters counted the same way.
        for (const point of report.trend) {
          const pointRows = await sqlWaitingCounts(database.db, scope, point.referenceDate);
          expect(point.total.total.total, point.quarterKey).toBe(
            pointRows.reduce((n, r) => n + r.n, 0),
          );
          expect(point.total.avbrott.total, point.quarterKey).toBe(
            pointRows.filter((r) => r.kind === 'avbrott').reduce((n, r) => n + r.n, 0),
          );
        }
        seen.total += report.total.total.total;
        seen.avbrott += report.total.avbrott.total;
        seen.man += report.total.total.man;
        seen.over12 += report.byWait.find((r) => r.vantetid === 'over_12')!.counts.total.total;
        seen.ended += report.endedInQuarter.verkstalld + report.endedInQuarter.avslutad;
      }
    }
    // The comparison is not vacuous: every kind of figure was non-zero somewhere.
    expect(seen.total).toBeGreaterThan(20);
    expect(seen.avbrott).toBeGreaterThan(0);
    expect(seen.man).toBeGreaterThan(0);
    expect(seen.over12).toBeGreaterThan(0);
    expect(seen.ended).toBeGreaterThan(0);
  });
});
