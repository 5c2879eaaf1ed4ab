import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { insertDecision, insertPerson } from '../testing/decisions';
import { refusal } from '../testing/errors';
import { ORG } from '../testing/fixture';
import { callerFor, useTestDatabase } from '../testing/harness';

const database = useTestDatabase();

type Entry = {
  at: string;
  userId: string | null;
  role: string;
  action: string;
  namndId: string | null;
  subjectType?: string;
  subjectId?: string;
};

// In Stockholm (UTC+1 in November) 2026-11-20T23:30Z is already 21 November.
const ENTRIES: Entry[] = [
  {
    at: '2026-11-19T09:00:00Z',
    userId: 'handlaggare1',
    role: 'handlaggare',
    action: 'beslut_registrerat',
    namndId: ORG.vard,
  },
  {
    at: '2026-11-20T22:59:00Z',
    userId: 'utforareA',
    role: 'utforare',
    action: 'handelse_erbjudande',
    namndId: ORG.vard,
  },
  {
    at: '2026-11-20T23:30:00Z',
    userId: 'handlaggare1',
    role: 'handlaggare',
    action: 'beslut_last',
    namndId: ORG.vard,
  },
  {
    at: '2026-11-21T08:00:00Z',
    userId: 'rapportorSocial',
    role: 'rapportor',
    action: 'kvartal_last',
    namndId: ORG.social,
    subjectType: 'kvartal',
    subjectId: '2026-Q3',
  },
  {
    at: '2026-11-21T09:00:00Z',
    userId: 'utforareA',
    role: 'utforare',
    action: 'handelse_verkstalld',
    namndId: ORG.vard,
  },
  { at: '2026-11-21T10:00:00Z', userId: null, role: 'admin', action: 'inloggning', namndId: null },
];

beforeEach(async () => {
  // The entries are about b1, an LSS decision of Vård- och omsorgsnämnden.
  await insertPerson(database.db, { id: 'p1' });
  await insertDecision(database.db, {
    id: 'b1',
    personId: 'p1',
    insats: 'LSS_9_10',
    beslutsdatum: '2026-06-01',
  });
  for (const e of ENTRIES) {
    await database.db
      .insertInto('auditLog')
      .values({
        subjectType: 'beslut',
        subjectId: 'b1',
        ...e,
        at: sql`${e.at}::timestamptz`,
        details: JSON.stringify({ n: 1 }),
      })
      .execute();
  }
});

describe('audit.list', () => {
  it('shows a rapportör their nämnd’s log, newest first, with who, role, what and when', async () => {
    const rapportor = await callerFor(database, 'rapportorLss');
    const { entries, nextCursor } = await rapportor.audit.list();
    expect(nextCursor).toBeNull();
    expect(entries.map((e) => e.action)).toEqual([
      'handelse_verkstalld',
      'beslut_last',
      'handelse_erbjudande',
      'beslut_registrerat',
    ]);
    expect(entries[0]).toMatchObject({
      userId: 'utforareA',
      userName: 'utforareA',
      role: 'utforare',
      action: 'handelse_verkstalld',
      subjectType: 'beslut',
      subjectId: 'b1',
      namndId: ORG.vard,
      details: { n: 1 },
    });
    expect(entries[0]!.at).toEqual(new Date('2026-11-21T09:00:00Z'));
  });

  it('filters by user, action and Stockholm dates', async () => {
    const huvud = await callerFor(database, 'huvudrapportor');
    const byUser = await huvud.audit.list({ userId: 'handlaggare1' });
    expect(byUser.entries.map((e) => e.action)).toEqual(['beslut_last', 'beslut_registrerat']);
    const byAction = await huvud.audit.list({ action: 'handelse_erbjudande' });
    expect(byAction.entries.map((e) => e.userId)).toEqual(['utforareA']);
    const the21st = await huvud.audit.list({ from: '2026-11-21', to: '2026-11-21' });
    expect(the21st.entries.map((e) => e.action)).toEqual(['handelse_verkstalld', 'beslut_last']);
    const the20th = await huvud.audit.list({ from: '2026-11-20', to: '2026-11-20' });
    expect(the20th.entries.map((e) => e.action)).toEqual(['handelse_erbjudande']);
    expect(await refusal(huvud.audit.list({ from: '2026-11-21', to: '2026-11-20' }))).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message: 'to: Slutdatumet ligger före startdatumet',
    });
  });

  it('pages through the log without overlap', async () => {
    const rapportor = await callerFor(database, 'rapportorLss');
    const first = await rapportor.audit.list({ limit: 3 });
    expect(first.entries).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await rapportor.audit.list({ limit: 3, cursor: first.nextCursor! });
    // The second page: what was left, with nothing of the first page and nothing newer.
    expect(second.entries.map((e) => e.action)).toEqual(['beslut_registrerat']);
    expect(second.nextCursor).toBeNull();
  });

  it('records every reading of the log, which the next reading shows', async () => {
    const rapportor = await callerFor(database, 'rapportorLss');
    await rapportor.audit.list({ action: 'beslut_last' });
    const { entries } = await rapportor.audit.list();
    expect(entries[0]).toMatchObject({
      userId: 'rapportorLss',
      role: 'rapportor',
      action: 'granskningslogg_last',
      namndId: ORG.vard,
      details: { filter: { action: 'beslut_last', userId: null, from: null, to: null }, rader: 1 },
    });
  });

  it('keeps each nämnd’s log to its own reporters', async () => {
    const social = await callerFor(database, 'rapportorSocial');
    const { entries } = await social.audit.list();
    expect(entries.map((e) => e.action)).toEqual(['kvartal_last']);
    expect(await refusal(social.audit.list({ namndId: ORG.vard }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    for (const userId of ['utforareA', 'matchare', 'handlaggare1', 'admin']) {
      const caller = await callerFor(database, userId);
      expect(await refusal(caller.audit.list())).toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});
