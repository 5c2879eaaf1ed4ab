// The handläggare's import of decisions from the case system's CSV export.
import 'fake-indexeddb/auto';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import { draftKey, loadDraft } from '../local/drafts';
import type { SyncEngine } from '../sync/engine';
import type { FilingImportPreview } from './filing-import-view';
import { Import } from './Import';
import type { ImportPreview } from './import-view';

const mocks = vi.hoisted(() => ({
  overview: vi.fn(),
  dryRun: vi.fn(),
  run: vi.fn(),
  filingsDryRun: vi.fn(),
  filingsRun: vi.fn(),
}));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    org: { overview: { query: mocks.overview } },
    imports: {
      dryRun: { mutate: mocks.dryRun },
      run: { mutate: mocks.run },
      filingsDryRun: { mutate: mocks.filingsDryRun },
      filingsRun: { mutate: mocks.filingsRun },
    },
  },
}));

const ORG = {
  namnder: [
    {
      id: 'vard',
      namn: 'Vård- och omsorgsnämnden',
      kommunId: 'k',
      mayRegister: true,
      verksamhetsomraden: ['LSS'],
      enheter: [
        { id: 'bt', namn: 'Boendeteamet', typ: 'boendeteamet' },
        { id: 'e1', namn: 'Daglig verksamhet Eken', typ: 'utforarenhet' },
      ],
    },
    {
      id: 'social',
      namn: 'Socialnämnden',
      kommunId: 'k',
      mayRegister: false,
      verksamhetsomraden: ['SOL_IFO'],
      enheter: [],
    },
  ],
};

const me = {
  id: 'h1',
  username: 'anna.h',
  displayName: 'Anna Handläggare',
  roles: [{ role: 'handlaggare', namndId: 'vard', verksamhetsomrade: null, enhetId: null }],
} as unknown as Me;

const accepted = (row: number) => ({
  row,
  beslutsid: `B-${row}`,
  insats: 'LSS_9_10',
  insatsLabel: 'Daglig verksamhet',
  verksamhetsomrade: 'LSS',
  beslutsdatum: '2026-06-10',
  handlaggare: { username: 'anna.h', namn: 'Anna Handläggare' },
  enhet: 'Daglig verksamhet Eken',
  person: 'ny' as const,
  ersatter: null,
  timeline: [] as ImportPreview['accepted'][number]['timeline'],
});

const clean: ImportPreview = {
  rows: 2,
  accepted: [accepted(2), accepted(3)],
  alreadyImported: [],
  refused: [],
  newPersons: 2,
  ignoredColumns: ['Diarienummer'],
};

const refused: ImportPreview = {
  ...clean,
  accepted: [accepted(2)],
  newPersons: 1,
  refused: [
    {
      row: 3,
      field: 'personnummer',
      message:
        'Ogiltigt personnummer: skriv ÅÅÅÅMMDD-NNNN med rätt födelsedatum och kontrollsiffra',
    },
    { row: 3, field: 'insats', message: 'Okänd insats "Simskola"' },
  ],
};

const CSV = 'beslutsid;personnummer\nB-2;191212121212\n';

let db: LocalDb;
let dbCount = 0;

beforeEach(async () => {
  db = await openLocalDb(`import-test-${++dbCount}`);
  mocks.overview.mockReset().mockResolvedValue(ORG);
  mocks.dryRun.mockReset();
  mocks.run.mockReset();
  mocks.filingsDryRun.mockReset();
  mocks.filingsRun.mockReset();
});

afterEach(() => {
  cleanup();
  db.close();
});

function renderScreen(as: Me = me) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine: {} as SyncEngine }}>
        <MeContext.Provider value={as}>
          <Import />
        </MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

async function pasteAndTry(text = CSV) {
  fireEvent.change(await screen.findByLabelText(/klistra in filens innehåll/), {
    target: { value: text },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Provkör filen' }));
  await screen.findByRole('heading', { name: 'Provkörning' });
}

describe('Import', () => {
  it('documents every column and offers an example file with the user’s username and a unit', async () => {
    renderScreen();
    const columns = await screen.findByRole('table', { name: 'Kolumnerna i importfilen' });
    expect(within(columns).getByRole('row', { name: /^beslutsid Ja/ })).toBeTruthy();
    expect(within(columns).getByRole('row', { name: /^beställd till Nej/ })).toBeTruthy();
    const link = screen.getAllByRole('link', { name: /exempelfil/ })[0] as HTMLAnchorElement;
    expect(link.getAttribute('download')).toBe('evb-import-exempel.csv');
    await waitFor(() =>
      expect(decodeURIComponent(link.href)).toContain(
        'Daglig verksamhet;2026-01-15;;;anna.h;Daglig verksamhet Eken',
      ),
    );
  });

  it('documents the state columns of a running case, and shows each decision’s state from the dry run', async () => {
    mocks.dryRun.mockResolvedValue({
      ...clean,
      accepted: [
        accepted(2),
        {
          ...accepted(3),
          timeline: [
            { kind: 'verkstalld', date: '2026-07-01' },
            { kind: 'avbrott', date: '2026-08-03' },
            { kind: 'aterupptagen', date: '2026-09-14' },
          ],
        },
        { ...accepted(4), timeline: [{ kind: 'avslutad', date: '2026-10-05' }] },
      ],
    });
    renderScreen();
    const columns = await screen.findByRole('table', { name: 'Kolumnerna i importfilen' });
    for (const [header, text] of [
      ['verkställd', /dvs\. då den enskilde fick tillgång till den/],
      ['avbrott', /Kräver verkställd samma dag eller tidigare/],
      ['återupptagen', /Kan också heta: verkställd igen/],
      ['avslutad', /kräver avslutsanledning/],
      ['avslutsanledning', /Behovet har upphört/],
      ['avslut beskrivning', /Annan anledning/],
    ] as const) {
      const row = within(columns).getByRole('row', { name: new RegExp(`^${header} Nej`) });
      expect(row.textContent).toMatch(text);
    }
    const link = screen.getAllByRole('link', { name: /exempelfil/ })[0] as HTMLAnchorElement;
    await waitFor(() =>
      expect(decodeURIComponent(link.href)).toContain(';2026-03-20;2026-06-01;2026-09-15;'),
    );

    await pasteAndTry();
    fireEvent.click(screen.getByText(/^Visa 3 beslut som kan importeras/));
    const table = screen.getByRole('table', { name: 'Beslut som kan importeras, per rad i filen' });
    const state = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.querySelector('[data-label="Läge"]')?.textContent);
    expect(state).toEqual([
      'Väntar',
      'Verkställd 1 juli 2026, avbrott 3 augusti 2026, verkställd igen 14 september 2026',
      'Avslutad 5 oktober 2026',
    ]);
  });

  it('shows every refused row with its column and reason, and offers no import', async () => {
    mocks.dryRun.mockResolvedValue(refused);
    renderScreen();
    await pasteAndTry();
    expect(mocks.dryRun).toHaveBeenCalledWith({ namndId: 'vard', csv: CSV });
    expect(screen.getByText('1 rad kan inte importeras.')).toBeTruthy();
    const table = screen.getByRole('table', { name: /2 fel, per rad i filen/ });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      'Rad 3personnummerOgiltigt personnummer: skriv ÅÅÅÅMMDD-NNNN med rätt födelsedatum och kontrollsiffra',
      'Rad 3insatsOkänd insats "Simskola"',
    ]);
    expect(screen.queryByRole('button', { name: /^Importera/ })).toBeNull();
    expect(screen.getByText('Kolumner som inte läses: Diarienummer.')).toBeTruthy();
  });

  it('imports the file when nothing is refused, and forgets the pasted text', async () => {
    mocks.dryRun.mockResolvedValue(clean);
    mocks.run.mockResolvedValue({
      imported: 2,
      alreadyImported: 0,
      newPersons: 2,
      decisionIds: [],
      events: 0,
    });
    renderScreen();
    await pasteAndTry();
    expect(await loadDraft(db, draftKey('import', null))).toMatchObject({ data: { text: CSV } });
    fireEvent.click(screen.getByRole('button', { name: 'Importera 2 beslut' }));
    await screen.findByText(/Importen är klar\./);
    expect(mocks.run).toHaveBeenCalledWith({ namndId: 'vard', csv: CSV });
    expect(screen.getByText(/2 beslut importerades, 2 nya personer\./)).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Provkörning' })).toBeNull();
    await waitFor(async () =>
      expect(await loadDraft(db, draftKey('import', null))).toBeUndefined(),
    );
  });

  it('asks for a new dry run when the text changes after one', async () => {
    mocks.dryRun.mockResolvedValue(clean);
    renderScreen();
    await pasteAndTry();
    fireEvent.change(screen.getByLabelText(/klistra in filens innehåll/), {
      target: { value: `${CSV}B-3;191212121212\n` },
    });
    expect(screen.queryByRole('button', { name: /^Importera/ })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Provkörning' })).toBeNull();
  });

  it('shows the server’s list when the import is refused after all, and the new dry run', async () => {
    mocks.dryRun.mockResolvedValueOnce(clean).mockResolvedValueOnce(refused);
    mocks.run.mockRejectedValue(
      new TRPCClientError(
        'Inget importerades: 1 rad kan inte importeras.\nRad 3, insats: Okänd insats',
        {
          result: { error: { message: 'x', code: -32600, data: { httpStatus: 400 } } },
        } as never,
      ),
    );
    renderScreen();
    await pasteAndTry();
    fireEvent.click(screen.getByRole('button', { name: 'Importera 2 beslut' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Inget importerades: 1 rad kan inte importeras.');
    await screen.findByRole('table', { name: /2 fel/ });
    expect(mocks.dryRun).toHaveBeenCalledTimes(2);
  });

  it('reads a chosen file, also one Excel saved as Windows-1252, and sends its text', async () => {
    mocks.dryRun.mockResolvedValue(clean);
    renderScreen();
    const input = (await screen.findByLabelText('CSV-fil')) as HTMLInputElement;
    // "förnamn\nÅsa\n" in Windows-1252.
    const bytes = new Uint8Array([
      0x66, 0xf6, 0x72, 0x6e, 0x61, 0x6d, 0x6e, 0x0a, 0xc5, 0x73, 0x61, 0x0a,
    ]);
    const file = new File([bytes], 'export.csv', { type: 'text/csv' });
    fireEvent.change(input, { target: { files: [file] } });
    await screen.findByText(/lästes som Windows-1252/);
    expect(screen.getByText('export.csv')).toBeTruthy();
    // The paste box gives way to the chosen file.
    expect(screen.queryByLabelText(/klistra in filens innehåll/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Provkör filen' }));
    await screen.findByRole('heading', { name: 'Provkörning' });
    expect(mocks.dryRun).toHaveBeenCalledWith({ namndId: 'vard', csv: 'förnamn\nÅsa\n' });
  });

  it('says what to do when there is nothing to try', async () => {
    renderScreen();
    fireEvent.click(await screen.findByRole('button', { name: 'Provkör filen' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Välj en CSV-fil eller klistra in filens innehåll.',
    );
    expect(mocks.dryRun).not.toHaveBeenCalled();
  });
});

const rapportor = {
  id: 'r1',
  username: 'karin.r',
  displayName: 'Karin Rapportör',
  roles: [{ role: 'rapportor', namndId: 'social', verksamhetsomrade: null, enhetId: null }],
} as unknown as Me;

const both = {
  ...me,
  roles: [
    ...me.roles,
    { role: 'huvudrapportor', namndId: 'vard', verksamhetsomrade: null, enhetId: null },
  ],
} as unknown as Me;

const filingsPreview: FilingImportPreview = {
  rows: 3,
  accepted: [
    {
      row: 2,
      quarter: '2026-Q3',
      quarterLabel: 'kvartal 3 2026',
      beslutsdatum: '2026-04-01',
      insats: 'LSS_9_10',
      insatsLabel: 'Daglig verksamhet',
      episode: { kind: 'beslut', start: '2026-04-01' },
      report: 'ny',
      status: 'ej_verkstalld',
      statusDate: null,
      filedOn: '2026-10-12',
    },
    {
      row: 3,
      quarter: '2026-Q3',
      quarterLabel: 'kvartal 3 2026',
      beslutsdatum: '2026-02-03',
      insats: 'SOL_BOENDESTOD',
      insatsLabel: 'Boendestöd',
      episode: { kind: 'avbrott', start: '2026-06-01' },
      report: 'ater',
      status: 'verkstalld',
      statusDate: '2026-09-15',
      filedOn: '2026-09-20',
    },
  ],
  refused: [],
  ignoredColumns: [],
};

describe('Import: tidigare inlämningar till IVO', () => {
  it('lets a rapportör try and record the nämnd’s earlier filings, with the columns and an example file', async () => {
    mocks.filingsDryRun.mockResolvedValue(filingsPreview);
    mocks.filingsRun.mockResolvedValue({ recorded: 2, filingIds: ['f1', 'f2'] });
    renderScreen(rapportor);
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Importera tidigare inlämningar till IVO',
      }),
    ).toBeTruthy();
    // One kind of import only: no tabs.
    expect(screen.queryByRole('tablist')).toBeNull();
    const columns = screen.getByRole('table', {
      name: 'Kolumnerna i filen med tidigare inlämningar',
    });
    expect(within(columns).getByRole('row', { name: /^kvartal Ja/ }).textContent).toContain(
      '2026 kv 1',
    );
    expect(within(columns).getByRole('row', { name: /^avbrottsdatum Nej/ })).toBeTruthy();
    expect(within(columns).getByRole('row', { name: /^personnummer Ja/ }).textContent).toContain(
      'ÅÅÅÅMMDD-T123',
    );
    const link = screen.getAllByRole('link', { name: /exempelfil/ })[0] as HTMLAnchorElement;
    expect(link.getAttribute('download')).toBe('evb-tidigare-inlamningar-exempel.csv');
    expect(decodeURIComponent(link.href)).toContain(
      'personnummer;beslutsdatum;insats;avbrottsdatum;kvartal;rapporttyp;inlämnad',
    );

    await pasteAndTry();
    // The rapportör's nämnd, not the handläggare's import.
    expect(mocks.filingsDryRun).toHaveBeenCalledWith({ namndId: 'social', csv: CSV });
    expect(mocks.dryRun).not.toHaveBeenCalled();
    expect(screen.getByText('Filen har 3 rader med inlämningar.')).toBeTruthy();
    expect(
      screen.getByText('2 inlämningar kan registreras som rapporterade till IVO.'),
    ).toBeTruthy();
    fireEvent.click(screen.getByText(/^Visa 2 inlämningar som kan registreras/));
    const table = screen.getByRole('table', {
      name: 'Inlämningar som kan registreras, per rad i filen',
    });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual([
      'Rad 2kvartal 3 2026Daglig verksamhet, 1 april 2026BeslutetNyrapportering, ej verkställt12 oktober 2026',
      'Rad 3kvartal 3 2026Boendestöd, 3 februari 2026Avbrottet 1 juni 2026Återrapportering, verkställt 15 september 202620 september 2026',
    ]);
    expect(await loadDraft(db, draftKey('inlamningsimport', null))).toMatchObject({
      data: { text: CSV },
    });
    // The decision import's draft is its own.
    expect(await loadDraft(db, draftKey('import', null))).toBeUndefined();

    fireEvent.click(screen.getByRole('button', { name: 'Registrera 2 inlämningar' }));
    await screen.findByText(/Importen är klar\./);
    expect(mocks.filingsRun).toHaveBeenCalledWith({ namndId: 'social', csv: CSV });
    expect(
      screen.getByText(/2 inlämningar registrerades som rapporterade till IVO\./),
    ).toBeTruthy();
  });

  it('lists every refused row and offers nothing to record', async () => {
    mocks.filingsDryRun.mockResolvedValue({
      ...filingsPreview,
      accepted: [],
      refused: [
        { row: 2, field: 'kvartal', message: 'Beslutet har ingen rapportrad för 2026 kv 1' },
        {
          row: 3,
          field: 'kvartal',
          message:
            'Raden är redan registrerad som rapporterad till IVO 12 oktober 2026 (kvartal 3 2026)',
        },
      ],
    });
    renderScreen(rapportor);
    await pasteAndTry();
    const table = screen.getByRole('table', { name: /2 fel, per rad i filen/ });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual([
      'Rad 2kvartalBeslutet har ingen rapportrad för 2026 kv 1',
      'Rad 3kvartalRaden är redan registrerad som rapporterad till IVO 12 oktober 2026 (kvartal 3 2026)',
    ]);
    expect(screen.getByText('2 rader kan inte importeras.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Registrera/ })).toBeNull();
  });

  it('gives someone who does both a tab for each import', async () => {
    mocks.filingsDryRun.mockResolvedValue(filingsPreview);
    renderScreen(both);
    expect(await screen.findByRole('heading', { level: 1, name: 'Importera beslut' })).toBeTruthy();
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => [t.textContent, t.getAttribute('aria-selected')])).toEqual([
      ['Beslut', 'true'],
      ['Tidigare inlämningar till IVO', 'false'],
    ]);
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(tabs[0]!.id);
    // The arrow key moves to the other tab, and focus with it.
    fireEvent.keyDown(tabs[0]!, { key: 'ArrowRight' });
    expect(
      screen.getByRole('heading', { level: 1, name: 'Importera tidigare inlämningar till IVO' }),
    ).toBeTruthy();
    expect(document.activeElement).toBe(
      screen.getByRole('tab', { name: 'Tidigare inlämningar till IVO' }),
    );
    expect(
      screen.getByRole('table', { name: 'Kolumnerna i filen med tidigare inlämningar' }),
    ).toBeTruthy();
    await pasteAndTry();
    expect(mocks.filingsDryRun).toHaveBeenCalledWith({ namndId: 'vard', csv: CSV });
    fireEvent.click(screen.getByRole('tab', { name: 'Beslut' }));
    expect(screen.getByRole('table', { name: 'Kolumnerna i importfilen' })).toBeTruthy();
  });
});
