import 'fake-indexeddb/auto';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import type { SyncEngine } from '../sync/engine';
import { QuarterPage } from './QuarterPage';
import type { QuarterTodo } from './quarter-todo';
import type { QuarterLine, QuarterLines } from './quarter-view';

const mocks = vi.hoisted(() => ({ overview: vi.fn(), lines: vi.fn(), todo: vi.fn() }));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    org: { overview: { query: mocks.overview } },
    quarter: { lines: { query: mocks.lines }, todo: { query: mocks.todo } },
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
  sendKategori: 'nyrapportering',
  decisionId: 'd1',
  person: { ivoId: '19800101-T123', namn: 'Ada Lind', skyddadIdentitet: false },
  insats: 'LSS_9_10',
  insatsLabel: 'Daglig verksamhet',
  verksamhetsomrade: 'LSS',
  forhandsbesked: false,
  episode: { kind: 'beslut', start: '2025-11-20' },
  report: 'ny',
  send: 'ny',
  sendNotice: null,
  unrecordedEarlier: [],
  status: 'ej_verkstalld',
  statusDate: null,
  overdueFrom: '2026-02-21',
  daysWaited: 131,
  filed: false,
  filedOn: null,
  filedHow: null,
  unhandledMessages: 0,
  ...over,
});

function answer(q: { year: number; quarter: 1 | 2 | 3 | 4 }, lines: QuarterLine[]): QuarterLines {
  const count = (k: QuarterLine['kategori']) => lines.filter((l) => l.kategori === k).length;
  const opens = {
    1: [`${q.year}-04-01`, `${q.year}-04-30`],
    2: [`${q.year}-07-01`, `${q.year}-08-31`],
    3: [`${q.year}-10-01`, `${q.year}-10-31`],
    4: [`${q.year + 1}-01-01`, `${q.year + 1}-01-31`],
  }[q.quarter];
  return {
    namndId: 'vard',
    quarter: q,
    quarterKey: `${q.year}-Q${q.quarter}`,
    referenceDate: '2026-03-31',
    window: { opens: opens[0]!, closes: opens[1]! },
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

function todoOf(
  q: { year: number; quarter: 1 | 2 | 3 | 4 },
  checks: [decisionId: string, findings: number, canFileToday: boolean][],
  earlier: QuarterTodo['earlier'] = [],
): QuarterTodo {
  return {
    quarterKey: `${q.year}-Q${q.quarter}`,
    lines: checks.map(([decisionId, findings, canFileToday]) => ({
      decisionId,
      episodeStart: '2025-11-20',
      findings,
      canFileToday,
    })),
    earlier,
  };
}

// Q1 2026, its window open on 20 April: one line of each kind, and one filed afterwards.
const Q1_LINES = [
  line({ decisionId: 'd1' }),
  line({
    decisionId: 'd2',
    person: { ivoId: '19700505-T010', namn: 'Bo Ek', skyddadIdentitet: true },
    episode: { kind: 'avbrott', start: '2025-11-20' },
    overdueFrom: '2025-11-02',
    daysWaited: 242,
    unhandledMessages: 2,
  }),
  line({
    decisionId: 'd3',
    person: { ivoId: '19600606-T020', namn: 'Cilla Ås', skyddadIdentitet: false },
    kategori: 'aterrapportering',
    sendKategori: 'aterrapportering',
    report: 'ater',
    send: 'ater',
    filed: true,
    filedOn: '2026-04-02',
    filedHow: 'efterhand',
  }),
  line({
    decisionId: 'd4',
    person: { ivoId: '19500707-T030', namn: 'Dan Berg', skyddadIdentitet: false },
    kategori: 'slutrapportering',
    sendKategori: 'nyrapportering',
    report: 'ater',
    send: 'ny',
    sendNotice: 'Enligt lagens schema är raden en återrapportering, men …',
    unrecordedEarlier: ['2025-Q4'],
    status: 'verkstalld',
    statusDate: '2026-03-02',
  }),
  line({
    decisionId: 'd5',
    person: { ivoId: '19400808-T040', namn: 'Eva Sten', skyddadIdentitet: false },
    kategori: 'slutrapportering',
    sendKategori: 'slutrapportering',
    report: 'ater',
    send: 'ater',
    status: 'avslutad',
    statusDate: '2026-03-10',
    unhandledMessages: 1,
  }),
];
const Q1_TODO: [string, number, boolean][] = [
  ['d1', 2, false],
  ['d2', 0, true],
  ['d4', 0, true],
  ['d5', 0, true],
];

let db: LocalDb;
let dbCount = 0;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  // 20 April 2026 in Sweden: the window of Q1 2026 is open until 30 April.
  vi.setSystemTime(new Date('2026-04-20T10:00:00Z'));
  db = await openLocalDb(`quarter-test-${++dbCount}`);
  // The chosen quarter, nämnd and filter live in the address: each test starts from none.
  window.history.replaceState(null, '', '/kvartal');
  mocks.overview.mockReset().mockResolvedValue(ORG);
  mocks.lines.mockReset();
  mocks.todo.mockReset().mockImplementation(async ({ quarter }) => todoOf(quarter, []));
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

const rowNames = (table: HTMLElement) =>
  within(table)
    .getAllByRole('rowheader')
    .map((th) => th.querySelector('.report-name')?.textContent?.replace(': individrapport', ''));

/** The figure at the top whose label matches. */
function figure(label: RegExp): string {
  const button = screen.getAllByRole('button').find((b) => label.test(b.textContent ?? ''));
  return button?.querySelector('.todo-number')?.textContent ?? '';
}

describe('QuarterPage, the individrapporter of a reporting period', () => {
  it('opens on the period whose window is open, with what is left to do at the top', async () => {
    mocks.lines.mockImplementation(async ({ quarter }) => answer(quarter, Q1_LINES));
    mocks.todo.mockImplementation(async ({ quarter }) => todoOf(quarter, Q1_TODO));
    renderScreen(me(['vard']));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Individrapporter');
    expect((screen.getByLabelText('Kvartal') as HTMLSelectElement).value).toBe('2026-Q1');
    expect(
      screen.getByRole('heading', {
        level: 2,
        name: 'Rapporteringsperiod: kvartal 1 2026 (lämnas 1–30 april 2026)',
      }),
    ).toBeTruthy();
    expect(document.title).toBe('Individrapporter, kvartal 1 2026 – evb');
    await screen.findByRole('table', { name: /Slutrapporteringar/ });
    expect(mocks.todo).toHaveBeenCalledWith({
      namndId: 'vard',
      quarter: { year: 2026, quarter: 1 },
    });

    const summary = screen.getByRole('region', { name: 'Att göra' });
    await waitFor(() => expect(figure(/kan lämnas i dag/)).toBe('3'));
    expect(figure(/fel att rätta/)).toBe('1');
    expect(figure(/olästa meddelanden/)).toBe('3');
    expect(figure(/ej inlämnade/)).toBe('4 av 5');
    expect(summary.textContent).toContain('Stänger om 10 dagar');
    expect(summary.textContent).toContain('30 april 2026');
  });

  it('groups the lines by the report type sent, slutrapporteringar first, what can be filed today first', async () => {
    mocks.lines.mockImplementation(async ({ quarter }) => answer(quarter, Q1_LINES));
    mocks.todo.mockImplementation(async ({ quarter }) => todoOf(quarter, Q1_TODO));
    renderScreen(me(['vard']));
    await waitFor(() => expect(figure(/kan lämnas i dag/)).toBe('3'));
    const tables = screen.getAllByRole('table');
    expect(tables.map((t) => t.getAttribute('data-kategori'))).toEqual([
      'slutrapportering',
      'nyrapportering',
      'aterrapportering',
    ]);
    expect(screen.getByRole('heading', { name: 'Slutrapporteringar (1)' })).toBeTruthy();
    // The slutrapportering without an earlier filing recorded goes as a nyrapportering.
    expect(screen.getByRole('heading', { name: 'Nyrapporteringar (3)' })).toBeTruthy();
    expect(rowNames(tables[1]!)).toEqual(['Bo Ek', 'Dan Berg', 'Ada Lind']);
    expect(rowNames(tables[2]!)).toEqual(['Cilla Ås']);

    const dan = within(tables[1]!).getByRole('row', { name: /Dan Berg/ });
    expect(dan.textContent).toContain(
      'Skickas som nyrapportering: tidigare kvartal är inte registrerade som rapporterade',
    );
    expect(dan.textContent).toContain('Verkställt 2 mars 2026');
    expect(dan.textContent).toContain('Kan lämnas i dag');
    const ada = within(tables[1]!).getByRole('row', { name: /Ada Lind/ });
    expect(ada.textContent).toContain('2 fel att rätta');
    expect(ada.textContent).toContain('Beslut 20 november 2025');
    expect(ada.textContent).toContain('131 dagar');
    const bo = within(tables[1]!).getByRole('row', { name: /Bo Ek/ });
    expect(bo.textContent).toContain('Avbrott – ej återupptaget');
    expect(bo.textContent).toContain('Skyddad identitet');
    expect(bo.textContent).toContain('2 meddelanden');
    const cilla = within(tables[2]!).getByRole('row', { name: /Cilla Ås/ });
    expect(cilla.textContent).toContain('Inlämnad 2 april 2026');
    expect(cilla.textContent).toContain('Registrerad i efterhand');
    expect(cilla.textContent).not.toContain('Kan lämnas i dag');
  });

  it('says on a filed line that its report used an event voided since, and that nothing is to be filed again', async () => {
    const filedLine = (decisionId: string, namn: string, filedVoidedSince: string | null) =>
      line({
        decisionId,
        person: { ivoId: `ivo-${decisionId}`, namn, skyddadIdentitet: false },
        filed: true,
        filedOn: '2026-04-02',
        filedHow: 'evb',
        filedVoidedSince,
      });
    mocks.lines.mockImplementation(async ({ quarter }) =>
      answer(quarter, [
        filedLine(
          'd1',
          'Ada Lind',
          'Den inlämnade rapporten bygger på en händelse som sedan makulerats: Tackat nej 10 april 2026.',
        ),
        filedLine(
          'd2',
          'Bo Ek',
          'Den inlämnade rapporten bygger på 2 händelser som sedan makulerats: Erbjudande 1 mars 2026, Tackat nej 10 mars 2026.',
        ),
        filedLine('d3', 'Cilla Ås', null),
        line({
          decisionId: 'd4',
          person: { ivoId: 'ivo-d4', namn: 'Dan Berg', skyddadIdentitet: false },
        }),
      ]),
    );
    mocks.todo.mockImplementation(async ({ quarter }) => todoOf(quarter, [['d4', 0, true]]));
    renderScreen(me(['vard']));
    const ada = await screen.findByRole('row', { name: /Ada Lind/ });
    const filedCell = (row: HTMLElement) =>
      row.querySelector('td[data-label="Inlämnad"]')?.textContent ?? '';
    expect(filedCell(ada)).toContain('Inlämnad 2 april 2026');
    expect(filedCell(ada)).toContain('Bygger på en händelse som sedan makulerats.');
    expect(filedCell(ada)).toContain('behöver inte lämnas in igen');
    expect(filedCell(ada)).toContain('rättelse i nästa rapport');
    expect(filedCell(screen.getByRole('row', { name: /Bo Ek/ }))).toContain(
      'Bygger på händelser som sedan makulerats.',
    );
    expect(filedCell(screen.getByRole('row', { name: /Cilla Ås/ }))).not.toContain('makulerats');
    expect(filedCell(screen.getByRole('row', { name: /Dan Berg/ }))).not.toContain('makulerats');
    // Nothing to file again: the figures count the unfiled line alone.
    await waitFor(() => expect(figure(/kan lämnas i dag/)).toBe('1'));
  });

  it('filters by what is left to do, kept in the address', async () => {
    mocks.lines.mockImplementation(async ({ quarter }) => answer(quarter, Q1_LINES));
    mocks.todo.mockImplementation(async ({ quarter }) => todoOf(quarter, Q1_TODO));
    renderScreen(me(['vard']));
    const filters = await screen.findByRole('group', { name: 'Visa' });
    await waitFor(() =>
      expect(
        within(filters)
          .getAllByRole('button')
          .map((b) => b.textContent),
      ).toEqual([
        'Alla (5)',
        'Kan lämnas i dag (3)',
        'Har fel att rätta (1)',
        'Har olästa meddelanden (2)',
        'Inlämnade (1)',
        'Ej inlämnade (4)',
      ]),
    );
    fireEvent.click(within(filters).getByRole('button', { name: /Har fel att rätta/ }));
    expect(window.location.search).toBe('?visa=fel');
    expect(
      within(filters)
        .getByRole('button', { name: /Har fel att rätta/ })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    expect(screen.getAllByRole('table').flatMap(rowNames)).toEqual(['Ada Lind']);
    expect(screen.getByRole('heading', { name: 'Nyrapporteringar (1 av 3)' })).toBeTruthy();
    expect(screen.getAllByText('Inga rader med det urvalet.')).toHaveLength(2);

    // The figures at the top choose their lines too.
    const summary = screen.getByRole('region', { name: 'Att göra' });
    fireEvent.click(within(summary).getByRole('button', { name: /olästa meddelanden/ }));
    expect(window.location.search).toBe('?visa=meddelanden');
    expect(screen.getAllByRole('table').flatMap(rowNames)).toEqual(['Eva Sten', 'Bo Ek']);
    fireEvent.click(within(filters).getByRole('button', { name: /^Inlämnade/ }));
    expect(screen.getAllByRole('table').flatMap(rowNames)).toEqual(['Cilla Ås']);
    fireEvent.click(within(filters).getByRole('button', { name: /^Alla/ }));
    expect(window.location.search).toBe('');
    expect(screen.getAllByRole('table').flatMap(rowNames)).toHaveLength(5);
  });

  it('opens on the filter in the address, and waits for the reports’ check before filtering on it', async () => {
    window.history.replaceState(null, '', '/kvartal?kvartal=2026-Q1&namnd=vard&visa=kan-lamnas');
    mocks.lines.mockImplementation(async ({ quarter }) => answer(quarter, Q1_LINES));
    let release: (todo: QuarterTodo) => void = () => {};
    mocks.todo.mockImplementation(() => new Promise((resolve) => (release = resolve)));
    renderScreen(me(['vard']));
    expect(await screen.findByText('Kontrollerar rapporterna…')).toBeTruthy();
    expect(figure(/kan lämnas i dag/)).toBe('Kontrolleras…');
    // The rest of the figures are the lines' own.
    expect(figure(/ej inlämnade/)).toBe('4 av 5');
    release(todoOf({ year: 2026, quarter: 1 }, Q1_TODO));
    await screen.findAllByRole('table');
    expect(screen.getAllByRole('table').flatMap(rowNames)).toEqual([
      'Eva Sten',
      'Bo Ek',
      'Dan Berg',
    ]);
  });

  it('between windows opens on the current quarter, and points out earlier periods left unfiled', async () => {
    // 10 June 2026: no window is open; Q2's opens on 1 July.
    vi.setSystemTime(new Date('2026-06-10T10:00:00Z'));
    mocks.lines.mockImplementation(async ({ quarter }) => answer(quarter, [line({})]));
    mocks.todo.mockImplementation(async ({ quarter }) =>
      todoOf(
        quarter,
        [['d1', 0, false]],
        [
          {
            quarter: { year: 2026, quarter: 1 },
            quarterKey: '2026-Q1',
            unfiled: 3,
            fileableToday: 1,
          },
          {
            quarter: { year: 2024, quarter: 1 },
            quarterKey: '2024-Q1',
            unfiled: 1,
            fileableToday: 0,
          },
        ],
      ),
    );
    renderScreen(me(['vard']));
    expect((screen.getByLabelText('Kvartal') as HTMLSelectElement).value).toBe('2026-Q2');
    expect(
      screen.getByRole('heading', {
        level: 2,
        name: 'Rapporteringsperiod: kvartal 2 2026 (lämnas 1 juli–31 augusti 2026)',
      }),
    ).toBeTruthy();
    expect(screen.getByText(/har inte börjat: den öppnar om 21 dagar/)).toBeTruthy();
    const notice = (await screen.findByText(/Tidigare perioder har rader/)).closest('.notice')!;
    expect(notice.textContent).toContain('(4 rader)');
    const link = within(notice as HTMLElement).getByRole('link', {
      name: 'kvartal 1 2026: 3 rader ej inlämnade (1 kan lämnas i dag)',
    });
    expect(link.getAttribute('href')).toBe('/kvartal?kvartal=2026-Q1&namnd=vard&visa=ej-inlamnade');
    // A period further back than the picker reaches is named, not linked.
    expect(notice.textContent).toContain('kvartal 1 2024: 1 rad ej inlämnad');
    expect(within(notice as HTMLElement).getAllByRole('link')).toHaveLength(1);
    // Waiting for the window: the line cannot be filed today, and says why.
    const row = screen.getByRole('row', { name: /Ada Lind/ });
    expect(row.textContent).toContain(
      'Kan inte lämnas in i dag: en nyrapportering för kvartal 2 2026 lämnas i rapporteringsperioden 1 juli–31 augusti 2026.',
    );
    expect(figure(/kan lämnas i dag/)).toBe('0');
    expect(screen.getByRole('region', { name: 'Att göra' }).textContent).toContain(
      'Öppnar om 21 dagar',
    );
  });

  it('links each line to its individrapport and to its decision, with the way back', async () => {
    window.history.replaceState(null, '', '/kvartal?visa=ej-inlamnade');
    mocks.lines.mockImplementation(async ({ quarter }) => answer(quarter, [line({})]));
    renderScreen(me(['vard']));
    const row = await screen.findByRole('row', { name: /Ada Lind/ });
    expect(
      within(row)
        .getByRole('link', { name: /^Ada Lind\s*: individrapport$/ })
        .getAttribute('href'),
    ).toBe('/kvartal/2026-Q1/d1/2025-11-20?namndId=vard');
    expect(
      within(row).getByRole('link', { name: 'Visa beslutet om Ada Lind' }).getAttribute('href'),
    ).toBe('/beslut/d1?kvartal=2026-Q1&namnd=vard&visa=ej-inlamnade');
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
  });

  it('lets a rapportör of several nämnder choose, and says so when the lines or the check fail', async () => {
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
      /Periodens rader kunde inte hämtas/,
    );
    mocks.lines.mockImplementation(async ({ quarter }) => answer(quarter, [line({})]));
    mocks.todo.mockRejectedValue(new TypeError('Failed to fetch'));
    expect(namnd.value).toBe('vard');
    fireEvent.change(namnd, { target: { value: 'social' } });
    await screen.findByRole('table', { name: /Nyrapporteringar/ });
    expect(screen.getByRole('heading', { level: 2, name: /Socialnämnden/ })).toBeTruthy();
    expect(mocks.lines).toHaveBeenLastCalledWith({
      namndId: 'social',
      quarter: { year: 2026, quarter: 1 },
    });
    // The lines show without the check; what it would tell is said to be missing.
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /Det gick inte att kontrollera rapporterna/,
    );
    expect(figure(/kan lämnas i dag/)).toBe('–');
  });
});
