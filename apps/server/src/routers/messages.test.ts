import { type CaseEvent, rapportorMessages } from '@evb/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { insertDecision, insertEvents, insertPerson } from '../testing/decisions';
import { refusal } from '../testing/errors';
import { ORG } from '../testing/fixture';
import { callerFor, useTestDatabase } from '../testing/harness';

const database = useTestDatabase();

// Today is 2026-11-22 for every caller (the harness's clock).
const decisions = [
  // Waiting since February, a förhandsbesked: a new report, then one every three months.
  {
    id: 'd1',
    personId: 'p1',
    insats: 'LSS_9_10',
    beslutsdatum: '2026-02-03',
    forhandsbesked: true,
  },
  // Executed late: a new report and the slutrapportering.
  { id: 'd2', personId: 'p1', insats: 'LSS_9_9_GRUPPBOSTAD', beslutsdatum: '2026-03-10' },
  // Executed in time, then interrupted and not resumed.
  { id: 'd3', personId: 'p2', insats: 'LSS_9_4', beslutsdatum: '2026-01-10' },
  // SoL Äldre in the same nämnd: not the LSS rapportör's.
  {
    id: 'd4',
    personId: 'p2',
    insats: 'SOL_HEMTJANST',
    beslutsdatum: '2026-04-01',
    verksamhetsomrade: 'SOL_ALDRE',
  },
  // Socialnämnden's.
  {
    id: 'd5',
    personId: 'p3',
    insats: 'SOL_KONTAKTPERSON',
    beslutsdatum: '2026-04-01',
    namndId: ORG.social,
    verksamhetsomrade: 'SOL_IFO',
  },
];
const events: CaseEvent[] = [
  {
    id: 'e1',
    decisionId: 'd1',
    type: 'erbjudande',
    date: '2026-04-01',
    text: 'Daglig verksamhet Eken',
  },
  { id: 'e2', decisionId: 'd2', type: 'verkstalld', date: '2026-07-01' },
  { id: 'e3', decisionId: 'd3', type: 'verkstalld', date: '2026-02-01' },
  { id: 'e4', decisionId: 'd3', type: 'avbrott', date: '2026-05-15' },
];

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
    ivoId: '19750505-T010',
  });
  await insertPerson(database.db, {
    id: 'p3',
    fornamn: 'Cecilia',
    efternamn: 'Ask',
    ivoId: '19900909-T020',
  });
  for (const d of decisions) await insertDecision(database.db, d);
  await insertEvents(database.db, events);
});

describe('messages.inbox', () => {
  it('lists the messages of the LSS rapportör’s decisions with the exact titles, newest first', async () => {
    const rapportor = await callerFor(database, 'rapportorLss');
    const { items: messages, total, nextOffset, unhandled } = await rapportor.messages.inbox();
    expect(messages.map((m) => [m.title, m.due, m.decisionId])).toEqual([
      ['IVO – Återrapportering 2026-11-16, 9§4', '2026-11-16', 'd3'],
      ['IVO – Återrapportering 2026-11-04, 9§10', '2026-11-04', 'd1'],
      ['IVO – Nyrapportering avbrott 2026-08-16, 9§4', '2026-08-17', 'd3'],
      ['IVO – Återrapportering 2026-08-04, 9§10', '2026-08-04', 'd1'],
      ['IVO – Slutrapportering, verkställt 2026-07-01, 9§9', '2026-07-01', 'd2'],
      ['IVO – Nyrapportering 2026-06-11, 9§9', '2026-06-11', 'd2'],
      ['IVO – Nyrapportering 2026-05-04, Förhandsbesked, 9§10', '2026-05-04', 'd1'],
    ]);
    expect(unhandled).toBe(7);
    expect(total).toBe(7);
    expect(nextOffset).toBeNull();
    expect(messages[2]).toMatchObject({
      type: 'ny_avbrott',
      date: '2026-08-16',
      episode: { kind: 'avbrott', start: '2026-05-15' },
      person: { ivoId: '19750505-T010', namn: 'Bertil Ek', skyddadIdentitet: false },
      namndId: ORG.vard,
      verksamhetsomrade: 'LSS',
      insats: 'LSS_9_4',
      handled: null,
    });
    // The domain's own messages for the same decisions, key for key.
    const expected = decisions.slice(0, 3).flatMap((d) =>
      rapportorMessages(
        { ...d, lagrum: 'LSS' },
        events.filter((e) => e.decisionId === d.id),
        '2026-11-22',
      ),
    );
    expect(messages.map((m) => m.key).sort()).toEqual(expected.map((m) => m.key).sort());
  });

  it('shows the huvudrapportör the whole nämnd, and no one another nämnd', async () => {
    const huvud = await callerFor(database, 'huvudrapportor');
    const { items: messages } = await huvud.messages.inbox({ filter: 'all' });
    expect(new Set(messages.map((m) => m.decisionId))).toEqual(new Set(['d1', 'd2', 'd3', 'd4']));
    expect(messages.filter((m) => m.decisionId === 'd4').map((m) => m.title)).toEqual([
      'IVO – Återrapportering 2026-10-02, Hemtjänst',
      'IVO – Nyrapportering 2026-07-02, Hemtjänst',
    ]);
    const social = await callerFor(database, 'rapportorSocial');
    expect((await social.messages.inbox()).items.map((m) => m.decisionId)).toEqual(['d5', 'd5']);
    await expect(social.messages.inbox({ namndId: ORG.vard })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('marks a message handled, once: it leaves the unhandled list and shows who handled it', async () => {
    const rapportor = await callerFor(database, 'rapportorLss');
    const key = 'd1:2026-02-03:ny:2026-05-04';
    const first = await rapportor.messages.markHandled({ decisionId: 'd1', key });
    expect(first).toMatchObject({
      key,
      title: 'IVO – Nyrapportering 2026-05-04, Förhandsbesked, 9§10',
      handled: { byUserId: 'rapportorLss', byName: 'rapportorLss' },
    });
    // Idempotent: a second mark, by someone else even, keeps the first record.
    const huvud = await callerFor(database, 'huvudrapportor');
    const again = await huvud.messages.markHandled({ decisionId: 'd1', key });
    expect(again.handled).toEqual(first.handled);

    const unhandled = await rapportor.messages.inbox({ filter: 'unhandled' });
    expect(unhandled.items.map((m) => m.key)).not.toContain(key);
    expect(unhandled.items).toHaveLength(6);
    expect(unhandled.total).toBe(6);
    expect(unhandled.unhandled).toBe(6);
    const all = await rapportor.messages.inbox({ filter: 'all' });
    expect(all.total).toBe(7);
    expect(all.unhandled).toBe(6);
    expect(all.items.find((m) => m.key === key)?.handled).toMatchObject({
      byUserId: 'rapportorLss',
    });
    const marks = await database.db
      .selectFrom('auditLog')
      .select(['userId', 'action', 'subjectId', 'namndId'])
      .where('action', '=', 'meddelande_hanterat')
      .execute();
    expect(marks).toEqual([
      { userId: 'rapportorLss', action: 'meddelande_hanterat', subjectId: 'd1', namndId: ORG.vard },
    ]);
  });

  it('refuses a message that does not exist yet, or of a decision the caller does not report', async () => {
    const rapportor = await callerFor(database, 'rapportorLss');
    // Cycle 4 of d1 is due in February 2027.
    await expect(
      rapportor.messages.markHandled({ decisionId: 'd1', key: 'd1:2026-02-03:ater:2027-02-04' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      rapportor.messages.markHandled({ decisionId: 'd4', key: 'd4:2026-04-01:ny:2026-07-02' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Beslutet finns inte eller så saknar du behörighet.',
    });
    await expect(
      rapportor.messages.markHandled({ decisionId: 'nope', key: 'nope:2026-04-01:ny:2026-07-02' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Beslutet finns inte eller så saknar du behörighet.',
    });
    // The handläggare of d1 is no rapportör.
    const handlaggare = await callerFor(database, 'handlaggare1');
    await expect(handlaggare.messages.inbox()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      handlaggare.messages.markHandled({ decisionId: 'd1', key: 'd1:2026-02-03:ny:2026-05-04' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await database.db.selectFrom('messageHandled').selectAll().execute()).toEqual([]);
  });

  it('records the reading of the inbox in the nämnd’s audit log, with the page read', async () => {
    const rapportor = await callerFor(database, 'rapportorLss');
    await rapportor.messages.inbox();
    // The first two messages are of d3 and d1; the third, also d3's, is not read.
    await rapportor.messages.inbox({ limit: 2 });
    const log = await database.db
      .selectFrom('auditLog')
      .select(['userId', 'role', 'action', 'namndId', 'details'])
      .orderBy('id')
      .execute();
    const entry = { userId: 'rapportorLss', role: 'rapportor', action: 'meddelanden_last' };
    expect(log).toEqual([
      {
        ...entry,
        namndId: ORG.vard,
        details: { filter: 'unhandled', offset: 0, limit: 50, beslut: 3 },
      },
      {
        ...entry,
        namndId: ORG.vard,
        details: { filter: 'unhandled', offset: 0, limit: 2, beslut: 2 },
      },
    ]);
  });
});

describe('messages.inbox pages', () => {
  /** Every page from the first on, as the PWA would fetch them. */
  async function allPages(
    caller: Awaited<ReturnType<typeof callerFor>>,
    input: { filter: 'all' | 'unhandled'; limit: number },
  ) {
    const pages = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const page = await caller.messages.inbox({ ...input, offset });
      pages.push(page);
      offset = page.nextOffset;
    }
    return pages;
  }

  it('covers every message exactly once, in one order, even where messages fall due together', async () => {
    // Decided the same day as d2: their new reports fall due on the same day as d2's, so only the
    // tie-break (decision id, then key) orders them.
    for (const id of ['t3', 't1', 't2']) {
      await insertDecision(database.db, {
        id,
        personId: 'p2',
        insats: 'LSS_9_4',
        beslutsdatum: '2026-03-10',
      });
    }
    const huvud = await callerFor(database, 'huvudrapportor');
    const whole = await huvud.messages.inbox({ filter: 'all', limit: 200 });
    expect(whole.nextOffset).toBeNull();
    expect(whole.total).toBe(whole.items.length);
    expect(whole.total).toBe(15);
    expect(
      whole.items.filter((m) => m.due === '2026-06-11').map((m) => [m.decisionId, m.type]),
    ).toEqual([
      ['d2', 'ny'],
      ['t1', 'ny'],
      ['t2', 'ny'],
      ['t3', 'ny'],
    ]);

    const pages = await allPages(huvud, { filter: 'all', limit: 4 });
    expect(pages.map((p) => p.items.length)).toEqual([4, 4, 4, 3]);
    expect(pages.map((p) => p.nextOffset)).toEqual([4, 8, 12, null]);
    for (const page of pages) expect(page.total).toBe(15);
    const keys = pages.flatMap((p) => p.items.map((m) => m.key));
    expect(keys).toEqual(whole.items.map((m) => m.key));
    expect(new Set(keys).size).toBe(15);

    // Past the end: an empty last page that still tells how many there are.
    expect(await huvud.messages.inbox({ filter: 'all', offset: 15 })).toMatchObject({
      items: [],
      total: 15,
      nextOffset: null,
    });
  });

  it('pages the unhandled messages alone when filtered, and counts them', async () => {
    const huvud = await callerFor(database, 'huvudrapportor');
    const before = await huvud.messages.inbox({ filter: 'all' });
    // Two messages in the middle of the list: the unhandled pages must close the gaps.
    const handled = [before.items[1]!, before.items[4]!];
    for (const m of handled)
      await huvud.messages.markHandled({ decisionId: m.decisionId, key: m.key });

    const all = await huvud.messages.inbox({ filter: 'all', limit: 200 });
    expect(all.total).toBe(9);
    const pages = await allPages(huvud, { filter: 'unhandled', limit: 3 });
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    for (const page of pages) expect(page).toMatchObject({ total: 7, unhandled: 7 });
    const keys = pages.flatMap((p) => p.items.map((m) => m.key));
    expect(keys).toEqual(all.items.filter((m) => !m.handled).map((m) => m.key));
    for (const m of handled) expect(keys).not.toContain(m.key);
  });

  it('refuses a page size or start out of range, naming the field in Swedish', async () => {
    const rapportor = await callerFor(database, 'rapportorLss');
    const refused = async (input: Record<string, unknown>) =>
      (await refusal(rapportor.messages.inbox(input as never))).message;
    expect(await refused({ limit: 0 })).toBe('limit: Minst 1');
    expect(await refused({ limit: 201 })).toBe('limit: Högst 200 per sida');
    expect(await refused({ limit: 2.5 })).toBe('limit: Ange ett heltal');
    expect(await refused({ offset: -1 })).toBe('offset: Minst 0');
    expect(await refused({ offset: 'två' })).toBe('offset: Ange ett antal');
    expect((await refusal(rapportor.messages.inbox({ limit: 0 }))).code).toBe('BAD_REQUEST');
  });
});
