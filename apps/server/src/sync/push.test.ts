import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORG, seedFixture } from '../testing/fixture';
import { callerFor, openTestDatabase, resetDatabase, type TestDatabase } from '../testing/harness';
import type { PushAnswer } from './push';
import { eventMutation, note, offer, seedDecision } from './test-support';

/*
 * sync.push: idempotency (same batch twice, half then all, concurrently), one bad item among good
 * ones, ids reused by another user. The clock stands at 2026-11-22. On PostgreSQL the concurrent
 * pushes really run side by side on the pool.
 */

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.dispose();
});
beforeEach(async () => {
  await resetDatabase(database);
  await seedFixture(database.db);
  await seedDecision(database.db, { id: 'd-a', enhetId: ORG.enhetA });
  await seedDecision(database.db, { id: 'd-b', enhetId: ORG.enhetB });
});

const as = (user: string) => callerFor(database, user);

/** What a push can change: events, drafts and stored answers, with their seqs. */
async function stored() {
  const db = database.db;
  return {
    events: await db.selectFrom('caseEvent').selectAll().orderBy('id').execute(),
    drafts: (await sql`select * from draft order by id`.execute(db)).rows,
    answers: await db.selectFrom('clientMutation').selectAll().orderBy('id').execute(),
  };
}

function batchOf(size: number) {
  return Array.from({ length: size }, (_, i) =>
    eventMutation(note('d-a', '2026-07-01', `Anteckning ${i + 1}`)),
  );
}

describe('sync.push idempotency', () => {
  it('applies a batch once: pushing it again changes nothing and answers the same', async () => {
    const phone = await as('utforareA');
    const mutations = [
      ...batchOf(3),
      {
        id: randomUUID(),
        kind: 'draft' as const,
        draft: {
          id: randomUUID(),
          decisionId: 'd-a',
          form: 'erbjudande',
          data: { text: 'Plats på Eken' },
          updatedAt: '2026-11-22T09:00:00Z',
        },
      },
    ];
    const first = await phone.sync.push({ clientId: 'telefon-1', mutations });
    expect(first.map((a) => [a.id, a.status])).toEqual(mutations.map((m) => [m.id, 'applied']));
    const after = await stored();
    expect(after.events).toHaveLength(3);
    expect(after.drafts).toHaveLength(1);

    const second = await phone.sync.push({ clientId: 'telefon-1', mutations });
    expect(second).toStrictEqual(first);
    expect(await stored()).toStrictEqual(after);
  });

  it('applies each item once when half a batch is pushed and then all of it', async () => {
    const phone = await as('utforareA');
    const mutations = batchOf(6);
    const half = await phone.sync.push({ mutations: mutations.slice(0, 3) });
    const all = await phone.sync.push({ mutations });
    expect(all.slice(0, 3)).toStrictEqual(half);
    expect(all.every((a) => a.status === 'applied')).toBe(true);
    const { events, answers } = await stored();
    expect(events.map((e) => e.id).sort()).toEqual(mutations.map((m) => m.event.id).sort());
    expect(answers).toHaveLength(6);
  });

  it('applies a batch once when the same batch is pushed three times at once', async () => {
    const phones = await Promise.all([as('utforareA'), as('utforareA'), as('utforareA')]);
    const mutations = batchOf(20);
    const answers = await Promise.all(phones.map((p) => p.sync.push({ mutations })));
    expect(answers[1]).toStrictEqual(answers[0]);
    expect(answers[2]).toStrictEqual(answers[0]);
    expect(answers[0]!.every((a) => a.status === 'applied')).toBe(true);
    const { events } = await stored();
    expect(events).toHaveLength(20);
    const audit = await database.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('action', '=', 'sync_push')
      .execute();
    // One audit row per call; between them, each item applied once and answered twice from store.
    expect(audit).toHaveLength(3);
    const details = audit.map((a) => a.details as { tillampade: number; upprepade: number });
    expect(details.reduce((n, d) => n + d.upprepade, 0)).toBe(40);
  });

  it('applies overlapping batches from two devices at once, each item once', async () => {
    const [phone1, phone2] = await Promise.all([as('utforareA'), as('utforareA')]);
    const mutations = batchOf(30);
    const [a, b] = await Promise.all([
      phone1.sync.push({ mutations: mutations.slice(0, 20) }),
      phone2.sync.push({ mutations: mutations.slice(10) }),
    ]);
    expect(a.slice(10)).toStrictEqual(b.slice(0, 10));
    expect((await stored()).events).toHaveLength(30);
  });
});

describe('sync.push with a bad item among good ones', () => {
  it('applies the good items, rejects the bad ones with a Swedish reason, in order', async () => {
    const phone = await as('utforareA');
    const mutations = [
      eventMutation(offer('d-a', '2026-07-01')),
      // The domain refuses a date in the future.
      eventMutation(offer('d-a', '2026-12-24')),
      // Unknown, and another unit's: the same answer.
      eventMutation(note('finns-inte')),
      eventMutation(note('d-b')),
      // An utförare does not log the handläggare's follow-up call.
      eventMutation({
        id: randomUUID(),
        decisionId: 'd-a',
        type: 'uppfoljning',
        date: '2026-08-01',
        kontakt: 'Anna',
        text: 'Väntar fortfarande',
      }),
      // Invalid input: the field is named.
      { id: randomUUID(), kind: 'event', event: { ...offer('d-a'), text: '' } },
      { id: randomUUID(), kind: 'okänd' },
      eventMutation(note('d-a', '2026-08-01')),
    ];
    const answers = await phone.sync.push({ mutations });
    expect(answers.map((a) => a.id)).toEqual(mutations.map((m) => m.id));
    expect(answers.map(brief)).toEqual([
      'applied',
      'BAD_REQUEST: Datumet 24 december 2026 ligger i framtiden',
      'NOT_FOUND: Beslutet finns inte eller så saknar du behörighet.',
      'NOT_FOUND: Beslutet finns inte eller så saknar du behörighet.',
      'FORBIDDEN: Din roll får inte registrera uppföljningssamtal för det här beslutet.',
      'BAD_REQUEST: event.text: Skriv vad som erbjöds',
      'BAD_REQUEST: kind: Okänd typ av ändring (kind): event, draft eller draft.delete',
      'applied',
    ]);
    const { events } = await stored();
    expect(events.map((e) => e.id).sort()).toEqual(
      [mutations[0], mutations[7]].map((m) => (m as { event: { id: string } }).event.id).sort(),
    );

    // A rejection is final for its id: the same batch again answers the same.
    expect(await phone.sync.push({ mutations })).toStrictEqual(answers);
    expect((await stored()).events).toHaveLength(2);
  });

  it('answers an applied event with the event as stored, and the same id twice in a batch once', async () => {
    const phone = await as('utforareA');
    const event = {
      id: randomUUID(),
      decisionId: 'd-a',
      type: 'verkstalld' as const,
      date: '2026-11-02',
    };
    const mutation = eventMutation(event);
    const [answer, again] = await phone.sync.push({ mutations: [mutation, mutation] });
    expect(answer).toEqual({
      id: mutation.id,
      status: 'applied',
      result: { event: { ...event, recordedAt: '2026-11-22T10:00:00.000Z' } },
    });
    expect(again).toStrictEqual(answer);
    expect((await stored()).events).toHaveLength(1);
  });

  it('refuses an id that is not a UUID without remembering it', async () => {
    const phone = await as('utforareA');
    const answers = await phone.sync.push({
      mutations: [{ id: 'ett-id', kind: 'event', event: note('d-a') }],
    });
    expect(answers).toEqual([
      {
        id: 'ett-id',
        status: 'rejected',
        code: 'BAD_REQUEST',
        reason: 'id: Ändringens id måste vara ett UUID',
      },
    ]);
    expect((await stored()).answers).toHaveLength(0);
  });

  it('refuses a mutation id another user already used, and changes nothing', async () => {
    const mutation = eventMutation(note('d-a'));
    await (await as('utforareA')).sync.push({ mutations: [mutation] });
    const before = await stored();
    const theirs = { ...mutation, event: note('d-a') };
    const [answer] = await (await as('handlaggare1')).sync.push({ mutations: [theirs] });
    expect(answer).toEqual({
      id: mutation.id,
      status: 'rejected',
      code: 'CONFLICT',
      reason: 'Ändringens id används redan. Skicka den med ett nytt id.',
    });
    expect(await stored()).toStrictEqual(before);
  });

  it('answers a batch that is not a list, or too long, with 400 naming the field', async () => {
    const phone = await as('utforareA');
    await expect(phone.sync.push({ mutations: 'x' } as never)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      phone.sync.push({ mutations: Array.from({ length: 501 }, () => eventMutation(note('d-a'))) }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Skicka högst 500 ändringar åt gången'),
    });
    await expect(
      (await as('utforareA')).sync.push({ mutations: [{}] } as never),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Ändringens id saknas'),
    });
    await expect(
      callerFor(database, null).then((c) => c.sync.push({ mutations: [] })),
    ).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});

describe('sync.push of many events at once', () => {
  const event = (type: 'verkstalld' | 'avbrott', date: string) => ({
    id: randomUUID(),
    decisionId: 'd-a',
    type,
    date,
  });

  it('checks each event against the ones before it in the same batch, and audits each', async () => {
    const phone = await as('utforareA');
    const mutations = [
      eventMutation(event('verkstalld', '2026-08-01')),
      eventMutation(event('avbrott', '2026-09-01')),
      eventMutation(event('verkstalld', '2026-10-01')),
      // Possible on its own, not after the batch's own verkställighet of 2026-10-01.
      eventMutation(event('verkstalld', '2026-10-15')),
      eventMutation(event('avbrott', '2026-11-01')),
    ];
    const answers = await phone.sync.push({ mutations });
    expect(answers.map(brief)).toEqual([
      'applied',
      'applied',
      'applied',
      'BAD_REQUEST: Beslutet är redan verkställt; registrera ett avbrott först (15 oktober 2026)',
      'applied',
    ]);
    const { events } = await stored();
    expect(events.map((e) => e.date).sort()).toEqual([
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
    ]);
    // Seqs follow the order of the batch.
    const seqOf = (i: number) => events.find((e) => e.id === mutations[i]!.event.id)!.seq;
    expect([seqOf(0), seqOf(1), seqOf(2), seqOf(4)]).toEqual(
      [seqOf(0), seqOf(1), seqOf(2), seqOf(4)].sort((a, b) => a - b),
    );
    const audit = await database.db
      .selectFrom('auditLog')
      .select(['action', 'subjectId', 'namndId', 'userId', 'details'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'handelse_verkstalld',
      'handelse_avbrott',
      'handelse_verkstalld',
      'handelse_avbrott',
      'sync_push',
    ]);
    expect(audit[0]).toMatchObject({
      subjectId: 'd-a',
      namndId: ORG.vard,
      userId: 'utforareA',
      details: { handelseId: mutations[0]!.event.id, datum: '2026-08-01' },
    });
  });

  it('answers an event id sent twice in a batch with the stored event, or refuses another event under it', async () => {
    const phone = await as('utforareA');
    const first = note('d-a', '2026-07-01');
    const mutations = [
      eventMutation(first),
      eventMutation(first),
      eventMutation({ ...note('d-a', '2026-07-02'), id: first.id }),
    ];
    const answers = await phone.sync.push({ mutations });
    expect(answers.map(brief)).toEqual([
      'applied',
      'applied',
      'CONFLICT: Händelsens id används redan för en annan händelse.',
    ]);
    expect(answers[1]).toEqual({ ...answers[0], id: mutations[1]!.id });
    expect((await stored()).events).toHaveLength(1);
  });

  it('keeps the order of events and drafts in one batch, seqs included', async () => {
    const phone = await as('utforareA');
    const draftId = randomUUID();
    const before = eventMutation(note('d-a', '2026-07-01'));
    const after = eventMutation(note('d-a', '2026-07-02'));
    const mutations = [
      before,
      {
        id: randomUUID(),
        kind: 'draft' as const,
        draft: {
          id: draftId,
          decisionId: 'd-a',
          form: 'erbjudande',
          data: {},
          updatedAt: '2026-11-22T09:00:00Z',
        },
      },
      after,
    ];
    const answers = await phone.sync.push({ mutations });
    expect(answers.map((a) => [a.id, a.status])).toEqual(mutations.map((m) => [m.id, 'applied']));
    const { events, drafts } = await stored();
    const seq = (id: string) => Number(events.find((e) => e.id === id)!.seq);
    const draftSeq = Number((drafts[0] as { seq: number }).seq);
    expect(seq(before.event.id)).toBeLessThan(draftSeq);
    expect(draftSeq).toBeLessThan(seq(after.event.id));
  });

  it('answers items one by one when the database refuses the batch; the failed item is not stored, so the same id succeeds later', async () => {
    const db = database.db;
    // A row the database will not store (as a concurrent writer's duplicate would be).
    await sql`
      create function refuse_krock() returns trigger language plpgsql as $$
      begin
        if new.data->>'text' = 'krock' then
          raise exception 'duplicate' using errcode = '23505';
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger refuse_krock before insert on case_event
      for each row execute function refuse_krock()`.execute(db);
    const errors = console.error;
    console.error = () => {};
    const phone = await as('utforareA');
    const mutations = [
      eventMutation(note('d-a', '2026-07-01', 'Först')),
      eventMutation(note('d-a', '2026-07-02', 'krock')),
      eventMutation(note('d-a', '2026-07-03', 'Sist')),
    ];
    let answers: PushAnswer[];
    try {
      answers = await phone.sync.push({ mutations });
      expect(answers.map(brief)).toEqual([
        'applied',
        'INTERNAL_SERVER_ERROR: Ändringen kunde inte sparas på grund av ett oväntat fel.',
        'applied',
      ]);
      const { events, answers: kept } = await stored();
      expect(events.map((e) => (e.data as { text: string }).text).sort()).toEqual([
        'Först',
        'Sist',
      ]);
      // Only the two applied items are remembered: the fault is not the item's final answer.
      expect(kept.map((k) => k.id).sort()).toEqual([mutations[0]!.id, mutations[2]!.id].sort());
      // While the fault lasts, a retry fails the same way and still stores nothing.
      expect(await phone.sync.push({ mutations })).toStrictEqual(answers);
      expect((await stored()).answers).toHaveLength(2);
    } finally {
      console.error = errors;
      await sql`drop trigger refuse_krock on case_event`.execute(db);
      await sql`drop function refuse_krock()`.execute(db);
    }
    // The fault is gone: the same mutation id is applied; the others answer as before.
    const retry = await phone.sync.push({ mutations });
    expect(retry.map(brief)).toEqual(['applied', 'applied', 'applied']);
    expect(retry[0]).toStrictEqual(answers[0]);
    expect(retry[2]).toStrictEqual(answers[2]);
    const after = await stored();
    expect(after.events.map((e) => (e.data as { text: string }).text).sort()).toEqual([
      'Först',
      'Sist',
      'krock',
    ]);
    expect(after.answers).toHaveLength(3);
    // From now on the applied answer is final.
    expect(await phone.sync.push({ mutations })).toStrictEqual(retry);
  });

  it('applies a draft that failed once unexpectedly when the same mutation comes again', async () => {
    const db = database.db;
    // The database refuses the next draft written, once (a sequence is not rolled back).
    await sql`create sequence fail_once`.execute(db);
    await sql`
      create function fail_draft_once() returns trigger language plpgsql as $$
      begin
        if nextval('fail_once') = 1 then
          raise exception 'simulated fault' using errcode = 'P0001';
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger fail_draft_once before insert on draft
      for each row execute function fail_draft_once()`.execute(db);
    const errors = console.error;
    console.error = () => {};
    try {
      const phone = await as('utforareA');
      const mutation = {
        id: randomUUID(),
        kind: 'draft' as const,
        draft: {
          id: randomUUID(),
          decisionId: 'd-a',
          form: 'erbjudande',
          data: { text: 'Plats på Eken' },
          updatedAt: '2026-11-22T09:00:00Z',
        },
      };
      const [failed] = await phone.sync.push({ mutations: [mutation] });
      expect(brief(failed!)).toBe(
        'INTERNAL_SERVER_ERROR: Ändringen kunde inte sparas på grund av ett oväntat fel.',
      );
      expect(await stored()).toMatchObject({ drafts: [], answers: [] });
      const [applied] = await phone.sync.push({ mutations: [mutation] });
      expect(applied).toMatchObject({
        id: mutation.id,
        status: 'applied',
        result: { draft: { id: mutation.draft.id, data: { text: 'Plats på Eken' } } },
      });
      expect((await stored()).drafts).toHaveLength(1);
      expect(await phone.sync.push({ mutations: [mutation] })).toStrictEqual([applied]);
    } finally {
      console.error = errors;
      await sql`drop trigger fail_draft_once on draft`.execute(db);
      await sql`drop function fail_draft_once()`.execute(db);
      await sql`drop sequence fail_once`.execute(db);
    }
  });

  it('records an event when the server receives it, whatever recordedAt the phone sends', async () => {
    const phone = await as('utforareA');
    const past = { ...note('d-a', '2026-07-01', 'Förr'), recordedAt: '2020-01-01T00:00:00Z' };
    const future = { ...note('d-a', '2026-07-01', 'Sedan'), recordedAt: '2030-01-01T00:00:00Z' };
    const draft = {
      id: randomUUID(),
      kind: 'draft' as const,
      draft: {
        id: randomUUID(),
        decisionId: 'd-a',
        form: 'erbjudande',
        data: {},
        updatedAt: '2026-11-22T09:00:00Z',
      },
    };
    // In a batch, and one by one beside a draft.
    const answers = await phone.sync.push({
      mutations: [eventMutation(past), draft, eventMutation(future)],
    });
    const serverTime = '2026-11-22T10:00:00.000Z';
    expect(answers.map((a) => a.status)).toEqual(['applied', 'applied', 'applied']);
    for (const i of [0, 2]) {
      expect(
        (answers[i] as { result: { event: { recordedAt: string } } }).result.event.recordedAt,
      ).toBe(serverTime);
    }
    const { events } = await stored();
    expect(events.map((e) => e.recordedAt.toISOString())).toEqual([serverTime, serverTime]);
    // A repeat with another recordedAt is the same event, answered as stored.
    const again = await phone.sync.push({
      mutations: [eventMutation({ ...past, recordedAt: '2019-05-05T00:00:00Z' })],
    });
    expect(again[0]).toMatchObject({
      status: 'applied',
      result: { event: { id: past.id, recordedAt: serverTime } },
    });
  });
});

describe('sync.push with random items', () => {
  it('answers every item, in order, applied or rejected, never failing the batch', async () => {
    const phone = await as('handlaggare1');
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant('\u0000'));
    const field = fc.oneof(
      text,
      fc.integer(),
      fc.constant(null),
      fc.constantFrom('d-a', 'd-b', '2026-07-01', '2026-02-30', '2027-01-01', 'LSS'),
    );
    const event = fc.record(
      {
        id: fc.oneof(fc.uuid(), text),
        decisionId: fc.oneof(fc.constantFrom('d-a', 'd-b', 'okänt'), text),
        type: fc.constantFrom('anteckning', 'erbjudande', 'verkstalld', 'avslutad', 'skal', 'x'),
        date: fc.constantFrom('2026-07-01', '2026-11-22', '2027-01-01', 'igår'),
        text: field,
        anledning: field,
        skal: field,
        orsak: field,
      },
      { requiredKeys: ['id', 'decisionId', 'type', 'date'] },
    );
    const draft = fc.record({
      id: fc.oneof(fc.uuid(), text),
      decisionId: fc.oneof(fc.constantFrom('d-a', 'd-b'), fc.constant(null), text),
      form: fc.oneof(fc.constantFrom('erbjudande', 'individrapport'), text),
      data: fc.oneof(fc.dictionary(text, field), field),
      updatedAt: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        text,
      ),
    });
    const item = fc.oneof(
      fc.record({ id: fc.uuid(), kind: fc.constant('event'), event }),
      fc.record({ id: fc.uuid(), kind: fc.constant('draft'), draft }),
      fc.record({
        id: fc.uuid(),
        kind: fc.constant('draft.delete'),
        draftId: fc.oneof(fc.uuid(), text),
      }),
      fc.record({ id: fc.oneof(fc.uuid(), text), kind: field }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 8 }), async (mutations) => {
        const answers = await phone.sync.push({ mutations } as never);
        expect(answers.map((a) => a.id)).toEqual(mutations.map((m) => m.id));
        for (const answer of answers) {
          expect(['applied', 'rejected']).toContain(answer.status);
          if (answer.status === 'rejected') expect(answer.code).not.toBe('INTERNAL_SERVER_ERROR');
        }
      }),
      { numRuns: 60 },
    );
  });
});

function brief(answer: PushAnswer): string {
  return answer.status === 'applied' ? 'applied' : `${answer.code}: ${answer.reason}`;
}
