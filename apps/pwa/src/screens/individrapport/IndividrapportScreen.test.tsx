import 'fake-indexeddb/auto';
import {
  applyIndividrapportEdits,
  INDIVIDRAPPORT_MAX_LENGTH,
  type IndividrapportDraft,
  individrapportText,
  KOMPLETTERA_LABEL,
  LOCKED_TEXT_MESSAGE,
} from '@evb/domain';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../../app/context';
import { type LocalDb, openLocalDb } from '../../local/db';
import { draftKey, loadDraft } from '../../local/drafts';
import type { SyncEngine, SyncState } from '../../sync/engine';
import {
  aterWithFiledTexts,
  DECISION_ID,
  EPISODE_START,
  filingOf,
  LOCKED,
  NAMND_ID,
  PREFILL,
  PREVIOUS_WITH_TEXTS,
  Q3,
  reportView,
} from '../individrapport.fixtures';
import {
  type Edits,
  individrapportDraftForm,
  type ReportView,
  recordDraftForm,
} from '../individrapport-view';
import { Individrapport } from './IndividrapportScreen';

const mocks = vi.hoisted(() => ({
  get: vi.fn(),
  saveDraft: vi.fn(),
  file: vi.fn(),
  recordFiling: vi.fn(),
}));

vi.mock('../../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/client')>()),
  api: {
    reports: {
      get: { query: mocks.get },
      saveDraft: { mutate: mocks.saveDraft },
      file: { mutate: mocks.file },
      recordFiling: { mutate: mocks.recordFiling },
    },
  },
}));

const ME = {
  id: 'r1',
  displayName: 'Karin Holm',
  roles: [{ role: 'rapportor', namndId: NAMND_ID, verksamhetsomrade: null, enhetId: null }],
} as unknown as Me;

const KEY = {
  namndId: NAMND_ID,
  quarter: Q3,
  decisionId: DECISION_ID,
  episodeStart: EPISODE_START,
};
const LOCAL_KEY = draftKey(individrapportDraftForm(KEY), null);
const RECORD_KEY = draftKey(recordDraftForm(KEY), null);

/**
 * A server that keeps the saved changes and the filing, as reports.* do; `refused` is its reason
 * why a complete line cannot be filed today (the window has closed).
 */
function fakeServer(start: ReportView, refused: string | null = null) {
  let saved: Edits = {};
  let filed: ReportView['filing'] = null;
  const current = (): ReportView => {
    if (filed) return reportView(filed.snapshot.draft!, { filing: filed, canFile: false });
    const draft = applyIndividrapportEdits(start.draft, saved, start.locked);
    const view = reportView(draft, {
      window: start.window,
      locked: start.locked,
      previous: start.previous,
      prefill: start.prefill,
      reportType: start.reportType,
      record: start.record,
    });
    if (refused && view.findings.length === 0) return { ...view, canFile: false, reason: refused };
    return view;
  };
  mocks.get.mockImplementation(async () => current());
  mocks.saveDraft.mockImplementation(async ({ draft }: { draft: Edits }) => {
    saved = { ...saved, ...draft };
    const view = current();
    return { edits: saved, draft: view.draft, findings: view.findings };
  });
  mocks.file.mockImplementation(async ({ filedOn }: { filedOn: string }) => {
    const draft = current().draft;
    filed = filingOf(draft, { filedOn });
    return { ...filed, messagesHandled: [] };
  });
  mocks.recordFiling.mockImplementation(
    async (input: { filedOn: string; report: 'ny' | 'ater'; draft?: Edits }) => {
      const draft = { ...current().draft, ...input.draft };
      filed = filingOf(draft, {
        filedOn: input.filedOn,
        report: input.report,
        recorded: 'efterhand',
        fieldsAsSent: input.draft !== undefined,
        filedAt: new Date().toISOString(),
      });
      saved = {};
      return { ...filed, messagesHandled: [] };
    },
  );
}

/** A refusal as the server sends it: its status, and the message of each field. */
function refusal(status: number, issues: { path: string; message: string }[]) {
  const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new TRPCClientError(message, {
    result: { error: { message, code: -32600, data: { httpStatus: status, issues } } },
  } as never);
}

let db: LocalDb;
let dbCount = 0;
let online = true;
const clipboard = { writeText: vi.fn() };

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  // 15 October 2026: the window of Q3 is open.
  vi.setSystemTime(new Date('2026-10-15T10:00:00Z'));
  db = await openLocalDb(`individrapport-test-${++dbCount}`);
  online = true;
  mocks.get.mockReset();
  mocks.saveDraft.mockReset();
  mocks.file.mockReset();
  mocks.recordFiling.mockReset();
  clipboard.writeText.mockReset().mockResolvedValue(undefined);
  Object.defineProperty(navigator, 'clipboard', { value: clipboard, configurable: true });
  window.history.replaceState(
    null,
    '',
    `/kvartal/2026-Q3/${DECISION_ID}/${EPISODE_START}?namndId=${NAMND_ID}`,
  );
});

afterEach(() => {
  cleanup();
  db.close();
  vi.useRealTimers();
});

function renderScreen() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const state = { online } as SyncState;
  const engine = {
    subscribe: () => () => {},
    getState: () => state,
  } as unknown as SyncEngine;
  return render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine }}>
        <MeContext.Provider value={ME}>
          <Individrapport
            params={{ quarterKey: '2026-Q3', decisionId: DECISION_ID, episodeStart: EPISODE_START }}
          />
        </MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

const tab = (name: RegExp) => screen.getByRole('tab', { name });
const panel = () => screen.getByRole('tabpanel');

describe('Individrapport', () => {
  it('lays the report out in five tabs, with arrow keys between them', async () => {
    fakeServer(reportView());
    renderScreen();
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Individrapport – Lars Olofsson' }),
    ).toBeTruthy();
    expect(mocks.get).toHaveBeenCalledWith(KEY);
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual([
      '1. Nämnd',
      '2. Rapportör',
      '3. Individ',
      '4. Dröjsmål (2 att rätta)',
      '5. Summering',
    ]);
    expect(tab(/^1\./).getAttribute('aria-selected')).toBe('true');
    expect(
      within(panel()).getByRole('heading', { name: 'Flik 1. Nämnd och verksamhetsområde' }),
    ).toBeTruthy();
    fireEvent.keyDown(tab(/^1\./), { key: 'ArrowLeft' });
    expect(tab(/^5\./).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tab(/^5\./));
    fireEvent.keyDown(tab(/^5\./), { key: 'ArrowRight' });
    fireEvent.keyDown(tab(/^1\./), { key: 'ArrowRight' });
    expect(tab(/^2\./).getAttribute('aria-selected')).toBe('true');
    expect(tab(/^1\./).tabIndex).toBe(-1);
    expect(
      within(panel()).getByText(/Förra rapporten: kvartal 2 2026, nyrapportering/),
    ).toBeTruthy();

    // The line's messages beside the report, handled or not.
    const messages = screen.getByRole('complementary', { name: 'Meddelanden om raden' });
    const items = within(messages).getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('IVO – Återrapportering 2026-08-11, 9§6');
    expect(items[0]!.textContent).toContain('Ej hanterat');
    expect(items[1]!.textContent).toContain('Hanterat 10 juli 2026 av Karin Holm');
  });

  it('shows the fields the e-tjänst locks read-only, saying why', async () => {
    fakeServer(reportView());
    renderScreen();
    await screen.findByRole('tablist');
    fireEvent.click(tab(/^3\./));
    const fornamn = within(panel()).getByLabelText('Förnamn') as HTMLInputElement;
    expect(LOCKED).toContain('fornamn');
    expect(fornamn.readOnly).toBe(true);
    expect(fornamn.value).toBe('Lars');
    expect(fornamn.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(fornamn.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Låst: Fältet är låst vid återrapportering: det rapporterades tidigare.',
    );
    // A code shown as the e-tjänst names it.
    expect(
      (within(panel()).getByLabelText('Typ av bistånd eller insats') as HTMLInputElement).value,
    ).toBe('Korttidsvistelse – korttidshem');
    // Not locked: editable.
    const anhorig = within(panel()).getByLabelText(
      /Ej verkställt beslut för anhörig/,
    ) as HTMLInputElement;
    expect(anhorig.readOnly).toBe(false);
    expect(anhorig.type).toBe('checkbox');
    fireEvent.click(tab(/^4\./));
    const avser = within(panel()).getByLabelText('Dröjsmålet avser') as HTMLInputElement;
    expect(avser.readOnly).toBe(true);
    expect(
      within(panel()).getAllByText('Låst: Fältet följer av rapportraden och kan inte ändras.'),
    ).toHaveLength(2);
  });

  it('copies a field’s text and the whole report, and says so', async () => {
    fakeServer(reportView());
    renderScreen();
    await screen.findByRole('tablist');
    fireEvent.click(tab(/^3\./));
    fireEvent.click(within(panel()).getByRole('button', { name: 'Kopiera Personnummer' }));
    await waitFor(() => expect(clipboard.writeText).toHaveBeenLastCalledWith('20050417-7254'));
    expect(await screen.findByText('Kopierat: Personnummer')).toBeTruthy();
    expect(within(panel()).getByRole('button', { name: 'Kopierat Personnummer' })).toBeTruthy();

    // A date typed in the e-tjänst is copied too.
    fireEvent.click(tab(/^4\./));
    fireEvent.click(within(panel()).getByRole('button', { name: 'Kopiera Beslutsdatum' }));
    await waitFor(() => expect(clipboard.writeText).toHaveBeenLastCalledWith(EPISODE_START));
    fireEvent.click(tab(/^3\./));

    fireEvent.click(screen.getByRole('button', { name: 'Kopiera hela rapporten' }));
    await waitFor(() =>
      expect(clipboard.writeText).toHaveBeenLastCalledWith(individrapportText(PREFILL)),
    );

    // No clipboard (an old browser, a refused permission): say so, the text is still on screen.
    clipboard.writeText.mockRejectedValueOnce(new Error('denied'));
    fireEvent.click(within(panel()).getByRole('button', { name: 'Kopiera Förnamn' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Förnamn kunde inte kopieras. Markera texten och kopiera den själv.',
    );
  });

  it('offers filing only once validation finds nothing, saving the changes first', async () => {
    fakeServer(reportView());
    renderScreen();
    await screen.findByRole('tablist');
    fireEvent.click(tab(/^5\./));
    expect(
      within(panel()).queryByRole('button', { name: 'Markera som inlämnad till IVO' }),
    ).toBeNull();
    expect(within(panel()).getByText(/2 uppgifter måste rättas/)).toBeTruthy();
    expect(
      within(panel()).getByText(
        'Rapporten kan inte markeras som inlämnad: rapporten har 2 uppgifter som måste rättas innan den kan lämnas in.',
      ),
    ).toBeTruthy();

    // "Gå till fältet" opens tab 4 at the field.
    fireEvent.click(
      within(panel()).getByRole('button', { name: 'Gå till fältet Huvudsakligt skäl' }),
    );
    expect(tab(/^4\./).getAttribute('aria-selected')).toBe('true');
    const skal = within(panel()).getByLabelText('Huvudsakligt skäl') as HTMLSelectElement;
    await waitFor(() => expect(document.activeElement).toBe(skal));
    expect(skal.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(skal, { target: { value: 'hos_kommunen' } });
    fireEvent.change(within(panel()).getByLabelText('Orsak'), { target: { value: 'brist_plats' } });
    // Fixed at once, before the server has it.
    expect(tab(/^4\./).textContent).toBe('4. Dröjsmål');
    const local = await loadDraft(db, LOCAL_KEY);
    expect(local?.data).toEqual({ edits: { skal: 'hos_kommunen', orsak: 'brist_plats' } });

    // Leaving the tab sends the changes; then the line can be filed.
    fireEvent.click(tab(/^5\./));
    const file = await within(panel()).findByRole('button', {
      name: 'Markera som inlämnad till IVO',
    });
    expect(mocks.saveDraft).toHaveBeenCalledWith({
      ...KEY,
      draft: { skal: 'hos_kommunen', orsak: 'brist_plats' },
    });
    expect(
      (within(panel()).getByLabelText(/Datum då rapporten lämnades/) as HTMLInputElement).value,
    ).toBe('2026-10-15');
    expect(await loadDraft(db, LOCAL_KEY)).toBeUndefined();

    fireEvent.click(file);
    expect(
      await within(panel()).findByText('Raden är markerad som inlämnad till IVO 15 oktober 2026.'),
    ).toBeTruthy();
    expect(mocks.file).toHaveBeenCalledWith({ ...KEY, filedOn: '2026-10-15' });
    expect(screen.getByText(/Inlämnad till IVO/).closest('.ir-filed')?.textContent).toContain(
      'av Karin Holm',
    );
    expect(
      within(panel()).getByRole('heading', { name: 'Rapporten som den lämnades in' }),
    ).toBeTruthy();
    // The frozen copy: every field read-only.
    fireEvent.click(tab(/^4\./));
    const filedSkal = within(panel()).getByLabelText('Huvudsakligt skäl') as HTMLInputElement;
    expect(filedSkal.readOnly).toBe(true);
    expect(filedSkal.value).toBe('Hos kommunen');
    expect(
      within(panel()).getAllByText('Låst: Rapporten är inlämnad och kan inte ändras.').length,
    ).toBeGreaterThan(3);
  });

  it('says why a complete line cannot be filed today, and checks the date given', async () => {
    const complete: IndividrapportDraft = {
      ...PREFILL,
      skal: 'hos_kommunen',
      orsak: 'brist_plats',
    };
    vi.setSystemTime(new Date('2026-11-22T10:00:00Z'));
    fakeServer(
      reportView(complete, {
        window: { opens: '2026-10-01', closes: '2026-10-31', open: false, closed: true },
      }),
      'En återrapportering för kvartal 3 2026 lämnas i rapporteringsperioden 1–31 oktober 2026',
    );
    renderScreen();
    await screen.findByRole('tablist');
    expect(
      screen.getByText(
        'En återrapportering för kvartal 3 2026 lämnas i rapporteringsperioden 1–31 oktober 2026.',
      ),
    ).toBeTruthy();
    fireEvent.click(tab(/^5\./));
    expect(within(panel()).getByText(/Kontrollen hittar inget att rätta/)).toBeTruthy();
    expect(
      within(panel()).queryByRole('button', { name: 'Markera som inlämnad till IVO' }),
    ).toBeNull();
    expect(within(panel()).queryByLabelText(/Datum då rapporten lämnades/)).toBeNull();

    // In the window, a date before it opens is refused by the filing rule.
    cleanup();
    vi.setSystemTime(new Date('2026-10-15T10:00:00Z'));
    fakeServer(reportView(complete));
    renderScreen();
    await screen.findByRole('tablist');
    fireEvent.click(tab(/^5\./));
    const date = within(panel()).getByLabelText(/Datum då rapporten lämnades/);
    fireEvent.change(date, { target: { value: '2026-09-30' } });
    expect(
      within(panel()).getByText(/lämnas i rapporteringsperioden 1–31 oktober 2026/),
    ).toBeTruthy();
    expect(date.getAttribute('aria-invalid')).toBe('true');
    expect(
      within(panel()).queryByRole('button', { name: 'Markera som inlämnad till IVO' }),
    ).toBeNull();
    fireEvent.change(date, { target: { value: '2026-10-14' } });
    expect(
      within(panel()).getByRole('button', { name: 'Markera som inlämnad till IVO' }),
    ).toBeTruthy();
  });

  it('stops typing at the length the server takes, in every free-text field', async () => {
    fakeServer(reportView());
    renderScreen();
    await screen.findByRole('tablist');
    const lengths: Record<string, number> = {};
    for (const name of [/^1\./, /^2\./, /^3\./, /^4\./]) {
      fireEvent.click(tab(name));
      for (const field of within(panel()).queryAllByRole('textbox')) {
        const control = field as HTMLInputElement | HTMLTextAreaElement;
        if (!control.readOnly) lengths[control.id] = control.maxLength;
      }
    }
    const editable = Object.keys(lengths);
    expect(editable.length).toBeGreaterThanOrEqual(3);
    for (const [id, maxLength] of Object.entries(lengths)) {
      const field = Object.keys(INDIVIDRAPPORT_MAX_LENGTH).find((f) => id.endsWith(f));
      expect(field, id).toBeDefined();
      expect(maxLength, id).toBe(
        INDIVIDRAPPORT_MAX_LENGTH[field as keyof typeof INDIVIDRAPPORT_MAX_LENGTH],
      );
    }
  });

  it('keeps a saved date when the browser cannot read what was typed, and says why', async () => {
    fakeServer(reportView());
    renderScreen();
    await screen.findByRole('tablist');
    fireEvent.click(tab(/^4\./));
    fireEvent.click(within(panel()).getByRole('checkbox', { name: /delvis/i }));
    const date = within(panel())
      .getAllByLabelText(/delvis/i)
      .find((e) => (e as HTMLInputElement).type === 'date') as HTMLInputElement;
    fireEvent.change(date, { target: { value: '2026-09-10' } });
    expect(date.value).toBe('2026-09-10');
    // 30 februari: the browser says badInput and gives ''.
    Object.defineProperty(date, 'validity', { value: { badInput: true }, configurable: true });
    fireEvent.change(date, { target: { value: '' } });
    expect(
      await within(panel()).findByText(/^Datumet finns inte\. Ange ett verkligt datum/),
    ).toBeTruthy();
    expect(date.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(tab(/^5\./));
    await waitFor(() => expect(mocks.saveDraft).toHaveBeenCalled());
    const saved = mocks.saveDraft.mock.calls.at(-1)?.[0] as { draft: Record<string, unknown> };
    expect(saved.draft.delvisDatum).toBe('2026-09-10');
  });

  it('keeps the changes on the device when the server cannot be reached, and sends them later', async () => {
    fakeServer(reportView());
    const save = mocks.saveDraft.getMockImplementation()!;
    mocks.saveDraft.mockImplementation(async () => {
      throw new TypeError('Failed to fetch');
    });
    renderScreen();
    await screen.findByRole('tablist');
    fireEvent.click(tab(/^4\./));
    const ovrigt = within(panel()).getByLabelText('Övrigt av vikt för IVO:s handläggning');
    fireEvent.change(ovrigt, { target: { value: 'Väntar på plats i korttidshem.' } });
    fireEvent.click(tab(/^5\./));
    expect(
      await screen.findByText(/Ändringarna är sparade på enheten och skickas när du är ansluten/),
    ).toBeTruthy();
    expect((await loadDraft(db, LOCAL_KEY))?.data).toEqual({
      edits: { ovrigt: 'Väntar på plats i korttidshem.' },
    });
    expect(
      within(panel()).getByText(/Väntar på plats i korttidshem\./, { selector: 'pre' }),
    ).toBeTruthy();

    // Opened again (the app was closed): the changes come back and go to the server.
    cleanup();
    mocks.saveDraft.mockImplementation(save);
    renderScreen();
    await screen.findByRole('tablist');
    await waitFor(() =>
      expect(mocks.saveDraft).toHaveBeenLastCalledWith({
        ...KEY,
        draft: { ovrigt: 'Väntar på plats i korttidshem.' },
      }),
    );
    await waitFor(async () => expect(await loadDraft(db, LOCAL_KEY)).toBeUndefined());
    expect(screen.getByText('Ändringarna är sparade.')).toBeTruthy();
    await act(async () => {});
  });
  it('offers a copy button only beside what the e-tjänst takes as text', async () => {
    fakeServer(reportView({ ...PREFILL, delvisVerkstalld: true, kompenserandeInsats: true }));
    renderScreen();
    await screen.findByRole('tablist');
    const withCopy: string[] = [];
    const without: string[] = [];
    for (const name of [/^1\./, /^2\./, /^3\./, /^4\./]) {
      fireEvent.click(tab(name));
      for (const row of panel().querySelectorAll('.ir-field')) {
        const field = row.querySelector('input, select, textarea')!.id.replace(/^.*-/, '');
        (row.querySelector('button.ir-copy') ? withCopy : without).push(field);
      }
    }
    // Typed in the e-tjänst: texts, text areas, dates.
    expect(withCopy).toEqual([
      'fornamn',
      'efternamn',
      'personnummer',
      'drojsmalDatum',
      'delvisDatum',
      'delvisText',
      'delvisKomplettering',
      'kompenserandeText',
      'kompenserandeKomplettering',
      'ovrigt',
      'ovrigtKomplettering',
    ]);
    // Chosen there: boxes, radio buttons, lists (also when locked here), the nämnd, the rapportör.
    expect(without).toEqual([
      'namnd',
      'verksamhetsomrade',
      'rapportor',
      'rapporttyp',
      'skyddadePersonuppgifter',
      'saknarPersonnummer',
      'insats',
      'anhorigMedEjVerkstalltBeslut',
      'drojsmalAvser',
      'status',
      'skal',
      'delvisVerkstalld',
      'kompenserandeInsats',
      'covid19',
    ]);
    fireEvent.click(tab(/^3\./));
    expect(screen.getByRole('checkbox', { name: /Ej verkställt beslut för anhörig/ })).toBeTruthy();
    expect(
      screen.queryByRole('button', { name: /Kopiera Ej verkställt beslut för anhörig/ }),
    ).toBeNull();
    expect(screen.queryByRole('button', { name: /Kopiera Skyddade personuppgifter/ })).toBeNull();
    // The whole report still has every field.
    fireEvent.click(screen.getByRole('button', { name: 'Kopiera hela rapporten' }));
    await waitFor(() =>
      expect(clipboard.writeText).toHaveBeenLastCalledWith(
        expect.stringContaining('Skyddade personuppgifter: Nej\n'),
      ),
    );
  });

  it('calls tab 5 Summering, and no screen says kvartalsrapport', async () => {
    fakeServer(reportView());
    renderScreen();
    await screen.findByRole('tablist');
    fireEvent.click(tab(/^5\./));
    expect(tab(/^5\./).textContent).toBe('5. Summering');
    expect(
      within(panel()).getByRole('heading', { level: 2, name: 'Flik 5. Summering' }),
    ).toBeTruthy();
    expect(within(panel()).getByRole('heading', { name: 'Kontroll' })).toBeTruthy();
    fireEvent.click(tab(/^4\./));
    expect(within(panel()).getByRole('button', { name: '5. Summering →' })).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/kvartalsrapport/i);

    cleanup();
    render(<Individrapport params={{ quarterKey: 'fel', decisionId: 'd1', episodeStart: 'x' }} />);
    expect(screen.getByRole('heading', { name: 'Raden finns inte' })).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/kvartalsrapport/i);
  });

  it('shows the free texts filed before read-only, with a Komplettera field under each', async () => {
    fakeServer(aterWithFiledTexts());
    renderScreen();
    await screen.findByRole('tablist');
    fireEvent.click(tab(/^4\./));
    const delvis = within(panel()).getByLabelText('Hur insatsen delvis har verkställts');
    const delvisMore = within(panel()).getByLabelText(
      `${KOMPLETTERA_LABEL} (Hur insatsen delvis har verkställts)`,
    ) as HTMLTextAreaElement;
    const ovrigt = within(panel()).getByLabelText('Övrigt av vikt för IVO:s handläggning');
    const ovrigtMore = within(panel()).getByLabelText(
      `${KOMPLETTERA_LABEL} (Övrigt av vikt för IVO:s handläggning)`,
    ) as HTMLTextAreaElement;
    // What was filed, read-only, saying why; the Komplettera field right under it, editable.
    expect((delvis as HTMLInputElement).readOnly).toBe(true);
    expect((delvis as HTMLInputElement).value).toBe(PREVIOUS_WITH_TEXTS.delvisText);
    expect((ovrigt as HTMLTextAreaElement).readOnly).toBe(true);
    expect((ovrigt as HTMLTextAreaElement).value).toBe(PREVIOUS_WITH_TEXTS.ovrigt);
    expect(document.getElementById(ovrigt.getAttribute('aria-describedby')!)?.textContent).toBe(
      `Låst: ${LOCKED_TEXT_MESSAGE}.`,
    );
    expect(delvisMore.readOnly).toBe(false);
    expect(ovrigtMore.readOnly).toBe(false);
    expect(ovrigtMore.value).toBe(PREFILL.ovrigt);
    const rows = [...panel().querySelectorAll('.ir-field')];
    const rowOf = (el: Element) => rows.indexOf(el.closest('.ir-field')!);
    expect(rowOf(delvisMore)).toBe(rowOf(delvis) + 1);
    expect(rowOf(ovrigtMore)).toBe(rowOf(ovrigt) + 1);
    // Not under the kompenserande insats: it was not given.
    expect(
      within(panel()).queryByLabelText(`${KOMPLETTERA_LABEL} (Hur insatsen har kompenserats)`),
    ).toBeNull();

    // Both have copy buttons, the Komplettera button naming the text it completes.
    fireEvent.click(
      within(panel()).getByRole('button', {
        name: 'Kopiera Övrigt av vikt för IVO:s handläggning',
      }),
    );
    await waitFor(() =>
      expect(clipboard.writeText).toHaveBeenLastCalledWith(PREVIOUS_WITH_TEXTS.ovrigt),
    );
    fireEvent.change(delvisMore, { target: { value: 'Från 1 september 3 av 5 dygn.' } });
    fireEvent.click(
      within(panel()).getByRole('button', {
        name: `Kopiera ${KOMPLETTERA_LABEL} (Hur insatsen delvis har verkställts)`,
      }),
    );
    await waitFor(() =>
      expect(clipboard.writeText).toHaveBeenLastCalledWith('Från 1 september 3 av 5 dygn.'),
    );
    // Kept as a draft like every other field, and in the text of the whole report.
    expect((await loadDraft(db, LOCAL_KEY))?.data).toEqual({
      edits: { delvisKomplettering: 'Från 1 september 3 av 5 dygn.' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Kopiera hela rapporten' }));
    await waitFor(() => expect(clipboard.writeText).toHaveBeenCalledTimes(3));
    const whole = clipboard.writeText.mock.calls.at(-1)![0] as string;
    expect(whole).toContain(
      `Hur insatsen delvis har verkställts: ${PREVIOUS_WITH_TEXTS.delvisText}\n` +
        `${KOMPLETTERA_LABEL}: Från 1 september 3 av 5 dygn.\n`,
    );
    expect(whole).toContain(`${KOMPLETTERA_LABEL}: ${PREFILL.ovrigt}\n`);
    fireEvent.click(tab(/^5\./));
    await waitFor(() =>
      expect(mocks.saveDraft).toHaveBeenCalledWith({
        ...KEY,
        draft: { delvisKomplettering: 'Från 1 september 3 av 5 dygn.' },
      }),
    );
  });
  it('says when the line is sent as a nyrapportering, linking to each earlier quarter to record', async () => {
    const notice =
      'Enligt lagens schema är raden en återrapportering, men ingen tidigare rapportering av dröjsmålet är registrerad i evb (kvartal 2 2026). IVO:s e-tjänst erbjuder återrapportering bara för ärenden som IVO redan har: registrera de tidigare inlämningarna, eller lämna rapporten nu som en nyrapportering.';
    fakeServer(
      reportView(
        { ...PREFILL, rapporttyp: 'ny' },
        {
          previous: null,
          locked: ['rapporttyp', 'drojsmalAvser', 'drojsmalDatum'],
          reportType: {
            scheduled: 'ater',
            send: 'ny',
            unrecordedEarlier: [{ quarter: '2026-Q2', label: 'kvartal 2 2026' }],
            notice,
          },
        },
      ),
    );
    renderScreen();
    await screen.findByRole('tablist');
    const facts = screen.getByText('Rapport').closest('div')!;
    expect(facts.textContent).toBe(
      'RapportNyrapportering (enligt lagens schema en återrapportering)',
    );
    fireEvent.click(tab(/^2\./));
    const inTab2 = within(panel()).getByRole('region', { name: 'Lämnas som nyrapportering' });
    expect(within(inTab2).getByText(notice)).toBeTruthy();
    expect(
      within(inTab2)
        .getByRole('link', { name: 'Registrera inlämningen för kvartal 2 2026' })
        .getAttribute('href'),
    ).toBe(`/kvartal/2026-Q2/${DECISION_ID}/${EPISODE_START}?namndId=${NAMND_ID}`);
    expect((within(panel()).getByLabelText('Rapportering') as HTMLInputElement).value).toBe(
      'Nyrapportering',
    );
    // And beside the filing.
    fireEvent.click(tab(/^5\./));
    const inTab5 = within(panel()).getByRole('region', { name: 'Lämnas som nyrapportering' });
    expect(within(inTab5).getByRole('link', { name: /kvartal 2 2026/ })).toBeTruthy();

    // Sent as scheduled: no notice.
    cleanup();
    fakeServer(reportView());
    renderScreen();
    await screen.findByRole('tablist');
    expect(screen.getByText('Rapport').closest('div')!.textContent).toBe('RapportÅterrapportering');
    fireEvent.click(tab(/^2\./));
    expect(within(panel()).queryByRole('region', { name: /Lämnas som/ })).toBeNull();
  });

  it('records a filing made in the e-tjänst after the window closed, keeping what is typed', async () => {
    vi.setSystemTime(new Date('2026-11-22T10:00:00Z'));
    // No earlier filing is recorded: evb says it goes as a nyrapportering.
    const complete: IndividrapportDraft = {
      ...PREFILL,
      rapporttyp: 'ny',
      skal: 'hos_kommunen',
      orsak: 'brist_plats',
    };
    fakeServer(
      reportView(complete, {
        window: { opens: '2026-10-01', closes: '2026-10-31', open: false, closed: true },
        previous: null,
        locked: ['rapporttyp', 'drojsmalAvser', 'drojsmalDatum'],
        reportType: {
          scheduled: 'ater',
          send: 'ny',
          unrecordedEarlier: [{ quarter: '2026-Q2', label: 'kvartal 2 2026' }],
          notice: 'Ingen tidigare rapportering av dröjsmålet är registrerad i evb.',
        },
      }),
      'En nyrapportering för kvartal 3 2026 lämnas i rapporteringsperioden 1–31 oktober 2026',
    );
    renderScreen();
    await screen.findByRole('tablist');
    // Marking it as filed is not possible any more; recording it is, from above the tabs.
    fireEvent.click(screen.getByRole('button', { name: 'Registrera inlämning i efterhand' }));
    expect(tab(/^5\./).getAttribute('aria-selected')).toBe('true');
    expect(
      within(panel()).queryByRole('button', { name: 'Markera som inlämnad till IVO' }),
    ).toBeNull();
    const date = within(panel()).getByLabelText('Datum då rapporten skickades till IVO');
    await waitFor(() => expect(document.activeElement).toBe(date));
    expect(within(panel()).getByText('Inom rapporteringsperioden 1–31 oktober 2026.')).toBeTruthy();
    const ny = within(panel()).getByRole('radio', { name: /Nyrapportering/ }) as HTMLInputElement;
    expect(ny.checked).toBe(true);
    expect(ny.labels?.[0]?.textContent).toBe('Nyrapportering (föreslås av evb)');

    // Nothing given: said on the field, nothing sent.
    fireEvent.click(within(panel()).getByRole('button', { name: 'Registrera inlämningen' }));
    expect(
      await within(panel()).findByText('Ange datum då rapporten skickades till IVO.'),
    ).toBeTruthy();
    expect(date.getAttribute('aria-invalid')).toBe('true');
    // A date outside the window: the domain's rule says why (naming the type sent), before
    // anything is sent.
    fireEvent.change(date, { target: { value: '2026-11-05' } });
    expect(date.getAttribute('aria-invalid')).toBeNull();
    fireEvent.click(within(panel()).getByRole('button', { name: 'Registrera inlämningen' }));
    expect(
      await within(panel()).findByText(
        'En nyrapportering för kvartal 3 2026 lämnas i rapporteringsperioden 1–31 oktober 2026.',
      ),
    ).toBeTruthy();
    expect(mocks.recordFiling).not.toHaveBeenCalled();
    fireEvent.change(date, { target: { value: '2026-10-20' } });
    expect((await loadDraft(db, RECORD_KEY))?.data).toEqual({
      filedOn: '2026-10-20',
      report: 'ny',
      asSent: false,
      edits: {},
    });

    // Closed and opened again (the app was closed): what was typed is back.
    cleanup();
    renderScreen();
    await screen.findByRole('tablist');
    fireEvent.click(tab(/^5\./));
    expect(
      within(panel()).getByText('Uppgifterna du fyllde i förra gången fanns kvar på enheten.'),
    ).toBeTruthy();
    expect(
      (within(panel()).getByLabelText('Datum då rapporten skickades till IVO') as HTMLInputElement)
        .value,
    ).toBe('2026-10-20');

    // Meanwhile someone recorded the filing of kvartal 2: the server refuses a nyrapportering,
    // said on that field; the values stay.
    const record = mocks.recordFiling.getMockImplementation()!;
    mocks.recordFiling.mockRejectedValueOnce(
      refusal(400, [
        {
          path: 'report',
          message:
            'Dröjsmålet är registrerat som rapporterat för ett tidigare kvartal: IVO hade ärendet, så rapporten var en återrapportering',
        },
      ]),
    );

    fireEvent.click(within(panel()).getByRole('button', { name: 'Registrera inlämningen' }));
    const typeGroup = within(panel()).getByRole('group', { name: 'Rapporttyp som skickades' });
    expect(
      await within(typeGroup).findByText(
        /IVO hade ärendet, så rapporten var en återrapportering\.$/,
      ),
    ).toBeTruthy();
    expect(typeGroup.getAttribute('aria-describedby')).toBeTruthy();
    expect(mocks.recordFiling).toHaveBeenLastCalledWith({
      ...KEY,
      filedOn: '2026-10-20',
      report: 'ny',
    });
    expect((await loadDraft(db, RECORD_KEY))?.data).toMatchObject({
      filedOn: '2026-10-20',
      report: 'ny',
    });

    mocks.recordFiling.mockImplementation(record);
    fireEvent.click(within(panel()).getByRole('radio', { name: /Återrapportering/ }));
    fireEvent.click(within(panel()).getByRole('button', { name: 'Registrera inlämningen' }));
    expect(
      await within(panel()).findByText(
        'Inlämningen till IVO 20 oktober 2026 (återrapportering) är registrerad.',
      ),
    ).toBeTruthy();
    // Without the fields as sent: evb's report is the copy, and the copy says so.
    expect(mocks.recordFiling).toHaveBeenLastCalledWith({
      ...KEY,
      filedOn: '2026-10-20',
      report: 'ater',
    });
    const notice = screen.getByText(/^Inlämnad till IVO/).closest('.ir-filed')!;
    expect(notice.textContent).toContain('Inlämnad till IVO 20 oktober 2026 som återrapportering.');
    expect(notice.textContent).toContain(
      'Registrerad i efterhand av Karin Holm 22 november 2026 kl. 11:00.',
    );
    expect(notice.textContent).toContain(
      'Uppgifterna är evb:s rapport när inlämningen registrerades, inte en kopia av det som skickades till IVO.',
    );
    expect(
      within(panel()).getByRole('heading', { name: 'evb:s rapport när inlämningen registrerades' }),
    ).toBeTruthy();
    expect(await loadDraft(db, RECORD_KEY)).toBeUndefined();
    expect(within(panel()).queryByRole('button', { name: 'Registrera inlämningen' })).toBeNull();
  });

  it('records the fields as they were sent, showing a refusal on its field', async () => {
    fakeServer(reportView({ ...PREFILL, skal: 'hos_kommunen', orsak: 'brist_plats' }));
    renderScreen();
    await screen.findByRole('tablist');
    fireEvent.click(tab(/^5\./));
    const opener = within(panel()).getByRole('button', {
      name: 'Registrera inlämning i efterhand',
    });
    expect(opener.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(opener);
    fireEvent.change(within(panel()).getByLabelText('Datum då rapporten skickades till IVO'), {
      target: { value: '2026-10-12' },
    });
    const asSent = within(panel()).getByRole('checkbox', {
      name: 'Ange uppgifterna som skickades',
    });
    expect(within(panel()).queryByRole('group', { name: 'Uppgifterna som skickades' })).toBeNull();
    fireEvent.click(asSent);
    const fields = within(panel()).getByRole('group', { name: 'Uppgifterna som skickades' });
    // They start from evb's report; locked fields stay locked; no copy buttons here.
    const ovrigt = within(fields).getByLabelText('Övrigt av vikt för IVO:s handläggning');
    expect((ovrigt as HTMLTextAreaElement).value).toBe(PREFILL.ovrigt);
    expect((within(fields).getByLabelText('Förnamn') as HTMLInputElement).readOnly).toBe(true);
    expect(within(fields).queryAllByRole('button', { name: /^Kopiera/ })).toHaveLength(0);
    fireEvent.change(ovrigt, { target: { value: 'Skickat med kortare text.' } });
    expect(within(fields).getByText('Ändrad från evb:s rapport.')).toBeTruthy();

    mocks.recordFiling.mockRejectedValueOnce(
      refusal(400, [{ path: 'draft.ovrigt', message: 'Texten får vara högst 4000 tecken' }]),
    );
    fireEvent.click(within(panel()).getByRole('button', { name: 'Registrera inlämningen' }));
    expect(await within(fields).findByText('Texten får vara högst 4000 tecken.')).toBeTruthy();
    expect(ovrigt.getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(ovrigt));
    const sent = mocks.recordFiling.mock.calls[0]![0] as { draft: Record<string, unknown> };
    expect(sent.draft.ovrigt).toBe('Skickat med kortare text.');
    expect(sent.draft.skal).toBe('hos_kommunen');
    // The locked fields are the line's: not sent.
    for (const field of LOCKED) expect(sent.draft, field).not.toHaveProperty(field);

    fireEvent.click(within(panel()).getByRole('button', { name: 'Registrera inlämningen' }));
    expect(await screen.findByText(/^Uppgifterna är de som skickades till IVO/)).toBeTruthy();
    expect(
      within(panel()).getByRole('heading', { name: 'Rapporten som den lämnades in' }),
    ).toBeTruthy();
    expect(
      within(panel()).getByText(/Skickat med kortare text\./, { selector: 'pre' }),
    ).toBeTruthy();
  });
});
