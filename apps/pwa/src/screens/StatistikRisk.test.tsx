// The two rapportör screens of the nämnd's own follow-up: Statistik and Risk.
import 'fake-indexeddb/auto';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import type { SyncEngine } from '../sync/engine';
import { Risk } from './Risk';
import type { RiskAnswer, RiskRow } from './risk-view';
import { Statistik } from './Statistik';
import type { StatisticsReport } from './statistik-view';

const mocks = vi.hoisted(() => ({ overview: vi.fn(), statistics: vi.fn(), risk: vi.fn() }));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    org: { overview: { query: mocks.overview } },
    statistics: { quarter: { query: mocks.statistics } },
    risk: { longestWaits: { query: mocks.risk } },
  },
}));

const namnd = (id: string, namn: string) => ({
  id,
  namn,
  kommunId: 'k',
  mayRegister: false,
  verksamhetsomraden: [],
  enheter: [],
});
const ORG = {
  namnder: [namnd('vard', 'Vård- och omsorgsnämnden'), namnd('social', 'Socialnämnden')],
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

const byKon = (kvinna: number, man: number) => ({ kvinna, man, total: kvinna + man });
const counts = (beslut: [number, number], avbrott: [number, number]) => ({
  beslut: byKon(...beslut),
  avbrott: byKon(...avbrott),
  total: byKon(beslut[0] + avbrott[0], beslut[1] + avbrott[1]),
});

function report(namndId: string, q: { year: number; quarter: 1 | 2 | 3 | 4 }): StatisticsReport {
  const total = counts([12, 9], [2, 1]);
  return {
    namndId,
    namndNamn: namndId === 'vard' ? 'Vård- och omsorgsnämnden' : 'Socialnämnden',
    quarter: q,
    quarterKey: `${q.year}-Q${q.quarter}`,
    referenceDate: '2026-03-31',
    verksamhetsomraden: null,
    legalReferences: ['34 kap. 3 § socialtjänstlagen (2025:400)', '28 h § LSS'],
    total,
    byLagrum: [
      {
        lagrum: 'SoL',
        label: 'Insatser enligt socialtjänstlagen (SoL)',
        counts: counts([3, 1], [0, 0]),
        insatser: [
          { insats: 'SOL_HEMTJANST', insatsLabel: 'Hemtjänst', counts: counts([3, 1], [0, 0]) },
        ],
      },
      {
        lagrum: 'LSS',
        label: 'Insatser enligt LSS',
        counts: counts([9, 8], [2, 1]),
        insatser: [
          {
            insats: 'LSS_9_4',
            insatsLabel: 'Biträde av kontaktperson',
            counts: counts([4, 3], [2, 0]),
          },
          { insats: 'LSS_9_10', insatsLabel: 'Daglig verksamhet', counts: counts([5, 5], [0, 1]) },
        ],
      },
    ],
    byWait: [
      { vantetid: '3_6', label: '3–6 månader', counts: counts([8, 5], [2, 1]) },
      { vantetid: '6_12', label: '6–12 månader', counts: counts([3, 3], [0, 0]) },
      { vantetid: 'over_12', label: 'Mer än 12 månader', counts: counts([1, 1], [0, 0]) },
    ],
    endedInQuarter: { verkstalld: 7, avslutad: 2 },
    trend: Array.from({ length: 8 }, (_, i) => {
      const quarter = { year: i < 3 ? 2024 : 2025, quarter: ((i + 1) % 4 || 4) as 1 | 2 | 3 | 4 };
      return {
        quarter: i === 7 ? q : quarter,
        quarterKey: i === 7 ? `${q.year}-Q${q.quarter}` : `t${i}`,
        referenceDate: '2025-12-31',
        total: i === 7 ? total : counts([i, 0], [0, 0]),
      };
    }),
  };
}

let db: LocalDb;
let dbCount = 0;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  // 20 April 2026 in Sweden: the screen opens on Q1 2026, whose window is open.
  vi.setSystemTime(new Date('2026-04-20T10:00:00Z'));
  db = await openLocalDb(`statistik-test-${++dbCount}`);
  mocks.overview.mockReset().mockResolvedValue(ORG);
  mocks.statistics.mockReset();
  mocks.risk.mockReset();
});

afterEach(() => {
  cleanup();
  db.close();
  vi.useRealTimers();
});

function renderScreen(user: Me, screenElement: React.ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine: {} as SyncEngine }}>
        <MeContext.Provider value={user}>{screenElement}</MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

describe('Statistik', () => {
  it('shows the quarter’s de-identified figures, the trend and a link to the PDF', async () => {
    mocks.statistics.mockImplementation(async ({ namndId, quarter }) => report(namndId, quarter));
    renderScreen(me(['vard']), <Statistik />);
    expect((screen.getByLabelText('Kvartal') as HTMLSelectElement).value).toBe('2026-Q1');
    expect(screen.getByText(/Avidentifierade uppgifter/)).toBeTruthy();
    await screen.findByRole('heading', { name: 'Kvartal 1 2026 – Vård- och omsorgsnämnden' });
    expect(mocks.statistics).toHaveBeenCalledWith({
      namndId: 'vard',
      quarter: { year: 2026, quarter: 1 },
    });

    const summary = screen.getByRole('table', { name: /per kön/ });
    const totalRow = within(summary).getByRole('row', { name: /^Totalt/ });
    expect(
      within(totalRow)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['14', '10', '24']);
    const insats = screen.getByRole('table', { name: /per insats/ });
    const kontakt = within(insats).getByRole('row', { name: /Biträde av kontaktperson/ });
    expect(
      within(kontakt)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['7', '2', '6', '3', '9']);
    // SoL's insatser, then LSS's, each under its group heading and closed by its subtotal.
    expect(
      within(insats)
        .getAllByRole('row')
        .slice(1)
        .map((row) => row.querySelector('th')?.textContent),
    ).toEqual([
      'Insatser enligt socialtjänstlagen (SoL)',
      'Hemtjänst',
      'Summa SoL',
      'Insatser enligt LSS',
      'Biträde av kontaktperson',
      'Daglig verksamhet',
      'Summa LSS',
      'Totalt',
    ]);
    expect(
      within(insats).getByRole('rowheader', { name: 'Insatser enligt LSS' }).getAttribute('scope'),
    ).toBe('rowgroup');
    const summaLss = within(insats).getByRole('row', { name: /^Summa LSS/ });
    expect(
      within(summaLss)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['17', '3', '11', '9', '20']);
    expect(
      within(screen.getByRole('table', { name: /per väntetid/ })).getByText('Mer än 12 månader'),
    ).toBeTruthy();
    expect(screen.getByText(/verkställdes 7 och avslutades 2 beslut/)).toBeTruthy();

    const chart = screen.getByRole('img', { name: /de senaste åtta kvartalen/ });
    expect(chart.querySelectorAll('rect.stat-bar-beslut').length).toBeGreaterThan(0);
    expect(chart.querySelector('desc')?.textContent).toContain(
      'K1 2026: 24 (21 beslut, 3 avbrott)',
    );
    const trendTable = screen.getByRole('table', { name: /samma siffror som i diagrammet/ });
    expect(within(trendTable).getAllByRole('row')).toHaveLength(9);

    const pdf = screen.getByRole('link', { name: /Ladda ner PDF/ });
    expect(pdf.getAttribute('href')).toBe('/api/export/statistik.pdf?namndId=vard&quarter=2026-Q1');
  });

  it('reads another quarter and another nämnd when picked, and the PDF link follows', async () => {
    mocks.statistics.mockImplementation(async ({ namndId, quarter }) => report(namndId, quarter));
    renderScreen(me(['vard', 'social']), <Statistik />);
    await screen.findByRole('heading', { name: /Kvartal 1 2026/ });
    fireEvent.change(screen.getByLabelText('Kvartal'), { target: { value: '2025-Q4' } });
    fireEvent.change(screen.getByLabelText('Nämnd'), { target: { value: 'social' } });
    await screen.findByRole('heading', { name: 'Kvartal 4 2025 – Socialnämnden' });
    expect(mocks.statistics).toHaveBeenLastCalledWith({
      namndId: 'social',
      quarter: { year: 2025, quarter: 4 },
    });
    expect(screen.getByRole('link', { name: /Ladda ner PDF/ }).getAttribute('href')).toBe(
      '/api/export/statistik.pdf?namndId=social&quarter=2025-Q4',
    );
  });

  it('says so when the figures cannot be read, and tries again', async () => {
    mocks.statistics.mockRejectedValueOnce(new Error('nere'));
    renderScreen(me(['vard']), <Statistik />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Statistiken kunde inte hämtas.');
    mocks.statistics.mockImplementation(async ({ namndId, quarter }) => report(namndId, quarter));
    fireEvent.click(within(alert).getByRole('button', { name: 'Försök igen' }));
    await screen.findByRole('heading', { name: /Kvartal 1 2026/ });
  });
});

const riskRow = (over: Partial<RiskRow>): RiskRow => ({
  decisionId: 'd1',
  person: { ivoId: '19750505-T010', namn: 'Bo Ek', skyddadIdentitet: false },
  insats: 'LSS_9_4',
  insatsLabel: 'Biträde av kontaktperson',
  verksamhetsomrade: 'LSS',
  lagrum: 'LSS',
  beslutsdatum: '2025-03-01',
  episode: { kind: 'beslut', start: '2025-03-01' },
  overdueFrom: '2025-06-02',
  daysWaited: 415,
  vantetid: 'over_12',
  avgift: { min: 10_000, max: 1_000_000 },
  avgiftDeadline: '2027-03-01',
  avgiftDeadlinePassed: false,
  uppskovLov: null,
  ...over,
});

function riskAnswer(rows: RiskRow[], total = rows.length): RiskAnswer {
  return {
    namndId: 'vard',
    today: '2026-04-20',
    verksamhetsomraden: ['LSS'],
    legalReference: { sol: '34 kap. socialtjänstlagen (2025:400)', lss: '28 a § LSS' },
    avgiftFrist: { sol: '34 kap. 10 § socialtjänstlagen (2025:400)', lss: '28 c § LSS' },
    total,
    byWait: [
      { vantetid: '3_6', label: '3–6 månader', count: 1 },
      { vantetid: '6_12', label: '6–12 månader', count: 0 },
      { vantetid: 'over_12', label: 'Mer än 12 månader', count: total - 1 },
    ],
    rows,
  };
}

describe('Risk', () => {
  it('lists the longest waits with person, insats, decision date, days and the fee range', async () => {
    mocks.risk.mockResolvedValue(
      riskAnswer([
        riskRow({}),
        riskRow({
          decisionId: 'd2',
          person: { ivoId: '19800101-T123', namn: 'Åsa Lind', skyddadIdentitet: true },
          insats: 'LSS_9_10',
          insatsLabel: 'Daglig verksamhet',
          beslutsdatum: '2026-01-05',
          episode: { kind: 'avbrott', start: '2026-01-10' },
          daysWaited: 100,
          vantetid: '3_6',
          avgift: { min: 15_000, max: 1_500_000 },
        }),
      ]),
    );
    renderScreen(me(['vard']), <Risk />);
    await screen.findByRole('heading', { name: /2 har väntat mer än tre månader/ });
    expect(mocks.risk).toHaveBeenCalledWith({ namndId: 'vard', limit: 100 });
    const table = screen.getByRole('table', { name: /det längsta först/ });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('19750505-T010');
    expect(rows[0]!.textContent).toContain('1 mars 2025');
    expect(rows[0]!.textContent).toContain('415 dagar (mer än 12 månader)');
    expect(rows[0]!.textContent).toContain('10\u00a0000\u00a0kr – 1\u00a0000\u00a0000\u00a0kr');
    expect(rows[1]!.textContent).toContain('Skyddad identitet');
    expect(rows[1]!.textContent).toContain('Avbrott 10 januari 2026');
    expect(rows[1]!.textContent).toContain('15\u00a0000\u00a0kr – 1\u00a0500\u00a0000\u00a0kr');
    expect(screen.queryByRole('button', { name: /Visa alla/ })).toBeNull();
  });

  it('links each row to its decision and gives the last day for IVO’s fee application', async () => {
    mocks.risk.mockResolvedValue(
      riskAnswer([
        riskRow({ decisionId: 'beslut/1', avgiftDeadline: '2027-03-01' }),
        riskRow({
          decisionId: 'd2',
          person: { ivoId: '19800101-T123', namn: 'Åsa Lind', skyddadIdentitet: false },
          beslutsdatum: '2024-03-01',
          avgiftDeadline: '2026-03-01',
          avgiftDeadlinePassed: true,
        }),
      ]),
    );
    renderScreen(me(['vard']), <Risk />);
    const table = await screen.findByRole('table', { name: /det längsta först/ });
    const [first, second] = within(table).getAllByRole('row').slice(1);
    const link = within(first!).getByRole('link', {
      // jsdom puts a space before the visually hidden part; a browser does not.
      name: /^Bo Ek ?: öppna beslutet om Biträde av kontaktperson$/,
    });
    expect(link.getAttribute('href')).toBe('/beslut/beslut%2F1');
    const fee = (row: HTMLElement) => row.querySelector('td[data-label="Möjlig särskild avgift"]')!;
    expect(fee(first!).textContent).toBe(
      '10\u00a0000\u00a0kr – 1\u00a0000\u00a0000\u00a0kr' +
        'Ansökan om särskild avgift måste delges senast 1 mars 2027',
    );
    expect(fee(first!).querySelector('.risk-passed')).toBeNull();
    const passed = within(fee(second!) as HTMLElement).getByText(
      'Tidsfristen för ansökan har passerat (den 1 mars 2026)',
    );
    expect(passed.className).toContain('risk-passed');
    expect(screen.getByText(/inom två år från det gynnande beslutet/).textContent).toContain(
      '(34 kap. 10 § socialtjänstlagen (2025:400), 28 c § LSS)',
    );
  });

  it('says a SoL wait postponed within LOV gives no fee, in its place, without the range', async () => {
    mocks.risk.mockResolvedValue(
      riskAnswer([
        riskRow({ decisionId: 'd1', daysWaited: 400 }),
        riskRow({
          decisionId: 'lov',
          lagrum: 'SoL',
          insats: 'SOL_HEMTJANST',
          insatsLabel: 'Hemtjänst',
          verksamhetsomrade: 'SOL_ALDRE',
          daysWaited: 300,
          avgift: null,
          uppskovLov: '34 kap. 6 § socialtjänstlagen (2025:400)',
        }),
        riskRow({ decisionId: 'd3', daysWaited: 200 }),
      ]),
    );
    renderScreen(me(['vard']), <Risk />);
    const table = await screen.findByRole('table', { name: /det längsta först/ });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('a')?.getAttribute('href'))).toEqual([
      '/beslut/d1',
      '/beslut/lov',
      '/beslut/d3',
    ]);
    const fee = rows[1]!.querySelector('td[data-label="Möjlig särskild avgift"]')!;
    expect(fee.textContent).toBe(
      'Den enskilde har begärt uppskov inom valfrihetssystem (LOV): ingen särskild avgift enligt 34 kap. 6 § socialtjänstlagen (2025:400)',
    );
    expect(fee.textContent).not.toContain('kr');
    expect(rows[2]!.textContent).toContain('10\u00a0000\u00a0kr – 1\u00a0000\u00a0000\u00a0kr');
  });

  it('shows the first hundred and, when asked, all of them', async () => {
    mocks.risk.mockImplementation(async ({ limit }: { limit: number }) =>
      riskAnswer(
        Array.from({ length: Math.min(limit, 130) }, (_, i) =>
          riskRow({ decisionId: `d${i}`, daysWaited: 500 - i }),
        ),
        130,
      ),
    );
    renderScreen(me(['vard']), <Risk />);
    await screen.findByRole('table', { name: 'De 100 som väntat längst av 130' });
    fireEvent.click(screen.getByRole('button', { name: 'Visa alla 130' }));
    await screen.findByRole('table', { name: 'Alla 130, det längsta först' });
    expect(mocks.risk).toHaveBeenLastCalledWith({ namndId: 'vard', limit: 130 });
    await waitFor(() => expect(screen.queryByRole('button', { name: /Visa alla/ })).toBeNull());
  });

  it('says so when nothing has waited more than three months', async () => {
    mocks.risk.mockResolvedValue(riskAnswer([], 0));
    renderScreen(me(['vard']), <Risk />);
    expect(await screen.findByText('Inget beslut har väntat mer än tre månader.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
