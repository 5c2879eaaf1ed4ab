import 'fake-indexeddb/auto';
import { addDays, todayInStockholm } from '@evb/domain';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { DecisionPage } from '../screens/DecisionPage';
import { SyncEngine, type SyncState } from '../sync/engine';
import { type LocalDb, openLocalDb } from './db';
import {
  caseFromDetail,
  type DecisionDetail,
  readDeviceExtras,
  storedDecisionOf,
} from './online-case';
import { grant, storedDecision } from './stored-decision.fixtures';

/*
 * Issue 13: a device keeps only the decisions its user works on; an older one is read from the
 * server when its page is opened online (decisions.get), shown as the device's copy would be, with
 * the same forms; offline the page says it is read when connected; one the user may not see stays
 * "finns inte".
 */

const mocks = vi.hoisted(() => ({ get: vi.fn(), history: vi.fn() }));
vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    decisions: { get: { query: mocks.get } },
    reports: { history: { query: mocks.history } },
  },
}));

const today = todayInStockholm();
// Decided three years ago, executed two and a half years ago: long before the sync window.
const beslutsdatum = addDays(today, -3 * 365);
const executedOn = addDays(beslutsdatum, 150);

function detail(): DecisionDetail {
  const d = storedDecision('old1', beslutsdatum);
  return {
    decision: {
      ...d,
      orderedAt: null,
      insatsLabel: 'Bostad med särskild service för vuxna',
      handlaggare: { id: 'h1', namn: 'Hanna Handläggare' },
      enhet: { id: 'e1', namn: 'Gruppbostad Eken', typ: 'egen' },
      person: { ...d.person, fornamn: 'Gösta', efternamn: 'Äldre' },
      caseStatus: {},
    },
    events: [
      {
        id: 'ev1',
        decisionId: 'old1',
        type: 'verkstalld',
        date: executedOn,
        recordedBy: { id: 'u1', namn: 'Ulla Utförare' },
      },
    ],
    episodes: [],
    caseStatus: {},
    messages: [],
    filings: [],
  } as unknown as DecisionDetail;
}

const USERS = {
  utforare: { id: 'u1', roles: [grant('utforare', { enhetId: 'e1' })] },
  handlaggare: { id: 'h1', roles: [grant('handlaggare', { namndId: 'n1' })] },
} as unknown as Record<string, Me>;

function notFound() {
  return new TRPCClientError('Hittades inte', {
    result: { error: { code: -32004, message: 'Hittades inte', data: { httpStatus: 404 } } },
  } as never);
}

let db: LocalDb;
let n = 0;

beforeEach(async () => {
  db = await openLocalDb(`online-case-${++n}`);
  mocks.get.mockReset().mockResolvedValue(detail());
  mocks.history.mockReset().mockResolvedValue({ decisionId: 'old1', filings: [] });
});

afterEach(() => {
  cleanup();
  db.close();
});

function renderPage(user: string, online: boolean) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const sync = { online } as SyncState;
  const engine = { subscribe: () => () => {}, getState: () => sync } as unknown as SyncEngine;
  render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine }}>
        <MeContext.Provider value={USERS[user]!}>
          <DecisionPage params={{ id: 'old1' }} />
        </MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

describe('a decision the device does not keep', () => {
  it('is read from the server while online and shown with its events and forms', async () => {
    renderPage('handlaggare', true);
    await screen.findByRole('heading', { level: 1, name: 'Gösta Äldre' });
    expect(mocks.get).toHaveBeenCalledWith({ id: 'old1' });
    expect(
      screen.getByText(
        'Beslutet är äldre än det som sparas på enheten och är hämtat från servern.',
      ),
    ).toBeTruthy();
    expect(screen.getByText('Verkställt', { selector: '.badge' })).toBeTruthy();
    const timeline = screen.getByRole('region', { name: 'Händelser' });
    expect(within(timeline).getByText('Verkställt')).toBeTruthy();
    // An executed decision: its handläggare may log an interruption, a note, or close it.
    const forms = within(screen.getByRole('region', { name: 'Registrera' }))
      .getAllByRole('button')
      .map((b) => b.textContent);
    expect(forms).toEqual(['Avbrott', 'Anteckning', 'Avslutat']);
  });

  it('says offline, in Swedish and plainly, that it is read when connected', async () => {
    renderPage('utforare', false);
    await screen.findByRole('heading', { level: 1, name: 'Beslutet hämtas när du är ansluten' });
    expect(screen.getByText(/Beslutet är äldre än det som sparas på enheten/).textContent).toMatch(
      /läses från servern när du är ansluten/,
    );
    expect(mocks.get).not.toHaveBeenCalled();
  });

  it('stays "finns inte" when the server says not found (or not the user’s)', async () => {
    mocks.get.mockReset().mockRejectedValue(notFound());
    renderPage('utforare', true);
    await screen.findByRole('heading', { level: 1, name: 'Beslutet finns inte här' });
    expect(
      screen.getByText(/Beslutet finns inte på enheten, eller så har du inte längre behörighet/),
    ).toBeTruthy();
  });

  it('says so, with a retry, when the server cannot be reached', async () => {
    mocks.get.mockReset().mockRejectedValue(new TypeError('Failed to fetch'));
    renderPage('utforare', true);
    await screen.findByRole(
      'heading',
      { level: 1, name: 'Beslutet kunde inte hämtas' },
      { timeout: 8000 },
    );
    expect(screen.getByRole('alert').textContent).toContain('Servern svarar inte just nu.');
    mocks.get.mockReset().mockResolvedValue(detail());
    screen.getByRole('button', { name: 'Försök igen' }).click();
    await screen.findByRole('heading', { level: 1, name: 'Gösta Äldre' });
  }, 15_000);

  it('is read from the device, not the server, when the device holds it', async () => {
    await db.put('decisions', storedDecisionOf(detail().decision));
    renderPage('utforare', true);
    await screen.findByRole('heading', { level: 1, name: 'Gösta Äldre' });
    expect(mocks.get).not.toHaveBeenCalled();
    expect(screen.queryByText(/hämtat från servern/)).toBeNull();
  });
});

describe('caseFromDetail', () => {
  it('counts the events logged on the device: an interruption in the outbox makes it wait again', async () => {
    const engine = new SyncEngine(db, {} as never, false);
    await engine.enqueueEvent({
      id: 'ev2',
      decisionId: 'old1',
      type: 'avbrott',
      date: addDays(today, -1),
    });
    const extras = await readDeviceExtras(db, 'old1');
    expect(extras.outbox).toHaveLength(1);
    const item = caseFromDetail(detail(), extras, today);
    expect(item.events.map((e) => [e.id, e.pending, e.recordedBy?.namn])).toEqual([
      ['ev1', false, 'Ulla Utförare'],
      ['ev2', true, undefined],
    ]);
    expect(item.status.waiting).toBe(true);
    expect(item.decision).toMatchObject({ id: 'old1', handlaggareId: 'h1', enhetId: 'e1' });
  });

  it('shows an acknowledged event once, whether or not the server’s answer has it yet', () => {
    const d = detail();
    const sent = { id: 'ev1', decisionId: 'old1', type: 'verkstalld', date: executedOn } as const;
    const item = caseFromDetail(d, { events: [sent], outbox: [] }, today);
    expect(item.events.map((e) => e.id)).toEqual(['ev1']);
    expect(item.status.state).toBe('verkstalld');
  });
});
