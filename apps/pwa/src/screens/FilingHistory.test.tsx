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
    // Q1 was sent in the e-tjänst and recorded afterwards, without the fields as sent; Q4's
    // recording gave them.
    const q1 = filingOf(PREVIOUS_DRAFT, {
      id: 'f-q1',
      quarter: '2026-Q1',
      quarterLabel: 'kvartal 1 2026',
      report: 'ny',
      filedOn: '2026-04-20',
      filedAt: '2026-11-22T10:00:00.000Z',
      filedBy: { id: 'r1', namn: 'Karin Holm' },
      recorded: 'efterhand',
      fieldsAsSent: false,
    });
    const q4 = filingOf(PREFILL, {
      id: 'f-q4',
      quarter: '2026-Q4',
      quarterLabel: 'kvartal 4 2026',
      filedOn: '2027-01-12',
      filedAt: '2027-03-02T08:05:00.000Z',
      filedBy: { id: 'r2', namn: 'Magnus Ek' },
      recorded: 'import',
      fieldsAsSent: true,
    });
    mocks.history.mockResolvedValue({ decisionId: DECISION_ID, filings: [q1, q2, q3, q4] });
    renderSection(true);
    const section = screen.getByRole('region', { name: 'Inlämnat till IVO' });
    const items = await within(section).findAllByRole('listitem');
    expect(mocks.history).toHaveBeenCalledWith({ decisionId: DECISION_ID });
    expect(items.map((i) => within(i).getByRole('heading').textContent)).toEqual([
      'Kvartal 4 2026 – återrapportering',
      'Kvartal 3 2026 – återrapportering',
      'Kvartal 2 2026 – nyrapportering',
      'Kvartal 1 2026 – nyrapportering',
    ]);
    const [i4, i3, i2, i1] = items as [HTMLElement, HTMLElement, HTMLElement, HTMLElement];
    expect(i3.textContent).toContain('Ej verkställt Inlämnad 15 oktober 2026 av Karin Holm');
    expect(i3.textContent).not.toContain('Registrerad');
    expect(i2.textContent).toContain('Inlämnad 10 juli 2026 av Magnus Ek');
    const details = i3.querySelector('details')!;
    expect(details.open).toBe(false);
    fireEvent.click(within(i3).getByText('Visa rapporten som lämnades in'));
    expect(within(i3).getByText(/Huvudsakligt skäl: Hos kommunen/).tagName).toBe('PRE');
    // Recorded afterwards: by whom and when, and that the copy is evb's report, not what was sent.
    expect(i1.textContent).toContain('Inlämnad 20 april 2026');
    expect(i1.textContent).not.toContain('20 april 2026 av');
    expect(i1.textContent).toContain(
      'Registrerad i efterhand av Karin Holm 22 november 2026 kl. 11:00. Uppgifterna är evb:s rapport när inlämningen registrerades, inte en kopia av det som skickades till IVO.',
    );
    expect(within(i1).getByText('Visa evb:s rapport när inlämningen registrerades')).toBeTruthy();
    // Imported with the fields as sent.
    expect(i4.textContent).toContain(
      'Registrerad vid import av tidigare inlämningar av Magnus Ek 2 mars 2027 kl. 09:05. Uppgifterna är de som skickades till IVO, som de angavs när inlämningen registrerades.',
    );
    expect(within(i4).getByText('Visa rapporten som lämnades in')).toBeTruthy();
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
