import 'fake-indexeddb/auto';
import {
  type CaseEvent,
  caseStatus,
  type Decision,
  episodes,
  rapportorMessages,
} from '@evb/domain';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RouterOutputs } from '../api/client';
import { ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import type { SyncEngine, SyncState } from '../sync/engine';
import { DecisionRead } from './DecisionRead';

const mocks = vi.hoisted(() => ({ get: vi.fn(), history: vi.fn() }));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    decisions: { get: { query: mocks.get } },
    reports: { history: { query: mocks.history } },
  },
}));

type Detail = RouterOutputs['decisions']['get'];

const TODAY = '2026-11-22';
const decision: Decision = {
  id: 'd1',
  lagrum: 'LSS',
  insats: 'LSS_9_4',
  beslutsdatum: '2026-03-02',
};
const events: CaseEvent[] = [
  {
    id: 'e1',
    decisionId: 'd1',
    type: 'erbjudande',
    date: '2026-04-01',
    text: 'Kontaktperson Eva',
  },
  {
    id: 'e2',
    decisionId: 'd1',
    type: 'tackat_nej',
    date: '2026-04-10',
    erbjudandedatum: '2026-04-01',
    orsak: 'geografiskt_lage',
  },
];

function detail(): Detail {
  const status = caseStatus(decision, events, TODAY);
  const messages = rapportorMessages(decision, events, TODAY);
  return {
    decision: {
      id: 'd1',
      namndId: 'vard',
      verksamhetsomrade: 'LSS',
      inriktning: null,
      inriktningText: null,
      lagrum: 'LSS',
      insats: 'LSS_9_4',
      insatsLabel: 'Kontaktperson',
      beslutsdatum: '2026-03-02',
      forhandsbesked: false,
      ersatterBeslutId: null,
      extern: false,
      orderedAt: null,
      handlaggare: { id: 'h1', namn: 'Sara Nyström' },
      enhet: { id: 'e', namn: 'Kontaktpersonsenheten', typ: 'utforarenhet' },
      person: {
        id: 'p1',
        fornamn: 'Ada',
        efternamn: 'Lind',
        personnummer: '19121212-1212',
        identitet: 'personnummer',
        kon: 'kvinna',
        fodelsedatum: '1912-12-12',
        skyddadIdentitet: false,
        ivoId: '19121212-T124',
        fullIdentity: true,
      },
      caseStatus: status,
    },
    events: events.map((e) => ({ ...e, recordedBy: { id: 'h1', namn: 'Sara Nyström' } })),
    episodes: episodes(decision, events),
    caseStatus: status,
    messages: messages.map((m, i) => ({
      ...m,
      handled: i === 0,
      handledAt: i === 0 ? '2026-06-03T08:00:00.000Z' : null,
      handledBy: i === 0 ? { id: 'r1', namn: 'Karin Holm' } : null,
    })),
    filings: [],
  } as Detail;
}

let db: LocalDb;
let dbCount = 0;

beforeEach(async () => {
  db = await openLocalDb(`decision-read-test-${++dbCount}`);
  mocks.get.mockReset();
  mocks.history.mockReset().mockResolvedValue({ decisionId: 'd1', filings: [] });
});

afterEach(() => {
  cleanup();
  db.close();
});

function renderPage(address: string) {
  window.history.replaceState(null, '', address);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const state = { online: true } as SyncState;
  const engine = { subscribe: () => () => {}, getState: () => state } as unknown as SyncEngine;
  return render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine }}>
        <DecisionRead params={{ id: 'd1' }} />
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

describe('DecisionRead, a decision as the rapportör reads it', () => {
  it('reads the decision from the server and shows it without any form, with the way back', async () => {
    mocks.get.mockResolvedValue(detail());
    renderPage('/beslut/d1?kvartal=2026-Q3&namnd=vard&visa=fel');
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lind' })).toBeTruthy();
    // The server's read is the audited one (decisions.get, beslut_last).
    expect(mocks.get).toHaveBeenCalledWith({ id: 'd1' });
    const facts = screen.getByRole('heading', { level: 1 }).parentElement!;
    expect(facts.textContent).toContain('Kontaktperson');
    // The decision's date, as the facts and the timeline's first entry give it.
    expect(screen.getAllByText('2 mars 2026', { exact: true })).toHaveLength(2);
    expect(facts.textContent).toContain('19121212-1212');
    expect(facts.textContent).toContain('Sara Nyström');
    expect(facts.textContent).toContain('Kontaktpersonsenheten');

    const timeline = screen.getByRole('region', { name: 'Händelser' });
    expect(
      within(timeline)
        .getAllByRole('listitem')
        .map((li) => li.querySelector('strong')?.textContent),
    ).toEqual(['Tackat nej', 'Erbjudande', 'Beslut']);
    expect(timeline.textContent).toContain('Kontaktperson Eva');

    const messages = screen.getByRole('region', { name: 'Meddelanden till rapportören' });
    expect(messages.textContent).toContain('Hanterat 3 juni 2026 av Karin Holm');
    expect(messages.textContent).toContain('Ej hanterat');

    // Read-only: no event can be logged here.
    expect(screen.queryByRole('heading', { name: 'Registrera' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Anteckning|Skäl/ })).toBeNull();
    expect(screen.queryByRole('textbox')).toBeNull();

    expect(
      screen.getByRole('link', { name: '← Tillbaka till individrapporterna' }).getAttribute('href'),
    ).toBe('/kvartal?kvartal=2026-Q3&namnd=vard&visa=fel');
    expect(
      await screen.findByText('Inga individrapporter om beslutet är inlämnade till IVO.'),
    ).toBeTruthy();
  });

  it('goes back to the list as it opens when the link did not say where from', async () => {
    mocks.get.mockResolvedValue(detail());
    renderPage('/beslut/d1');
    await screen.findByRole('heading', { level: 1, name: 'Ada Lind' });
    expect(
      screen.getByRole('link', { name: '← Till individrapporterna' }).getAttribute('href'),
    ).toBe('/kvartal');
  });

  it('says so when the decision is not one the rapportör may see, without telling more', async () => {
    mocks.get.mockRejectedValue(
      new TRPCClientError('Hittades inte', {
        result: { error: { message: 'Hittades inte', code: -32004, data: { httpStatus: 404 } } },
      } as never),
    );
    renderPage('/beslut/d1?kvartal=2026-Q3&namnd=vard');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Beslutet finns inte' }),
    ).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'Beslutet finns inte, eller så rapporterar du inte för dess nämnd och verksamhetsområde.',
    );
    expect(screen.queryByRole('button', { name: 'Försök igen' })).toBeNull();
    expect(mocks.history).not.toHaveBeenCalled();
  });

  it('offers to try again when the server cannot be reached', async () => {
    mocks.get.mockRejectedValue(new TypeError('Failed to fetch'));
    renderPage('/beslut/d1');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Beslutet kunde inte hämtas' }),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Försök igen' })).toBeTruthy();
  });
});
