import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { ORG } from '../testing/fixture';
import { callerFor, useTestDatabase } from '../testing/harness';
import { pullAll, seedDecision } from './test-support';

/*
 * Drafts through sync: a user's unfinished form follows them from one device to another, the
 * later edit wins, a deletion reaches every device and cannot be undone by a late save, and no one
 * else ever sees or touches them.
 */

const database = useTestDatabase();

beforeEach(async () => {
  await seedDecision(database.db, { id: 'd-a', enhetId: ORG.enhetA });
  await seedDecision(database.db, { id: 'd-b', enhetId: ORG.enhetB });
});

const as = (user: string) => callerFor(database, user);

type DraftFields = {
  id: string;
  decisionId?: string | null;
  form?: string;
  data?: Record<string, unknown>;
  updatedAt: string;
};

function save(draft: DraftFields) {
  return {
    id: randomUUID(),
    kind: 'draft' as const,
    draft: { form: 'erbjudande', data: { text: 'Plats' }, decisionId: 'd-a', ...draft },
  };
}

function remove(draftId: string) {
  return { id: randomUUID(), kind: 'draft.delete' as const, draftId };
}

describe('drafts across devices', () => {
  it('follows the user from one device to another, the later edit winning', async () => {
    const [phone, desktop] = await Promise.all([as('utforareA'), as('utforareA')]);
    const draftId = randomUUID();
    const [saved] = await phone.sync.push({
      mutations: [
        save({
          id: draftId,
          data: { text: 'Plats på Eken', dag: 'måndag' },
          updatedAt: '2026-11-22T08:00:00Z',
        }),
      ],
    });
    expect(saved).toMatchObject({ status: 'applied', result: { superseded: false } });

    const onDesktop = await pullAll(desktop, null);
    const [draft] = onDesktop.pages.flatMap((p) => p.drafts);
    expect(draft).toEqual({
      id: draftId,
      decisionId: 'd-a',
      form: 'erbjudande',
      data: { text: 'Plats på Eken', dag: 'måndag' },
      updatedAt: '2026-11-22T08:00:00.000Z',
    });

    const phoneCursor = (await pullAll(phone, null)).cursor;
    await desktop.sync.push({
      mutations: [
        save({
          id: draftId,
          data: { text: 'Plats på Eken, tisdag' },
          updatedAt: '2026-11-22T09:00:00Z',
        }),
      ],
    });
    // The phone's older edit, arriving late, does not overwrite the newer one.
    const [late] = await phone.sync.push({
      mutations: [
        save({ id: draftId, data: { text: 'Gammal' }, updatedAt: '2026-11-22T08:30:00Z' }),
      ],
    });
    expect(late).toMatchObject({
      status: 'applied',
      result: { superseded: true, draft: { data: { text: 'Plats på Eken, tisdag' } } },
    });
    const onPhone = await pullAll(phone, phoneCursor);
    expect(onPhone.pages.flatMap((p) => p.drafts).map((d) => d.data)).toEqual([
      { text: 'Plats på Eken, tisdag' },
    ]);

    // Deleted on the desktop: the phone is told to forget it, and a late save is refused.
    await desktop.sync.push({ mutations: [remove(draftId)] });
    const afterDelete = await pullAll(phone, onPhone.cursor);
    expect(afterDelete.pages.flatMap((p) => p.removed.drafts)).toEqual([draftId]);
    expect(afterDelete.pages.flatMap((p) => p.drafts)).toEqual([]);
    const [resurrect] = await phone.sync.push({
      mutations: [save({ id: draftId, updatedAt: '2026-11-22T09:30:00Z' })],
    });
    expect(resurrect).toMatchObject({
      status: 'rejected',
      code: 'CONFLICT',
      reason: 'Utkastet har redan skickats eller tagits bort, kanske på en annan enhet.',
    });
    // A first pull on a new device never sees it.
    const fresh = await pullAll(await as('utforareA'), null);
    expect(fresh.pages.flatMap((p) => [...p.drafts, ...p.removed.drafts])).toEqual([]);
  });

  it('keeps a save from a clock running ahead from winning over later edits', async () => {
    const phone = await as('utforareA');
    const draftId = randomUUID();
    const [ahead] = await phone.sync.push({
      mutations: [save({ id: draftId, data: { v: 1 }, updatedAt: '2027-01-01T00:00:00Z' })],
    });
    expect(ahead).toMatchObject({ result: { draft: { updatedAt: '2026-11-22T10:00:00.000Z' } } });
    const later = await callerFor(database, 'utforareA', {
      now: () => new Date('2026-11-22T11:00:00Z'),
      sleep: async () => {},
    });
    const [edit] = await later.sync.push({
      mutations: [save({ id: draftId, data: { v: 2 }, updatedAt: '2026-11-22T10:30:00Z' })],
    });
    expect(edit).toMatchObject({ result: { superseded: false, draft: { data: { v: 2 } } } });
  });

  it('never shows or hands a draft to another user', async () => {
    const mine = randomUUID();
    await (await as('handlaggare1')).sync.push({
      mutations: [save({ id: mine, decisionId: 'd-a', updatedAt: '2026-11-22T08:00:00Z' })],
    });
    for (const user of ['utforareA', 'handlaggare2', 'huvudrapportor', 'rapportorLss']) {
      const caller = await as(user);
      const { pages } = await pullAll(caller, null);
      expect(
        pages.flatMap((p) => p.drafts),
        user,
      ).toEqual([]);
      const [overwrite, del] = await caller.sync.push({
        mutations: [save({ id: mine, updatedAt: '2026-11-22T09:00:00Z' }), remove(mine)],
      });
      expect(overwrite, user).toMatchObject({ status: 'rejected', code: 'CONFLICT' });
      expect(del, user).toMatchObject({
        status: 'rejected',
        code: 'NOT_FOUND',
        reason: 'Utkastet finns inte eller så saknar du behörighet.',
      });
    }
    const [stored] = (await pullAll(await as('handlaggare1'), null)).pages.flatMap((p) => p.drafts);
    expect(stored).toMatchObject({ id: mine, data: { text: 'Plats' } });
  });

  it('refuses a draft of a decision the user cannot see, or one too large, naming the field', async () => {
    const phone = await as('utforareA');
    const answers = await phone.sync.push({
      mutations: [
        save({ id: randomUUID(), decisionId: 'd-b', updatedAt: '2026-11-22T08:00:00Z' }),
        save({
          id: randomUUID(),
          data: { text: 'x'.repeat(70_000) },
          updatedAt: '2026-11-22T08:00:00Z',
        }),
        save({ id: randomUUID(), form: 'Erbjudande!', updatedAt: '2026-11-22T08:00:00Z' }),
        save({
          id: randomUUID(),
          decisionId: null,
          form: 'anteckning',
          updatedAt: '2026-11-22T08:00:00Z',
        }),
      ],
    });
    expect(answers.map((a) => (a.status === 'rejected' ? a.reason : a.status))).toEqual([
      'Beslutet finns inte eller så saknar du behörighet.',
      'draft.data: Utkastet är för stort (högst 64 kB)',
      'draft.form: Okänt formulärnamn',
      'applied',
    ]);
  });

  it('deletes a draft the server never saw, so a late save of it stays deleted', async () => {
    const phone = await as('utforareA');
    const draftId = randomUUID();
    const [deleted, saved] = await phone.sync.push({
      mutations: [remove(draftId), save({ id: draftId, updatedAt: '2026-11-22T08:00:00Z' })],
    });
    expect(deleted).toMatchObject({ status: 'applied', result: { draftId, deleted: true } });
    expect(saved).toMatchObject({ status: 'rejected', code: 'CONFLICT' });
  });
});
