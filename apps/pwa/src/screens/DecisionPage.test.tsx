import 'fake-indexeddb/auto';
import { addDays, type CaseEvent, todayInStockholm } from '@evb/domain';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import { grant, storedDecision } from '../local/stored-decision.fixtures';
import type { SyncEngine, SyncState } from '../sync/engine';
import { DecisionPage } from './DecisionPage';

/*
 * The decision page offers the forms the domain's state allows for the user's roles (issue 12):
 * never eleven buttons and a refusal after typing.
 */

const mocks = vi.hoisted(() => ({ history: vi.fn() }));
vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: { reports: { history: { query: mocks.history } } },
}));

const today = todayInStockholm();
const beslutsdatum = addDays(today, -120);
const decision = storedDecision('b1', beslutsdatum);

const USERS = {
  utforare: { id: 'u1', roles: [grant('utforare', { enhetId: 'e1' })] },
  handlaggare: { id: 'h1', roles: [grant('handlaggare', { namndId: 'n1' })] },
  rapportor: { id: 'r1', roles: [grant('rapportor', { namndId: 'n1' })] },
} as unknown as Record<string, Me>;

const at = (days: number) => addDays(beslutsdatum, days);
const STATES: Record<string, CaseEvent[]> = {
  waiting: [],
  executed: [{ id: 'x1', decisionId: 'b1', type: 'verkstalld', date: at(30) }],
  interrupted: [
    { id: 'x1', decisionId: 'b1', type: 'verkstalld', date: at(30) },
    { id: 'x2', decisionId: 'b1', type: 'avbrott', date: at(60) },
  ],
  closed: [
    { id: 'x1', decisionId: 'b1', type: 'avslutad', date: at(30), anledning: 'behov_upphort' },
  ],
  'refused, called': [
    {
      id: 'x1',
      decisionId: 'b1',
      type: 'skal',
      date: at(40),
      skal: 'tackat_nej',
      orsak: 'vill_avvakta',
      erbjudandedatum: '2026-01-05',
    },
    {
      id: 'x2',
      decisionId: 'b1',
      type: 'uppfoljning',
      date: at(60),
      kontakt: 'Vårdnadshavare',
      text: 'Söker vidare',
      korttidsenhetErbjuden: true,
    },
  ],
};

let db: LocalDb;
let n = 0;

beforeEach(async () => {
  db = await openLocalDb(`decision-page-${++n}`);
  await db.put('decisions', decision);
  mocks.history.mockReset().mockResolvedValue({ decisionId: 'b1', filings: [] });
});

afterEach(() => {
  cleanup();
  db.close();
});

async function offeredButtons(state: string, user: string): Promise<string[]> {
  for (const event of STATES[state]!) await db.put('events', event);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const sync = { online: true } as SyncState;
  const engine = { subscribe: () => () => {}, getState: () => sync } as unknown as SyncEngine;
  render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine }}>
        <MeContext.Provider value={USERS[user]!}>
          <DecisionPage params={{ id: 'b1' }} />
        </MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
  await screen.findByRole('heading', { level: 1, name: 'Alva Berg' });
  const section = screen.queryByRole('region', { name: 'Registrera' });
  if (!section) return [];
  return within(section)
    .getAllByRole('button')
    .map((b) => b.textContent ?? '');
}

describe('DecisionPage, the forms offered', () => {
  it.each([
    [
      'waiting',
      'utforare',
      [
        'Erbjudande',
        'Tackat nej',
        'Delvis verkställt',
        'Kompenserande insats',
        'Verkställt',
        'Sammanfattning',
        'Skäl till dröjsmålet',
        'Anteckning',
      ],
    ],
    ['executed', 'utforare', ['Avbrott', 'Anteckning']],
    ['executed', 'handlaggare', ['Avbrott', 'Anteckning', 'Avslutat']],
    ['executed', 'rapportor', ['Anteckning']],
    [
      'interrupted',
      'handlaggare',
      [
        'Erbjudande',
        'Tackat nej',
        'Delvis verkställt',
        'Kompenserande insats',
        'Verkställt',
        'Sammanfattning',
        'Uppföljningssamtal',
        'Skäl till dröjsmålet',
        'Anteckning',
        'Avslutat',
      ],
    ],
    ['closed', 'utforare', ['Anteckning']],
    ['closed', 'handlaggare', ['Anteckning']],
  ])('%s, %s: %j', async (state, user, expected) => {
    expect(await offeredButtons(state, user)).toEqual(expected);
  });
});

describe('DecisionPage, the timeline', () => {
  it('shows a refusal skäl’s offer date and a call’s offer of korttidsvistelse', async () => {
    await offeredButtons('refused, called', 'handlaggare');
    const timeline = screen.getByRole('region', { name: 'Händelser' });
    expect(within(timeline).getByText('Erbjudandet gjordes 5 januari 2026')).toBeTruthy();
    expect(
      within(timeline).getByText(
        'Korttidsvistelse på korttidsenhet erbjöds i väntan på stödfamilj',
      ),
    ).toBeTruthy();
  });
});
