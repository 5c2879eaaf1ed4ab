import type { CaseEvent } from '@evb/domain';
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
import { callerFor, fixedClock, resetDatabase, useTestDatabase } from '../testing/harness';
import { sqlWaitingCounts } from '../testing/statistics-sql';

const database = useTestDatabase();

// Today is 2026-06-30 in Stockholm.
const clock = fixedClock('2026-06-30T10:00:00Z');

beforeEach(async () => {
  await insertPerson(database.db, {
    id: 'p1',
    fornamn: 'Astrid',
    efternamn: 'Lind',
    ivoId: '19800101-T123',
  });
  await insertPerson(database.db, {
    id: 'p2',
    fornamn: 'Bertil',
    efternamn: 'Ek',
    kon: 'man',
    ivoId: '19750505-T010',
    skyddadIdentitet: true,
  });
});

const DECISIONS: TestDecision[] = [
  { id: 'kort', personId: 'p1', insats: 'LSS_9_10', beslutsdatum: '2026-03-01' },
  { id: 'lang', personId: 'p2', insats: 'LSS_9_4', beslutsdatum: '2025-06-29' },
  { id: 'i-tid', personId: 'p2', insats: 'LSS_9_10', beslutsdatum: '2026-03-30' },
  { id: 'verkstalld', personId: 'p1', insats: 'LSS_9_2', beslutsdatum: '2025-12-01' },
  { id: 'avbrott', personId: 'p1', insats: 'LSS_9_4', beslutsdatum: '2025-05-01' },
  {
    id: 'aldre',
    personId: 'p1',
    insats: 'SOL_SARSKILT_BOENDE',
    beslutsdatum: '2025-12-20',
    verksamhetsomrade: 'SOL_ALDRE',
  },
];
const EVENTS: CaseEvent[] = [
  { id: 'v1', decisionId: 'verkstalld', type: 'verkstalld', date: '2026-05-20' },
  { id: 'a1', decisionId: 'avbrott', type: 'verkstalld', date: '2025-06-01' },
  { id: 'a2', decisionId: 'avbrott', type: 'avbrott', date: '2026-01-15' },
];

async function given() {
  for (const d of DECISIONS) await insertDecision(database.db, d);
  await insertEvents(database.db, EVENTS);
}

describe('risk.longestWaits', () => {
  it('lists the waits past three months today, longest first, with the fee range of the decision date', async () => {
    await given();
    const caller = await callerFor(database, 'huvudrapportor', clock);
    const answer = await caller.risk.longestWaits({ namndId: ORG.vard });
    expect(answer).toMatchObject({
      namndId: ORG.vard,
      today: '2026-06-30',
      verksamhetsomraden: null,
      total: 4,
      byWait: [
        { vantetid: '3_6', label: '3–6 månader', count: 2 },
        { vantetid: '6_12', label: '6–12 månader', count: 1 },
        { vantetid: 'over_12', label: 'Mer än 12 månader', count: 1 },
      ],
    });
    expect(
      answer.rows.map((r) => [r.decisionId, r.daysWaited, r.avgift?.min, r.avgift?.max]),
    ).toEqual([
      ['lang', 366, 10_000, 1_000_000],
      ['aldre', 192, 10_000, 1_000_000],
      ['avbrott', 166, 10_000, 1_000_000],
      ['kort', 121, 15_000, 1_500_000],
    ]);
    expect(answer.rows[0]).toEqual({
      decisionId: 'lang',
      person: { ivoId: '19750505-T010', namn: 'Bertil Ek', skyddadIdentitet: true },
      insats: 'LSS_9_4',
      insatsLabel: 'Biträde av kontaktperson',
      verksamhetsomrade: 'LSS',
      lagrum: 'LSS',
      beslutsdatum: '2025-06-29',
      episode: { kind: 'beslut', start: '2025-06-29' },
      overdueFrom: '2025-09-30',
      daysWaited: 366,
      vantetid: 'over_12',
      avgift: { min: 10_000, max: 1_000_000 },
      avgiftDeadline: '2027-06-29',
      avgiftDeadlinePassed: false,
      uppskovLov: null,
    });
    expect(answer.rows[2]).toMatchObject({
      episode: { kind: 'avbrott', start: '2026-01-15' },
      // Two years from the interruption, not from the decision of 2025-05-01.
      avgiftDeadline: '2028-01-15',
    });
    expect(answer.avgiftFrist).toEqual({
      sol: '34 kap. 10 § socialtjänstlagen (2025:400)',
      lss: '28 c § LSS',
    });
  });

  it('says when the last day to serve a fee application has passed, the day after it', async () => {
    await given();
    await insertDecision(database.db, {
      id: 'gammal',
      personId: 'p1',
      insats: 'LSS_9_10',
      beslutsdatum: '2024-06-29',
    });
    await insertDecision(database.db, {
      id: 'sista-dagen',
      personId: 'p2',
      insats: 'LSS_9_10',
      beslutsdatum: '2024-06-30',
    });
    const caller = await callerFor(database, 'huvudrapportor', clock);
    const answer = await caller.risk.longestWaits({ namndId: ORG.vard });
    const row = (id: string) => answer.rows.find((r) => r.decisionId === id)!;
    expect(row('gammal')).toMatchObject({
      avgiftDeadline: '2026-06-29',
      avgiftDeadlinePassed: true,
      // Still a wait past three months, in its place in the order, with its range.
      avgift: { min: 10_000, max: 1_000_000 },
    });
    expect(row('sista-dagen')).toMatchObject({
      avgiftDeadline: '2026-06-30',
      avgiftDeadlinePassed: false,
    });
    expect(answer.rows.slice(0, 3).map((r) => r.decisionId)).toEqual([
      'gammal',
      'sista-dagen',
      'lang',
    ]);
  });

  it('gives no fee range for a SoL wait the person asked to postpone within LOV, and keeps its place', async () => {
    await given();
    const lov = (id: string, date: string, recordedAt?: string): CaseEvent => ({
      id,
      decisionId: 'aldre',
      type: 'skal',
      date,
      skal: 'hos_den_enskilde',
      orsak: 'uppskov_lov',
      ...(recordedAt ? { recordedAt } : {}),
    });
    await insertEvents(database.db, [
      {
        id: 's0',
        decisionId: 'aldre',
        type: 'skal',
        date: '2026-01-10',
        skal: 'hos_kommunen',
        orsak: 'brist_plats',
      },
      lov('s1', '2026-02-01'),
      // The same LOV orsak on an LSS decision: LSS has no such exception, the range stays.
      { ...lov('s2', '2026-04-01'), decisionId: 'kort' },
    ]);
    const caller = await callerFor(database, 'huvudrapportor', clock);
    const answer = await caller.risk.longestWaits({ namndId: ORG.vard });
    expect(answer.rows.map((r) => [r.decisionId, r.avgift, r.uppskovLov])).toEqual([
      ['lang', { min: 10_000, max: 1_000_000 }, null],
      ['aldre', null, '34 kap. 6 § socialtjänstlagen (2025:400)'],
      ['avbrott', { min: 10_000, max: 1_000_000 }, null],
      ['kort', { min: 15_000, max: 1_500_000 }, null],
    ]);
    expect(answer.total).toBe(4);

    // A reason logged later (the person no longer waits by choice) brings the range back; one
    // dated after today does not count yet.
    await insertEvents(database.db, [
      {
        id: 's3',
        decisionId: 'aldre',
        type: 'skal',
        date: '2026-07-01',
        skal: 'hos_kommunen',
        orsak: 'personal',
      },
    ]);
    const before = await caller.risk.longestWaits({ namndId: ORG.vard });
    expect(before.rows.find((r) => r.decisionId === 'aldre')!.avgift).toBeNull();
    await insertEvents(database.db, [
      {
        id: 's4',
        decisionId: 'aldre',
        type: 'skal',
        date: '2026-06-15',
        skal: 'hos_kommunen',
        orsak: 'personal',
      },
    ]);
    const after = await caller.risk.longestWaits({ namndId: ORG.vard });
    expect(after.rows.find((r) => r.decisionId === 'aldre')).toMatchObject({
      avgift: { min: 10_000, max: 1_000_000 },
      uppskovLov: null,
    });

    // Two reasons on one day: the one recorded last is the latest.
    await insertEvents(database.db, [
      lov('s5', '2026-06-20', '2026-06-20T15:00:00.000Z'),
      {
        id: 's6',
        decisionId: 'aldre',
        type: 'skal',
        date: '2026-06-20',
        skal: 'hos_kommunen',
        orsak: 'personal',
        recordedAt: '2026-06-20T09:00:00.000Z',
      },
    ]);
    const sameDay = await caller.risk.longestWaits({ namndId: ORG.vard });
    expect(sameDay.rows.find((r) => r.decisionId === 'aldre')!.avgift).toBeNull();
  });

  it('returns the longest `limit` rows and still counts them all', async () => {
    await given();
    const caller = await callerFor(database, 'huvudrapportor', clock);
    const answer = await caller.risk.longestWaits({ namndId: ORG.vard, limit: 2 });
    expect(answer.total).toBe(4);
    expect(answer.rows.map((r) => r.decisionId)).toEqual(['lang', 'aldre']);
  });

  it('covers only the rapportör’s verksamhetsområden', async () => {
    await given();
    const caller = await callerFor(database, 'rapportorLss', clock);
    const answer = await caller.risk.longestWaits({ namndId: ORG.vard });
    expect(answer.verksamhetsomraden).toEqual(['LSS']);
    expect(answer.rows.map((r) => r.decisionId)).toEqual(['lang', 'avbrott', 'kort']);
  });

  it('refuses another nämnd and other roles with 403, and a bad limit with a Swedish 400', async () => {
    await given();
    const social = await callerFor(database, 'rapportorSocial', clock);
    expect(await refusal(social.risk.longestWaits({ namndId: ORG.vard }))).toMatchObject({
      httpStatus: 403,
      message: 'Du rapporterar inte för den nämnden.',
    });
    for (const who of ['handlaggare1', 'utforareA', 'matchare', 'admin'] as const) {
      const caller = await callerFor(database, who, clock);
      expect((await refusal(caller.risk.longestWaits({ namndId: ORG.vard }))).httpStatus).toBe(403);
    }
    const caller = await callerFor(database, 'huvudrapportor', clock);
    expect(await refusal(caller.risk.longestWaits({ namndId: ORG.vard, limit: 0 }))).toMatchObject({
      httpStatus: 400,
      message: 'limit: Visa minst en rad',
    });
    expect(await refusal(caller.risk.longestWaits({ namndId: '' }))).toMatchObject({
      httpStatus: 400,
      message: 'namndId: Välj nämnd',
    });
  });

  it('records who saw which decisions in the audit log', async () => {
    await given();
    await (await callerFor(database, 'rapportorLss', clock)).risk.longestWaits({
      namndId: ORG.vard,
    });
    const rows = await database.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'risk_last')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: 'rapportorLss', role: 'rapportor', namndId: ORG.vard });
    expect(rows[0]!.details).toMatchObject({ rader: 3, beslut: ['lang', 'avbrott', 'kort'] });
  });

  it('on the demo kommun, lists as many waits as plain SQL counts waiting past three months today', async () => {
    const today = '2026-11-22';
    await resetDatabase(database);
    await seedDemoIfEmpty(database.db, today);
    const grant = await database.db
      .selectFrom('userRole')
      .select(['userId', 'namndId'])
      .where('role', '=', 'huvudrapportor')
      .orderBy('userId')
      .executeTakeFirstOrThrow();
    const caller = await callerFor(database, grant.userId, fixedClock(`${today}T10:00:00Z`));
    const answer = await caller.risk.longestWaits({ namndId: grant.namndId!, limit: 5000 });
    const rows = await sqlWaitingCounts(
      database.db,
      { namndId: grant.namndId!, verksamhetsomrade: null },
      today,
    );
    const expected = rows.reduce((n, r) => n + r.n, 0);
    expect(expected).toBeGreaterThan(5);
    expect(answer.total).toBe(expected);
    expect(answer.rows).toHaveLength(expected);
    const days = answer.rows.map((r) => r.daysWaited);
    expect(days).toEqual([...days].sort((a, b) => b - a));
  });
});
