import 'fake-indexeddb/auto';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import type { SyncEngine } from '../sync/engine';
import { QuarterPage } from './QuarterPage';
import type { QuarterLine, QuarterLines } from './quarter-view';

const mocks = vi.hoisted(() => ({ overview: vi.fn(), lines: vi.fn() }));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    org: { overview: { query: mocks.overview } },
    quarter: { lines: { query: mocks.lines } },
  },
}));

const ORG = {
  namnder: [
    {
      id: 'vard',
      namn: 'Vård- och omsorgsnämnden',
      kommunId: 'k',
      mayRegister: false,
      verksamhetsomraden: [],
      enheter: [],
    },
    {
      id: 'social',
      namn: 'Socialnämnden',
      kommunId: 'k',
      mayRegister: false,
      verksamhetsomraden: [],
      enheter: [],
    },
  ],
};

const me = (namnder: string[]) =>
  ({
    id: 'r1',
    displayName: 'Karin Holm',
    roles: namnder.map((namndId) => ({
      role: 'rapportor',
      namndId,
      verksamhetsomrade: null,
      enhetId: null,
    })),
  }) as unknown as Me;

const line = (over: Partial<QuarterLine>): QuarterLine => ({
  kategori: 'nyrapportering',
  decisionId: 'd1',
  person: { ivoId: '19800101-T123', namn: 'Ada Lind', skyddadIdentitet: false },
  insats: 'LSS_9_10',
  insatsLabel: 'Daglig verksamhet',
  verksamhetsomrade: 'LSS',
  forhandsbesked: false,
  episode: { kind: 'beslut', start: '2025-11-20' },
  report: 'ny',
  status: 'ej_verkstalld',
  statusDate: null,
  overdueFrom: '2026-02-21',
  daysWaited: 131,
  filed: false,
  filedOn: null,
  unhandledMessages: 0,
  ...over,
});

function answer(q: { year: number; quarter: 1 | 2 | 3 | 4 }, lines: QuarterLine[]): QuarterLines {
  const count = (k: QuarterLine['kategori']) => lines.filter((l) => l.kategori === k).length;
  return {
    namndId: 'vard',
    quarter: q,
    quarterKey: `${q.year}-Q${q.quarter}`,
    referenceDate: '2026-03-31',
    window: { opens: '2026-04-01', closes: '2026-04-30' },
    windowWarning: null,
    verksamhetsomraden: null,
    counts: {
      nyrapportering: count('nyrapportering'),
      aterrapportering: count('aterrapportering'),
      slutrapportering: count('slutrapportering'),
    },
    lines,
  };
}

let db: LocalDb;
let dbCount = 0;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  // 20 April 2026 in Sweden: the window of Q1 2026 is open until 30 April.
  vi.setSystemTime(new Date('2026-04-20T10:00:00Z'));
  db = await openLocalDb(`quarter-test-${++dbCount}`);
  // The chosen quarter and nämnd live in the address: each test starts from none.
  window.history.replaceState(null, '', '/kvartal');
  mocks.overview.mockReset().mockResolvedValue(ORG);
  mocks.lines.mockReset();
});

afterEach(() => {
  cleanup();
  db.close();
  vi.useRealTimers();
});

function renderScreen(user: Me) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine: {} as SyncEngine }}>
        <MeContext.Provider value={user}>
          <QuarterPage />
        </MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

describe('QuarterPage', () => {
  it('opens on the quarter whose window is open and groups its lines', async () => {
    mocks.lines.mockImplementation(async ({ quarter }) =>
      answer(quarter, [
        line({}),
        line({
          decisionId: 'd2',
          kategori: 'aterrapportering',
          report: 'ater',
          person: { ivoId: '19700505-T010', namn: 'Bo Ek', skyddadIdentitet: true },
          episode: { kind: 'avbrott', start: '2025-08-01' },
          overdueFrom: '2025-11-02',
          daysWaited: 242,
          filed: true,
          filedOn: '2026-04-02',
        }),
        line({
          decisionId: 'd3',
          kategori: 'slutrapportering',
          report: 'ater',
          status: 'verkstalld',
          statusDate: '2026-03-02',
        }),
      ]),
    );
    renderScreen(me(['vard']));
    const picker = screen.getByLabelText('Kvartal') as HTMLSelectElement;
    expect(picker.value).toBe('2026-Q1');
    expect(screen.getByText(/är öppen: 10 dagar kvar efter i dag/)).toBeTruthy();
    expect(screen.getByText('Öppen')).toBeTruthy();

    const ny = await screen.findByRole('table', { name: /Nyrapporteringar/ });
    expect(mocks.lines).toHaveBeenCalledWith({
      namndId: 'vard',
      quarter: { year: 2026, quarter: 1 },
    });
    expect(screen.getByRole('heading', { name: 'Nyrapporteringar (1)' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Återrapporteringar (1)' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Slutrapporteringar (1)' })).toBeTruthy();

    const row = within(ny).getByRole('row', { name: /Ada Lind/ });
    expect(within(row).getByRole('rowheader').textContent).toContain('IVO-id 19800101-T123');
    expect(row.textContent).toContain('Beslut 20 november 2025');
    expect(row.textContent).toContain('21 februari 2026');
    expect(row.textContent).toContain('131 dagar');
    expect(row.textContent).toContain('Ej verkställt');
    expect(row.textContent).toContain('Ej inlämnad');

    const ater = screen.getByRole('table', { name: /Återrapporteringar/ });
    expect(ater.textContent).toContain('Avbrott – ej återupptaget');
    expect(ater.textContent).toContain('Inlämnad 2 april 2026');
    expect(ater.textContent).toContain('Skyddad identitet');
    const slut = screen.getByRole('table', { name: /Slutrapporteringar/ });
    expect(slut.textContent).toContain('Verkställt 2 mars 2026');
  });

  it('steps between quarters, from the current one back a limited number', async () => {
    mocks.lines.mockImplementation(async ({ quarter }) => answer(quarter, []));
    renderScreen(me(['vard']));
    const picker = screen.getByLabelText('Kvartal') as HTMLSelectElement;
    const next = screen.getByRole('button', { name: 'Nästa kvartal →' });
    const previous = screen.getByRole('button', { name: '← Föregående kvartal' });
    expect(picker.options[0]!.value).toBe('2026-Q2');
    expect(picker.options[picker.options.length - 1]!.value).toBe('2024-Q2');

    fireEvent.click(next);
    expect(picker.value).toBe('2026-Q2');
    expect((next as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/har inte börjat: den öppnar om 72 dagar/)).toBeTruthy();
    await waitFor(() =>
      expect(mocks.lines).toHaveBeenLastCalledWith({
        namndId: 'vard',
        quarter: { year: 2026, quarter: 2 },
      }),
    );

    fireEvent.change(picker, { target: { value: '2024-Q3' } });
    fireEvent.click(previous);
    expect(picker.value).toBe('2024-Q2');
    expect((previous as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/är stängd/)).toBeTruthy();
    expect(await screen.findByText('Inga beslut att rapportera för kvartal 2 2024.')).toBeTruthy();
    expect(screen.getByText('Inga nyrapporteringar det här kvartalet.')).toBeTruthy();
  });

  it('lets a rapportör of several nämnder choose, and says so when the lines cannot be read', async () => {
    mocks.lines.mockRejectedValue(new TypeError('Failed to fetch'));
    renderScreen(me(['vard', 'social']));
    const namnd = (await screen.findByLabelText('Nämnd')) as HTMLSelectElement;
    await waitFor(() =>
      expect([...namnd.options].map((o) => o.textContent)).toEqual([
        'Socialnämnden',
        'Vård- och omsorgsnämnden',
      ]),
    );
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /Kvartalets rader kunde inte hämtas/,
    );
    mocks.lines.mockImplementation(async ({ quarter }) => answer(quarter, [line({})]));
    // The first grant's nämnd was asked for; now the other one.
    expect(mocks.lines).toHaveBeenCalledWith({
      namndId: 'vard',
      quarter: { year: 2026, quarter: 1 },
    });
    expect(namnd.value).toBe('vard');
    fireEvent.change(namnd, { target: { value: 'social' } });
    await screen.findByRole('table', { name: /Nyrapporteringar/ });
    expect(screen.getByRole('heading', { level: 2, name: /Socialnämnden/ })).toBeTruthy();
    expect(mocks.lines).toHaveBeenLastCalledWith({
      namndId: 'social',
      quarter: { year: 2026, quarter: 1 },
    });
  });

  it('links each line to its individrapport, counts its messages and says why it cannot be filed', async () => {
    mocks.lines.mockImplementation(async ({ quarter }) => ({
      ...answer(quarter, [
        line({ unhandledMessages: 2 }),
        line({
          decisionId: 'd3',
          kategori: 'slutrapportering',
          report: 'ater',
          status: 'verkstalld',
          statusDate: '2026-03-02',
          unhandledMessages: 1,
        }),
      ]),
      windowWarning: {
        closes: '2026-04-30',
        daysLeft: 10,
        unfiled: 1,
        message:
          'Rapporteringsperioden för kvartal 1 2026 stänger om 10 dagar (2026-04-30) och 1 rad är inte rapporterade.',
      },
    }));
    renderScreen(me(['vard']));
    const ny = await screen.findByRole('table', { name: /Nyrapporteringar/ });
    expect(screen.getByText(/stänger om 10 dagar \(2026-04-30\)/).textContent).toContain(
      'Rapporteringsperioden stänger snart.',
    );
    const link = within(ny).getByRole('link', { name: /^Ada Lind\s*: individrapport$/ });
    expect(link.getAttribute('href')).toBe('/kvartal/2026-Q1/d1/2025-11-20?namndId=vard');
    expect(within(ny).getByRole('row', { name: /Ada Lind/ }).textContent).toContain(
      '2 meddelanden',
    );
    const slut = screen.getByRole('table', { name: /Slutrapporteringar/ });
    expect(slut.textContent).toContain('1 meddelande');
    // The window is open: every line can be filed today.
    expect(screen.queryByText(/Kan inte lämnas in i dag/)).toBeNull();

    const exports = screen.getByRole('region', { name: 'Exportera' });
    expect(
      within(exports)
        .getAllByRole('link')
        .map((a) => a.getAttribute('href')),
    ).toEqual([
      '/api/export/kvartal.pdf?namndId=vard&quarter=2026-Q1',
      '/api/export/kvartal.csv?namndId=vard&quarter=2026-Q1',
      '/api/export/kvartal.xlsx?namndId=vard&quarter=2026-Q1',
    ]);

    // A quarter whose window has closed: the line still waiting cannot be filed, the executed one can.
    fireEvent.change(screen.getByLabelText('Kvartal'), { target: { value: '2025-Q4' } });
    expect(window.location.search).toBe('?kvartal=2025-Q4');
    const closed = await screen.findByRole('table', { name: /Nyrapporteringar, kvartal 4 2025/ });
    expect(closed.textContent).toContain(
      'Kan inte lämnas in i dag: en nyrapportering för kvartal 4 2025 lämnas i rapporteringsperioden 2026-01-01–2026-01-31.',
    );
    expect(screen.getByRole('table', { name: /Slutrapporteringar/ }).textContent).not.toContain(
      'Kan inte lämnas in',
    );
    expect(within(exports).getAllByRole('link')[0]!.getAttribute('href')).toBe(
      '/api/export/kvartal.pdf?namndId=vard&quarter=2025-Q4',
    );
  });

  it('opens on the quarter and nämnd in the address, as a report’s way back gives them', async () => {
    window.history.replaceState(null, '', '/kvartal?kvartal=2025-Q3&namnd=social');
    mocks.lines.mockImplementation(async ({ quarter }) => answer(quarter, []));
    renderScreen(me(['vard', 'social']));
    expect((screen.getByLabelText('Kvartal') as HTMLSelectElement).value).toBe('2025-Q3');
    await waitFor(() =>
      expect(mocks.lines).toHaveBeenCalledWith({
        namndId: 'social',
        quarter: { year: 2025, quarter: 3 },
      }),
    );
  });
});
