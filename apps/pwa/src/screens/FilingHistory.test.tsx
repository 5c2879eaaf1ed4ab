import 'fake-indexeddb/auto';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import type { SyncEngine, SyncState } from '../sync/engine';
import { FilingHistory } from './FilingHistory';
import { DECISION_ID, filingOf, PREFILL, PREVIOUS_DRAFT } from './individrapport.fixtures';

const mocks = vi.hoisted(() => ({ history: vi.fn() }));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: { reports: { history: { query: mocks.history } } },
}));

let db: LocalDb;
let dbCount = 0;

beforeEach(async () => {
  db = await openLocalDb(`filing-history-test-${++dbCount}`);
  mocks.history.mockReset();
});

afterEach(() => {
  cleanup();
  db.close();
});

function renderSection(online: boolean) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const state = { online } as SyncState;
  const engine = { subscribe: () => () => {}, getState: () => state } as unknown as SyncEngine;
  return render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine }}>
        <FilingHistory decisionId={DECISION_ID} />
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

describe('FilingHistory', () => {
  it('lists the filings, newest quarter first, each with its frozen copy', async () => {
    const q2 = filingOf(PREVIOUS_DRAFT, {
      id: 'f-q2',
      quarter: '2026-Q2',
      quarterLabel: 'kvartal 2 2026',
      report: 'ny',
      filedOn: '2026-07-10',
      filedBy: { id: 'r2', namn: 'Magnus Ek' },
    });
    const q3 = filingOf({ ...PREFILL, skal: 'hos_kommunen', orsak: 'brist_plats' });
    mocks.history.mockResolvedValue({ decisionId: DECISION_ID, filings: [q2, q3] });
    renderSection(true);
    const section = screen.getByRole('region', { name: 'Inlämnat till IVO' });
    const items = await within(section).findAllByRole('listitem');
    expect(mocks.history).toHaveBeenCalledWith({ decisionId: DECISION_ID });
    expect(items.map((i) => within(i).getByRole('heading').textContent)).toEqual([
      'Kvartal 3 2026 – återrapportering',
      'Kvartal 2 2026 – nyrapportering',
    ]);
    expect(items[0]!.textContent).toContain('Ej verkställt Inlämnad 15 oktober 2026 av Karin Holm');
    expect(items[1]!.textContent).toContain('Inlämnad 10 juli 2026 av Magnus Ek');
    const details = items[0]!.querySelector('details')!;
    expect(details.open).toBe(false);
    fireEvent.click(within(items[0]!).getByText('Visa rapporten som lämnades in'));
    expect(within(items[0]!).getByText(/Huvudsakligt skäl: Hos kommunen/).tagName).toBe('PRE');
  });

  it('says when nothing is filed, and that the list needs a connection', async () => {
    mocks.history.mockResolvedValue({ decisionId: DECISION_ID, filings: [] });
    renderSection(true);
    expect(
      await screen.findByText('Inga individrapporter om beslutet är inlämnade till IVO.'),
    ).toBeTruthy();
    cleanup();
    mocks.history.mockClear();
    renderSection(false);
    expect(screen.getByText('Rapporterna till IVO visas när du är ansluten.')).toBeTruthy();
    expect(mocks.history).not.toHaveBeenCalled();
  });
});
