import { randomUUID } from 'node:crypto';
import { type SyncedEvent, unpackEvents } from '@evb/domain';
import { describe, expect, it } from 'vitest';
import { lockChangeSequence, nextSeq } from '../data/decisions';
import { ORG, USERS } from '../testing/fixture';
import { callerFor, useTestDatabase } from '../testing/harness';
import type { PullResult } from './pull';
import { eventMutation, note, orderTo, pullAll, seedDecision } from './test-support';

/*
 * sync.pull: everything visible arrives exactly once over successive small pages, nothing
 * invisible ever does, a decision ordered to a unit later arrives there with its old events and is
 * forgotten where it left, and writes after a pull arrive with the next one.
 */

const database = useTestDatabase();

const as = (user: string) => callerFor(database, user);

/** Logs notes straight into the database, as a writer does (lock, fresh seq). */
async function addNotes(decisionId: string, count: number, recordedBy = 'handlaggare1') {
  const ids: string[] = [];
  await database.db.transaction().execute(async (trx) => {
    await lockChangeSequence(trx);
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      ids.push(id);
      await trx
        .insertInto('caseEvent')
        .values({
          id,
          decisionId,
          type: 'anteckning',
          date: '2026-07-01',
          recordedAt: new Date(`2026-07-01T10:00:0${i % 10}Z`),
          recordedBy,
          data: JSON.stringify({ text: `Anteckning ${i + 1}` }),
          seq: nextSeq(),
        })
        .execute();
    }
  });
  return ids;
}

/** Everything the pages brought, in arrival order. */
function collect(pages: PullResult[]) {
  return {
    decisions: pages.flatMap((p) => p.decisions.map((d) => d.id)),
    events: pages.flatMap((p) => p.events.map((e) => e.id)),
    drafts: pages.flatMap((p) => p.drafts.map((d) => d.id)),
    removed: pages.flatMap((p) => p.removed.decisions),
    removedDrafts: pages.flatMap((p) => p.removed.drafts),
  };
}

/**
 * A small nämnd: decisions ordered to each unit and team, one unordered, one of another
 * handläggare, one in SoL Äldre and one of Socialnämnden, each with a few events.
 */
async function seedWorld() {
  const decisions = [
    { id: 'a1', enhetId: ORG.enhetA },
    { id: 'a2', enhetId: ORG.enhetA },
    { id: 'a3', enhetId: ORG.enhetA, handlaggareId: 'handlaggare2' },
    { id: 'b1', enhetId: ORG.enhetB },
    { id: 'bt1', enhetId: ORG.boendeteamet, insats: 'LSS_9_9' },
    { id: 'u1', enhetId: null },
    { id: 'aldre1', enhetId: ORG.enhetA, verksamhetsomrade: 'SOL_ALDRE', insats: 'SOL_HEMTJANST' },
    {
      id: 'ifo1',
      enhetId: null,
      namndId: ORG.social,
      verksamhetsomrade: 'SOL_IFO',
      insats: 'SOL_KONTAKTPERSON',
      handlaggareId: 'handlaggare2',
    },
  ];
  const events = new Map<string, string[]>();
  for (const [i, d] of decisions.entries()) {
    await seedDecision(database.db, d);
    events.set(d.id, await addNotes(d.id, 1 + (i % 3)));
  }
  return { decisions, events };
}

/**
 * Which of seedWorld's decisions each user's device keeps, by the access rules of their offline
 * roles: a rapportör's screens read online, so their device keeps none.
 */
const EXPECTED: Record<string, string[]> = {
  utforareA: ['a1', 'a2', 'a3', 'aldre1'],
  utforareB: ['b1'],
  matchare: ['bt1'],
  handlaggare1: ['a1', 'a2', 'b1', 'bt1', 'u1', 'aldre1'],
  handlaggare2: ['a3', 'ifo1'],
  rapportorLss: [],
  huvudrapportor: [],
  rapportorSocial: [],
  loggranskare: [],
  loggranskareSocial: [],
  admin: [],
};

describe('sync.pull completeness', () => {
  it('brings every visible decision and event exactly once over small pages, and nothing else', async () => {
    const { events } = await seedWorld();
    for (const user of Object.keys(USERS)) {
      const caller = await as(user);
      for (const limit of [1, 2, 3, 500]) {
        const { pages } = await pullAll(caller, null, limit);
        const got = collect(pages);
        const expected = EXPECTED[user]!;
        expect(got.decisions.sort(), `${user}, limit ${limit}`).toEqual([...expected].sort());
        expect(got.events.sort(), `${user}, limit ${limit}`).toEqual(
          expected.flatMap((id) => events.get(id)!).sort(),
        );
        // A first sync's page holds at most `limit` decisions, says how far it has come, and
        // ends with the last one.
        for (const [i, page] of pages.entries()) {
          expect(page.decisions.length).toBeLessThanOrEqual(limit);
          expect(page.reset).toBe(i === 0);
          expect(page.progress).toEqual({
            done: Math.min(limit * (i + 1), expected.length),
            total: expected.length,
          });
        }
        expect(pages).toHaveLength(Math.max(1, Math.ceil(expected.length / limit)));
        expect(pages.at(-1)!.more).toBe(false);
        // Nothing new: the next pull is empty and keeps the cursor.
        const again = await caller.sync.pull({ cursor: pages.at(-1)!.cursor, limit });
        expect(collect([again])).toEqual(collect([]));
        expect(again.cursor).toBe(pages.at(-1)!.cursor);
      }
    }
  });

  it('brings the same pages packed (pullPacked, as the PWA pulls) as plain', async () => {
    await seedWorld();
    // A makulering, whose fields name another event, and events of several authors.
    const handlaggare = await as('handlaggare1');
    const [voided] = (await pullAll(handlaggare, null)).pages[0]!.events;
    const makulering = {
      id: randomUUID(),
      decisionId: voided!.decisionId,
      type: 'makulering' as const,
      date: '2026-07-02',
      makulerarId: voided!.id,
      text: 'Fel beslut',
    };
    await handlaggare.sync.push({ mutations: [eventMutation(makulering)] });
    await (await as('utforareA')).sync.push({ mutations: [eventMutation(note('a1'))] });
    const unpacked = new Map<string, SyncedEvent[]>();
    for (const user of ['utforareA', 'handlaggare1', 'rapportorLss']) {
      const caller = await as(user);
      unpacked.set(user, []);
      let cursor: string | null = null;
      for (;;) {
        const plain = await caller.sync.pull({ cursor, limit: 2 });
        const packed = await caller.sync.pullPacked({ cursor, limit: 2 });
        const { users, events, ...rest } = packed;
        expect({ ...rest, events: unpackEvents({ users, events }) }, user).toEqual({
          ...plain,
          events: expect.arrayContaining(plain.events),
        });
        expect(unpackEvents({ users, events })).toHaveLength(plain.events.length);
        unpacked.get(user)!.push(...unpackEvents({ users, events }));
        cursor = plain.cursor;
        if (!plain.more) break;
      }
    }
    const handlaggaresEvents = unpacked.get('handlaggare1')!;
    expect(handlaggaresEvents).toContainEqual(
      expect.objectContaining({ type: 'makulering', makulerarId: voided!.id }),
    );
    expect(new Set(handlaggaresEvents.map((e) => e.recordedBy.id))).toEqual(
      new Set(['handlaggare1', 'utforareA']),
    );
  });

  it('masks the personnummer for an utförare and shows it whole to the handläggare', async () => {
    await seedDecision(database.db, {
      id: 'a1',
      enhetId: ORG.enhetA,
      personnummer: '198001010028',
    });
    const [asUtforare] = (await (await as('utforareA')).sync.pull({ cursor: null })).decisions;
    const [asHandlaggare] = (await (await as('handlaggare1')).sync.pull({ cursor: null }))
      .decisions;
    expect(asUtforare!.person).toMatchObject({
      personnummer: '19800101-****',
      fullIdentity: false,
    });
    expect(asHandlaggare!.person).toMatchObject({
      personnummer: '19800101-0028',
      fullIdentity: true,
    });
  });

  it('brings a write made after a pull with the next pull', async () => {
    await seedWorld();
    const phone = await as('utforareA');
    const first = await pullAll(phone, null, 3);
    const event = note('a1', '2026-08-01');
    await phone.sync.push({ mutations: [eventMutation(event)] });
    await seedDecision(database.db, { id: 'a9', enhetId: ORG.enhetA });
    await seedDecision(database.db, { id: 'b9', enhetId: ORG.enhetB });
    const next = await pullAll(phone, first.cursor, 3);
    const got = collect(next.pages);
    expect(got.events).toEqual([event.id]);
    expect(got.decisions).toEqual(['a9']);
    expect(next.cursor).not.toBe(first.cursor);
  });

  it('misses nothing while writers commit during the pulls', async () => {
    await seedDecision(database.db, { id: 'a1', enhetId: ORG.enhetA });
    const phone = await as('handlaggare1');
    const writers = ['utforareA', 'handlaggare1', 'rapportorLss'];
    const logged: string[] = [];
    const seen: string[] = [];
    let cursor: string | null = null;
    let writing = true;
    const write = Promise.all(
      writers.map(async (user) => {
        const caller = await as(user);
        for (let i = 0; i < 8; i++) {
          const event = note('a1', '2026-07-01', `${user} ${i}`);
          logged.push(event.id);
          await caller.sync.push({ mutations: [eventMutation(event)] });
        }
      }),
    ).finally(() => {
      writing = false;
    });
    while (writing) {
      const page: PullResult = await phone.sync.pull({ cursor, limit: 4 });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.cursor;
    }
    await write;
    const rest = await pullAll(phone, cursor, 4);
    seen.push(...collect(rest.pages).events);
    expect(seen.sort()).toEqual(logged.sort());
  });

  it('keeps rows with the same key on one page, even past the limit', async () => {
    await seedDecision(database.db, { id: 'a1', enhetId: ORG.enhetB });
    const events = await addNotes('a1', 7);
    const phone = await as('utforareA');
    const before = await pullAll(phone, null, 2);
    expect(collect(before.pages).events).toEqual([]);
    // Ordering it to unit A gives its seven events one key.
    await orderTo(database.db, 'a1', ORG.enhetA);
    const { pages } = await pullAll(phone, before.cursor, 2);
    const got = collect(pages);
    expect(got.decisions).toEqual(['a1']);
    expect(got.events.sort()).toEqual([...events].sort());
  });
});

describe('sync.pull when a decision moves', () => {
  it('brings a decision ordered to my unit later, with its older events', async () => {
    await seedDecision(database.db, { id: 'd1', enhetId: ORG.enhetB });
    const old = await addNotes('d1', 3);
    await seedDecision(database.db, { id: 'a1', enhetId: ORG.enhetA });
    const phoneA = await as('utforareA');
    const first = await pullAll(phoneA, null, 2);
    expect(collect(first.pages).decisions).toEqual(['a1']);

    await orderTo(database.db, 'd1', ORG.enhetA);
    const next = await pullAll(phoneA, first.cursor, 2);
    const got = collect(next.pages);
    expect(got.decisions).toEqual(['d1']);
    expect(got.events.sort()).toEqual([...old].sort());
    expect(got.removed).toEqual([]);
  });

  it('tells the unit it left to forget it, with the drafts of it', async () => {
    await seedDecision(database.db, { id: 'd1', enhetId: ORG.enhetB });
    await addNotes('d1', 2);
    const phoneB = await as('utforareB');
    const draftId = randomUUID();
    await phoneB.sync.push({
      mutations: [
        {
          id: randomUUID(),
          kind: 'draft',
          draft: {
            id: draftId,
            decisionId: 'd1',
            form: 'erbjudande',
            data: { text: 'Halvfärdigt' },
            updatedAt: '2026-11-22T09:00:00Z',
          },
        },
      ],
    });
    const first = await pullAll(phoneB, null);
    expect(collect(first.pages)).toMatchObject({ decisions: ['d1'], drafts: [draftId] });

    await orderTo(database.db, 'd1', ORG.enhetA);
    const next = await pullAll(phoneB, first.cursor);
    expect(collect(next.pages)).toEqual({
      decisions: [],
      events: [],
      drafts: [],
      removed: ['d1'],
      removedDrafts: [draftId],
    });
    // The handläggare still sees it: nothing to forget, the decision comes again as changed.
    const handlaggare = await as('handlaggare1');
    const seen = await pullAll(handlaggare, first.cursor);
    expect(collect(seen.pages).removed).toEqual([]);
    expect(collect(seen.pages).decisions).toEqual(['d1']);

    // Ordered back: it returns with its events and the draft.
    await orderTo(database.db, 'd1', ORG.enhetB);
    const back = collect((await pullAll(phoneB, next.cursor)).pages);
    expect(back.decisions).toEqual(['d1']);
    expect(back.events).toHaveLength(2);
    expect(back.drafts).toEqual([draftId]);
    expect(back.removed).toEqual([]);
  });

  it('gives the decision a new key even when a writer forgets to', async () => {
    await seedDecision(database.db, { id: 'd1', enhetId: ORG.enhetB });
    const phoneA = await as('utforareA');
    const first = await phoneA.sync.pull({ cursor: null });
    await database.db
      .updateTable('decision')
      .set({ enhetId: ORG.enhetA })
      .where('id', '=', 'd1')
      .execute();
    const next = await phoneA.sync.pull({ cursor: first.cursor });
    expect(next.decisions.map((d) => d.id)).toEqual(['d1']);
  });

  it('starts over when my roles changed since the last pull', async () => {
    await seedDecision(database.db, { id: 'a1', enhetId: ORG.enhetA });
    await seedDecision(database.db, { id: 'b1', enhetId: ORG.enhetB });
    const before = await (await as('utforareA')).sync.pull({ cursor: null });
    expect(before.reset).toBe(true);
    const unchanged = await (await as('utforareA')).sync.pull({
      cursor: before.cursor,
      scopeKey: before.scopeKey,
    });
    expect(unchanged.reset).toBe(false);

    await database.db
      .updateTable('userRole')
      .set({ enhetId: ORG.enhetB })
      .where('userId', '=', 'utforareA')
      .execute();
    const after = await (await as('utforareA')).sync.pull({
      cursor: before.cursor,
      scopeKey: before.scopeKey,
    });
    expect(after.reset).toBe(true);
    expect(after.scopeKey).not.toBe(before.scopeKey);
    expect(after.decisions.map((d) => d.id)).toEqual(['b1']);
  });

  it('starts over from a cursor this database never gave, or an earlier version gave', async () => {
    await seedDecision(database.db, { id: 'a1', enhetId: ORG.enhetA });
    const phone = await as('utforareA');
    const ahead = `v2.${Buffer.from(JSON.stringify({ phase: 'changes', seq: 10_000_000, window: '2025-10-22' })).toString('base64url')}`;
    for (const cursor of [10_000_000, 12, 'nonsens', 'v2.e30', ahead]) {
      const page = await phone.sync.pull({ cursor });
      expect(page.reset, String(cursor)).toBe(true);
      expect(page.decisions.map((d) => d.id)).toEqual(['a1']);
    }
  });
});

describe('sync.pull audit and input', () => {
  it('records one audit row per pull, naming the decisions read', async () => {
    await seedDecision(database.db, { id: 'a1', enhetId: ORG.enhetA });
    await seedDecision(database.db, { id: 'a2', enhetId: ORG.enhetA });
    await addNotes('a1', 3);
    const phone = await as('utforareA');
    const { pages } = await pullAll(phone, null, 1);
    expect(pages).toHaveLength(2);
    const rows = await database.db
      .selectFrom('auditLog')
      .select(['userId', 'action', 'namndId', 'details'])
      .where('action', '=', 'sync_pull')
      .orderBy('id')
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => (r.details as { beslut: string[] }).beslut)).toEqual([['a1'], ['a2']]);
    // It names the decisions, not the events: the row does not grow with a decision's history.
    expect(JSON.stringify(rows[0]!.details)).not.toMatch(/Anteckning|[0-9a-f]{8}-[0-9a-f]{4}/);
    expect(rows[0]).toMatchObject({ userId: 'utforareA', namndId: ORG.vard });
  });

  it('answers bad input with 400 naming the field, and nobody with 401', async () => {
    const phone = await as('utforareA');
    await expect(phone.sync.pull({ cursor: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(phone.sync.pull({ cursor: 1.5 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(phone.sync.pull({ cursor: null, limit: 0 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(phone.sync.pull({ cursor: 'x'.repeat(501) })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      (await callerFor(database, null)).sync.pull({ cursor: null }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
