import 'fake-indexeddb/auto';
import type { CaseEvent } from '@evb/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { byUrgency, readCase, readCases } from './cases';
import { type LocalDb, openLocalDb, type StoredDecision } from './db';
import { storedDecision } from './stored-decision.fixtures';

const decision = (id: string, beslutsdatum: string): StoredDecision =>
  storedDecision(id, beslutsdatum, {
    verksamhetsomrade: 'lss',
    insats: 'LSS_9_10',
    person: { fornamn: 'A', efternamn: 'B' } as StoredDecision['person'],
  });

const TODAY = '2026-11-20';
let db: LocalDb;
let n = 0;

beforeEach(async () => {
  db = await openLocalDb(`cases-${++n}`);
});

describe('the phone’s view of its decisions', () => {
  it('puts overdue decisions first, then the nearest deadline, and executed ones last', async () => {
    await db.put('decisions', decision('fresh', '2026-11-01'));
    await db.put('decisions', decision('old', '2026-05-01'));
    await db.put('decisions', decision('done', '2026-04-01'));
    await db.put('events', {
      id: 'v1',
      decisionId: 'done',
      type: 'verkstalld',
      date: '2026-05-01',
      recordedAt: '2026-05-01T10:00:00.000Z',
    });
    const cases = (await readCases(db, TODAY)).sort(byUrgency);
    expect(cases.map((c) => c.decision.id)).toEqual(['old', 'fresh', 'done']);
    expect(cases[0]!.status.overdue).toBe(true);
    expect(cases[2]!.status.waiting).toBe(false);
  });

  it('counts an event still in the outbox, and shows a refused one without counting it', async () => {
    await db.put('decisions', decision('b1', '2026-06-01'));
    const verkstalld = (id: string): CaseEvent => ({
      id,
      decisionId: 'b1',
      type: 'verkstalld',
      date: '2026-11-02',
    });
    await db.put('outbox', {
      id: 'm1',
      mutation: { id: 'm1', kind: 'event', event: verkstalld('e1') },
      createdAt: '2026-11-02T10:00:00.000Z',
      rejected: null,
    });
    const pending = await readCase(db, 'b1', TODAY);
    expect(pending?.events.map((e) => [e.type, e.pending])).toEqual([['verkstalld', true]]);
    expect(pending?.status.state).toBe('verkstalld');

    await db.put('outbox', {
      id: 'm1',
      mutation: { id: 'm1', kind: 'event', event: verkstalld('e1') },
      createdAt: '2026-11-02T10:00:00.000Z',
      rejected: { code: 'BAD_REQUEST', reason: 'Beslutet är avslutat', at: TODAY },
    });
    const refused = await readCase(db, 'b1', TODAY);
    expect(refused?.events[0]?.rejected).toBe('Beslutet är avslutat');
    expect(refused?.status.state).toBe('vantar');
  });

  it('answers null for a decision the phone does not hold', async () => {
    expect(await readCase(db, 'okänd', TODAY)).toBeNull();
  });
});
