import 'fake-indexeddb/auto';
import type { CaseEvent } from '@evb/domain';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb, type StoredDecision } from '../local/db';
import type { SyncEngine, SyncState } from '../sync/engine';
import { CaseList } from './CaseList';

const decision = (id: string, insats: string, beslutsdatum: string, extern = false) =>
  ({
    id,
    namndId: 'n1',
    verksamhetsomrade: 'LSS',
    inriktning: null,
    inriktningText: null,
    lagrum: 'LSS',
    insats,
    beslutsdatum,
    forhandsbesked: false,
    ersatterBeslutId: null,
    handlaggareId: 'h1',
    enhetId: 'bt',
    extern,
    person: { fornamn: id, efternamn: 'Lind', ivoId: '19800101-T124' },
  }) as StoredDecision;

const event = (e: CaseEvent): CaseEvent => ({ ...e, recordedAt: `${e.date}T09:00:00.000Z` });

let db: LocalDb;
let dbCount = 0;

/*
 * Boendeteamet's orders on Monday 1 June 2026:
 * - Astrid (9 § 9 gruppbostad, decided 3 March): call and summary done, three months on 3 June;
 *   offered Gruppbostad Eken on 10 April, refused on 20 April.
 * - Bo (9 § 8 externt, decided 16 March): the handläggare's call (16–30 May) is overdue; the
 *   summary is due 16 June; offered a family home on 25 May, no answer yet.
 * - Cilla (9 § 9 servicebostad, decided 10 November 2025): the summary due 8 May was never written.
 */
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-06-01T10:00:00Z'));
  db = await openLocalDb(`case-list-test-${++dbCount}`);
  await db.put('decisions', decision('Astrid', 'LSS_9_9_GRUPPBOSTAD', '2026-03-03'));
  await db.put('decisions', decision('Bo', 'LSS_9_8', '2026-03-16', true));
  await db.put('decisions', decision('Cilla', 'LSS_9_9_SERVICEBOSTAD', '2025-11-10'));
  for (const e of [
    {
      id: 'a1',
      decisionId: 'Astrid',
      type: 'erbjudande',
      date: '2026-04-10',
      text: 'Gruppbostad Eken',
    },
    {
      id: 'a2',
      decisionId: 'Astrid',
      type: 'tackat_nej',
      date: '2026-04-20',
      erbjudandedatum: '2026-04-10',
      orsak: 'geografiskt_lage',
    },
    {
      id: 'a3',
      decisionId: 'Astrid',
      type: 'uppfoljning',
      date: '2026-05-10',
      kontakt: 'God man',
      text: 'Väntar',
    },
    { id: 'a4', decisionId: 'Astrid', type: 'sammanfattning', date: '2026-05-20', text: 'Sökt' },
    { id: 'b1', decisionId: 'Bo', type: 'erbjudande', date: '2026-05-25', text: 'Familjehem i Ås' },
  ] as CaseEvent[]) {
    await db.put('events', event(e));
  }
});

afterEach(() => {
  cleanup();
  db.close();
  vi.useRealTimers();
});

function renderList(element: React.ReactElement) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const state = { online: true } as SyncState;
  const engine = { subscribe: () => () => {}, getState: () => state } as unknown as SyncEngine;
  return render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine }}>{element}</ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

const cards = () => screen.getAllByRole('listitem').filter((li) => li.className.includes('card'));
const cardOf = (name: string) => cards().find((c) => c.textContent?.startsWith(`${name} Lind`))!;

describe('Mina beställningar, the matchare’s list', () => {
  it('puts the matchare’s own most urgent first and shows that deadline on each card', async () => {
    renderList(<CaseList title="Mina beställningar" roles={['utforare', 'matchare']} showOffers />);
    await screen.findByRole('link', { name: 'Astrid Lind' });
    expect(cards().map((c) => c.querySelector('h2')?.textContent)).toEqual([
      'Cilla Lind',
      'Astrid Lind',
      'Bo Lind',
    ]);
    expect(cardOf('Cilla').textContent).toContain(
      'Försenad sedan 9 maj 2026: Sammanfattning senast 8 maj 2026',
    );
    expect(cardOf('Astrid').textContent).toContain('Tremånadersdag 3 juni 2026 (om 2 dagar)');
    expect(cardOf('Bo').textContent).toContain('Sammanfattning senast 16 juni 2026 (om 15 dagar)');
    // The handläggare's overdue call on Bo's decision is not the matchare's alarm.
    expect(cardOf('Bo').textContent).not.toContain('Försenad');
    expect(cardOf('Bo').textContent).not.toContain('Uppföljningssamtal');
    // Marked urgent only where the deadline late is the matchare's own.
    expect(cards().map((c) => c.classList.contains('card-urgent'))).toEqual([true, false, false]);
  });

  it('shows the lagrum and the latest offer with its answer', async () => {
    renderList(<CaseList title="Mina beställningar" roles={['utforare', 'matchare']} showOffers />);
    await screen.findByRole('link', { name: 'Astrid Lind' });
    expect(cardOf('Bo').textContent).toContain('LSS 9 § 8, externt');
    expect(cardOf('Astrid').textContent).toContain('LSS 9 § 9');
    expect(cardOf('Astrid').textContent).toContain(
      'Senaste erbjudande 10 april 2026 (Gruppbostad Eken): tackat nej 20 april 2026',
    );
    expect(cardOf('Bo').textContent).toContain(
      'Senaste erbjudande 25 maj 2026 (Familjehem i Ås): inget svar än',
    );
    expect(cardOf('Cilla').textContent).not.toContain('erbjudande');
  });

  it('is searched by lagrum or insats in the labelled search field', async () => {
    renderList(<CaseList title="Mina beställningar" roles={['utforare', 'matchare']} showOffers />);
    await screen.findByRole('link', { name: 'Astrid Lind' });
    const search = screen.getByLabelText('Sök på namn, IVO-id, insats eller lagrum (t.ex. 9 § 9)');
    fireEvent.change(search, { target: { value: '9 § 9' } });
    expect(cards().map((c) => c.querySelector('h2')?.textContent)).toEqual([
      'Cilla Lind',
      'Astrid Lind',
    ]);
    fireEvent.change(search, { target: { value: '9 § 8' } });
    expect(cards().map((c) => c.querySelector('h2')?.textContent)).toEqual(['Bo Lind']);
    fireEvent.change(search, { target: { value: 'servicebostad' } });
    expect(cards().map((c) => c.querySelector('h2')?.textContent)).toEqual(['Cilla Lind']);
    fireEvent.change(search, { target: { value: '9 § 7' } });
    expect(screen.getByText('Inga beslut matchar.')).toBeTruthy();
  });
});

describe('Mina beslut, the handläggare’s list', () => {
  it('orders by the call and the message, and marks late only the handläggare’s own', async () => {
    renderList(<CaseList title="Mina beslut" roles={['handlaggare']} />);
    await screen.findByRole('link', { name: 'Astrid Lind' });
    expect(cards().map((c) => c.querySelector('h2')?.textContent)).toEqual([
      'Cilla Lind',
      'Bo Lind',
      'Astrid Lind',
    ]);
    expect(cardOf('Bo').textContent).toContain(
      'Försenad sedan 31 maj 2026: Uppföljningssamtal senast 30 maj 2026',
    );
    expect(cardOf('Astrid').textContent).toContain(
      'Meddelande till rapportören senast 4 juni 2026 (om 3 dagar)',
    );
    expect(within(cardOf('Astrid')).queryByText(/Senaste erbjudande/)).toBeNull();
  });
});

describe('a long list', () => {
  it('draws every card, most urgent first, and a search shows only its matches', async () => {
    // Forty more orders, decided a day apart: the earlier decided, the more urgent.
    for (let i = 0; i < 40; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const month = i < 28 ? '01' : '02';
      await db.put(
        'decisions',
        decision(`P${String(i).padStart(2, '0')}`, 'LSS_9_9', `2026-${month}-${day}`),
      );
    }
    renderList(<CaseList title="Mina beställningar" roles={['utforare', 'matchare']} showOffers />);
    await screen.findByRole('link', { name: 'Astrid Lind' });
    const names = () => cards().map((c) => c.querySelector('h2')?.textContent);
    const first = names();
    // The cards past the first screenful come in a background render, after the first ones.
    await vi.waitFor(() => expect(cards()).toHaveLength(43));
    expect(new Set(names()).size).toBe(43);
    expect(names().slice(0, first.length)).toEqual(first);
    const search = screen.getByLabelText('Sök på namn, IVO-id, insats eller lagrum (t.ex. 9 § 9)');
    fireEvent.change(search, { target: { value: 'P3' } });
    await vi.waitFor(() =>
      expect(cards().map((c) => c.querySelector('h2')?.textContent)).toEqual(
        Array.from({ length: 10 }, (_, i) => `P3${i} Lind`),
      ),
    );
  });
});
