import { randomUUID } from 'node:crypto';
import { type CaseEvent, settledOn, syncWindowStart } from '@evb/domain';
import { describe, expect, it } from 'vitest';
import { lockChangeSequence, nextSeq } from '../data/decisions';
import { rolesOfUser } from '../data/users';
import { toDomainEvent } from '../services/case-events';
import { ORG } from '../testing/fixture';
import { callerFor, fixedClock, useTestDatabase } from '../testing/harness';
import { type PullResult, pullChanges } from './pull';
import { eventMutation, note, pullAll, seedDecision } from './test-support';

/*
 * What a device keeps (issue 13): the decisions that wait, from any year, and those that settled
 * (executed, closed) or changed within the sync window; it lets go of one when the window passes
 * the day it settled, or when it settles before the window, and gets one back with its whole
 * history when it waits again. A rapportör's device keeps only drafts. A first sync goes most
 * urgent first, can be resumed after a reload, and loses nothing written while it runs.
 */

const database = useTestDatabase();

/** 22 November 2026: the window of 13 months starts on 22 October 2025. */
const ON = (day: string) => fixedClock(`${day}T10:00:00Z`);
const as = (user: string, day = '2026-11-22') => callerFor(database, user, ON(day));

/** Logs an event straight into the database, as a writer does (lock, fresh seq). */
async function log(
  decisionId: string,
  type: 'verkstalld' | 'avbrott' | 'anteckning',
  date: string,
): Promise<string> {
  const id = randomUUID();
  await database.db.transaction().execute(async (trx) => {
    await lockChangeSequence(trx);
    await trx
      .insertInto('caseEvent')
      .values({
        id,
        decisionId,
        type,
        date,
        recordedAt: new Date(`${date}T12:00:00Z`),
        recordedBy: 'handlaggare1',
        data: JSON.stringify(type === 'verkstalld' ? {} : { text: 'Ringde' }),
        seq: nextSeq(),
      })
      .execute();
  });
  return id;
}

/** What a device holds after these pages, stored by id as the PWA stores them. */
function applyPages(pages: PullResult[], device = new Map<string, Set<string>>()) {
  for (const page of pages) {
    if (page.reset) device.clear();
    for (const id of page.removed.decisions) device.delete(id);
    for (const d of page.decisions) if (!device.has(d.id)) device.set(d.id, new Set());
    for (const e of page.events) device.get(e.decisionId)?.add(e.id);
  }
  return device;
}

describe('what a device keeps', () => {
  async function seedYears() {
    // Waiting since 2019: the longest wait, first on the device.
    await seedDecision(database.db, {
      id: 'waiting2019',
      enhetId: ORG.enhetA,
      beslutsdatum: '2019-03-01',
    });
    // Executed 14 months ago.
    await seedDecision(database.db, {
      id: 'ended14',
      enhetId: ORG.enhetA,
      beslutsdatum: '2025-06-01',
    });
    await log('ended14', 'verkstalld', '2025-09-20');
    // Executed in 2024, but a note was logged last week.
    await seedDecision(database.db, {
      id: 'noted',
      enhetId: ORG.enhetA,
      beslutsdatum: '2024-01-01',
    });
    await log('noted', 'verkstalld', '2024-03-01');
    await log('noted', 'anteckning', '2026-11-15');
    // Executed in January, inside the window.
    await seedDecision(database.db, {
      id: 'ended10',
      enhetId: ORG.enhetA,
      beslutsdatum: '2025-11-01',
    });
    await log('ended10', 'verkstalld', '2026-01-10');
    // Waiting since June.
    await seedDecision(database.db, {
      id: 'waiting',
      enhetId: ORG.enhetA,
      beslutsdatum: '2026-06-01',
    });
  }

  it('keeps every waiting decision and the settled ones within the window, most urgent first', async () => {
    await seedYears();
    const { pages } = await pullAll(await as('utforareA'), null, 2);
    expect(pages.flatMap((p) => p.decisions.map((d) => d.id))).toEqual([
      'waiting2019',
      'waiting',
      'noted',
      'ended10',
    ]);
    expect(pages.map((p) => p.progress)).toEqual([
      { done: 2, total: 4 },
      { done: 4, total: 4 },
    ]);
    // Their whole history comes along.
    expect(applyPages(pages).get('noted')?.size).toBe(2);
  });

  it('keeps the settling day the domain gives, in the column the reads use', async () => {
    await seedYears();
    const decisions = await database.db.selectFrom('decision').selectAll().execute();
    for (const d of decisions) {
      const events = (
        await database.db
          .selectFrom('caseEvent')
          .selectAll()
          .where('decisionId', '=', d.id)
          .execute()
      ).map(toDomainEvent) as CaseEvent[];
      const domain = settledOn({ ...d, lagrum: d.lagrum, insats: d.insats }, events);
      expect(d.settledOn, d.id).toBe(domain);
    }
  });

  it('keeps a window of SYNC_WINDOW_MONTHS', async () => {
    await seedYears();
    const row = await database.db
      .selectFrom('appUser')
      .select(['id', 'username', 'displayName'])
      .where('id', '=', 'utforareA')
      .executeTakeFirstOrThrow();
    const user = { ...row, roles: await rolesOfUser(database.db, 'utforareA') };
    const ids = async (windowMonths: number) =>
      (
        await pullChanges(
          database.db,
          user,
          { cursor: null },
          { today: '2026-11-22', windowMonths },
        )
      ).decisions.map((d) => d.id);
    expect(await ids(24)).toContain('ended14');
    expect(await ids(6)).toEqual(['waiting2019', 'waiting', 'noted']);
  });

  it('lets a decision go on the day the window passes the day it settled', async () => {
    await seedDecision(database.db, {
      id: 'soon',
      enhetId: ORG.enhetA,
      beslutsdatum: '2025-08-01',
    });
    await log('soon', 'verkstalld', '2025-10-25');
    await seedDecision(database.db, {
      id: 'later',
      enhetId: ORG.enhetA,
      beslutsdatum: '2025-08-01',
    });
    await log('later', 'verkstalld', '2025-10-27');
    const first = await pullAll(await as('utforareA'), null);
    expect(applyPages(first.pages).size).toBe(2);

    const sameDay = await pullAll(await as('utforareA'), first.cursor);
    expect(sameDay.pages.flatMap((p) => p.removed.decisions)).toEqual([]);
    // On 26 November the window starts on 26 October 2025.
    expect(syncWindowStart('2026-11-26', 13)).toBe('2025-10-26');
    const next = await pullAll(await as('utforareA', '2026-11-26'), first.cursor);
    expect(next.pages.flatMap((p) => p.removed.decisions)).toEqual(['soon']);
    expect(next.pages.every((p) => !p.reset)).toBe(true);
    // Nothing more to let go of the day after.
    const after = await pullAll(await as('utforareA', '2026-11-27'), next.cursor);
    expect(after.pages.flatMap((p) => p.removed.decisions)).toEqual([]);
  });

  it('starts over when the window starts earlier than the device’s (a longer window)', async () => {
    await seedDecision(database.db, { id: 'a1', enhetId: ORG.enhetA });
    const first = await pullAll(await as('utforareA'), null);
    const back = await (await as('utforareA', '2026-11-20')).sync.pull({ cursor: first.cursor });
    expect(back.reset).toBe(true);
  });

  it('lets go of a decision executed before the window, and gets it back with its history when it waits again', async () => {
    await seedDecision(database.db, { id: 'w1', enhetId: ORG.enhetA, beslutsdatum: '2024-05-01' });
    const offer = await log('w1', 'anteckning', '2024-06-01');
    const phone = await as('utforareA');
    const first = await pullAll(phone, null);
    const device = applyPages(first.pages);
    expect([...device.keys()]).toEqual(['w1']);

    // Executed, as it turns out, in July 2024: settled before the window.
    const executed = await log('w1', 'verkstalld', '2024-07-01');
    const second = await pullAll(phone, first.cursor);
    applyPages(second.pages, device);
    expect(second.pages.flatMap((p) => p.removed.decisions)).toEqual(['w1']);
    expect(device.size).toBe(0);

    // Interrupted today: it waits again and comes back whole.
    const interrupted = await log('w1', 'avbrott', '2026-11-20');
    const third = await pullAll(phone, second.cursor);
    applyPages(third.pages, device);
    expect([...(device.get('w1') ?? [])].sort()).toEqual([offer, executed, interrupted].sort());
  });

  it('sends a note on a decision the device still keeps alone, without its history', async () => {
    await seedDecision(database.db, { id: 'e1', enhetId: ORG.enhetA, beslutsdatum: '2026-01-01' });
    await log('e1', 'anteckning', '2026-02-01');
    await log('e1', 'verkstalld', '2026-03-01');
    const phone = await as('utforareA');
    const first = await pullAll(phone, null);
    const later = await log('e1', 'anteckning', '2026-11-21');
    const next = await pullAll(phone, first.cursor);
    expect(next.pages.flatMap((p) => p.events.map((e) => e.id))).toEqual([later]);
    expect(next.pages.flatMap((p) => p.removed.decisions)).toEqual([]);
  });

  it('gives a rapportör’s device no decisions, only the rapportör’s drafts', async () => {
    await seedDecision(database.db, { id: 'a1', enhetId: ORG.enhetA });
    const rapportor = await as('rapportorLss');
    const draftId = randomUUID();
    await rapportor.sync.push({
      mutations: [
        {
          id: randomUUID(),
          kind: 'draft',
          draft: {
            id: draftId,
            decisionId: 'a1',
            form: 'individrapport',
            data: { text: 'Påbörjad' },
            updatedAt: '2026-11-22T09:00:00Z',
          },
        },
      ],
    });
    const { pages } = await pullAll(rapportor, null);
    expect(pages.flatMap((p) => p.decisions)).toEqual([]);
    expect(pages.flatMap((p) => p.events)).toEqual([]);
    expect(pages.flatMap((p) => p.drafts.map((d) => d.id))).toEqual([draftId]);
    expect(pages[0]!.progress).toEqual({ done: 0, total: 0 });
  });
});

describe('a first sync', () => {
  it('resumes after a reload from its cursor and loses nothing written meanwhile', async () => {
    const ids = ['d1', 'd2', 'd3', 'd4', 'd5'];
    for (const [i, id] of ids.entries()) {
      await seedDecision(database.db, {
        id,
        enhetId: ORG.enhetA,
        beslutsdatum: `2026-0${i + 1}-01`,
      });
      await log(id, 'anteckning', '2026-07-01');
    }
    const phone = await as('utforareA');
    const logged = new Map<string, string[]>();
    for (const event of await database.db
      .selectFrom('caseEvent')
      .select(['id', 'decisionId'])
      .execute()) {
      logged.set(event.decisionId, [...(logged.get(event.decisionId) ?? []), event.id]);
    }

    const first = await phone.sync.pull({ cursor: null, limit: 2 });
    expect(first.decisions.map((d) => d.id)).toEqual(['d1', 'd2']);
    // The device reloads; meanwhile notes are logged on a decision it has and one it has not,
    // and a new decision reaches the unit.
    const utforare = await as('utforareA');
    for (const id of ['d1', 'd4']) {
      const event = note(id, '2026-11-21', `Efter sidan 1: ${id}`);
      await utforare.sync.push({ mutations: [eventMutation(event)] });
      logged.set(id, [...(logged.get(id) ?? []), event.id]);
    }
    await seedDecision(database.db, { id: 'd6', enhetId: ORG.enhetA, beslutsdatum: '2026-10-01' });
    logged.set('d6', []);

    const rest = await pullAll(await as('utforareA'), first.cursor, 2);
    expect(rest.pages[0]!.reset).toBe(false);
    const pages = [first, ...rest.pages];
    const device = applyPages(pages);
    expect(Object.fromEntries([...device].map(([id, events]) => [id, [...events].sort()]))).toEqual(
      Object.fromEntries([...logged].map(([id, events]) => [id, [...events].sort()])),
    );
    // Each event arrives at most twice (once in the first sync, once as a change after it began),
    // and the device stores it once.
    const arrivals = pages.flatMap((p) => p.events.map((e) => e.id));
    expect(new Set(arrivals).size).toBe([...logged.values()].flat().length);
  });
});
