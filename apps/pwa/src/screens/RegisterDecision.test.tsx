import 'fake-indexeddb/auto';
import { todayInStockholm } from '@evb/domain';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import { draftKey, loadDraft, saveDraft } from '../local/drafts';
import type { SyncEngine } from '../sync/engine';
import { RegisterDecision } from './RegisterDecision';
import { initialValues, type RegisterValues } from './register-decision-values';

const mocks = vi.hoisted(() => ({
  overview: vi.fn(),
  register: vi.fn(),
}));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    org: { overview: { query: mocks.overview } },
    decisions: { register: { mutate: mocks.register } },
  },
}));

const ORG = {
  namnder: [
    {
      id: 'vard',
      namn: 'Vård- och omsorgsnämnden',
      kommunId: 'k',
      mayRegister: true,
      verksamhetsomraden: [
        { code: 'SOL_ALDRE', label: 'SoL Äldre' },
        { code: 'SOL_FUNK', label: 'SoL FUNK' },
        { code: 'LSS', label: 'LSS' },
      ],
      enheter: [
        { id: 'hemtjanst', namn: 'Hemtjänst Centrum', typ: 'utforarenhet' },
        { id: 'pa', namn: 'Personlig assistans Syd', typ: 'utforarenhet' },
        { id: 'boende', namn: 'Boendeteamet', typ: 'boendeteamet' },
      ],
    },
    {
      id: 'annan',
      namn: 'Annan nämnd',
      kommunId: 'k',
      mayRegister: false,
      verksamhetsomraden: [],
      enheter: [],
    },
  ],
};

const ME = {
  id: 'h1',
  displayName: 'Sara Nyström',
  roles: [{ role: 'handlaggare', namndId: 'vard', verksamhetsomrade: null, enhetId: null }],
} as unknown as Me;

const DRAFT_ID = '01890000-0000-7000-8000-0000000000aa';
const KEY = draftKey('beslut', null);

let db: LocalDb;
let engine: { sync: ReturnType<typeof vi.fn> };
let dbCount = 0;

beforeEach(async () => {
  db = await openLocalDb(`register-test-${++dbCount}`);
  engine = { sync: vi.fn(async () => {}) };
  mocks.overview.mockReset().mockResolvedValue(ORG);
  mocks.register.mockReset();
});

afterEach(() => {
  cleanup();
  db.close();
});

function renderScreen() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine: engine as unknown as SyncEngine }}>
        <MeContext.Provider value={ME}>
          <RegisterDecision />
        </MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

/** A complete form, as the user left it. */
function completeDraft(): RegisterValues {
  return {
    ...initialValues(DRAFT_ID, todayInStockholm()),
    namndId: 'vard',
    fornamn: 'Ada',
    efternamn: 'Lind',
    identitet: 'personnummer',
    personnummer: '19121212-1212',
    lagrum: 'LSS',
    insats: 'LSS_9_9',
    form: 'LSS_9_9_GRUPPBOSTAD',
    verksamhetsomrade: 'LSS',
    beslutsdatum: '2026-01-15',
    enhetId: 'boende',
  };
}

const answer = {
  id: DRAFT_ID,
  person: { fornamn: 'Ada', efternamn: 'Lind' },
  insatsLabel: 'Bostad med särskild service för vuxna – gruppbostad',
  enhet: { id: 'boende', namn: 'Boendeteamet', typ: 'boendeteamet' },
};

const select = (label: string) => screen.getByLabelText(label) as HTMLSelectElement;
const optionTexts = (el: HTMLSelectElement) => [...el.options].map((o) => o.textContent);

describe('RegisterDecision', () => {
  it('offers the insatser of the chosen lagrum, the form of 9 § 9 and orders it to Boendeteamet', async () => {
    renderScreen();
    // Only the nämnd the handläggare may register in, preselected.
    await waitFor(() => expect(select('Nämnd').value).toBe('vard'));
    expect(optionTexts(select('Nämnd'))).not.toContain('Annan nämnd');

    fireEvent.click(screen.getByLabelText('LSS'));
    const insatser = optionTexts(select('Insats'));
    expect(insatser).toContain('9 § 9 Bostad med särskild service för vuxna');
    expect(insatser).not.toContain('Hemtjänst');
    expect(insatser.filter((t) => t?.startsWith('9 § 9'))).toHaveLength(1);

    fireEvent.change(select('Insats'), { target: { value: 'LSS_9_9' } });
    expect(screen.getByRole('group', { name: 'Form' })).toBeTruthy();
    expect(screen.getByLabelText('Formen är inte känd')).toBeTruthy();
    expect(optionTexts(select('Verksamhetsområde'))).toEqual(['LSS']);
    expect(select('Enhet eller team').value).toBe('boende');

    fireEvent.click(screen.getByLabelText('SoL (socialtjänstlagen)'));
    expect(optionTexts(select('Insats'))).toContain('Hemtjänst');
    expect(screen.queryByRole('group', { name: 'Form' })).toBeNull();

    fireEvent.change(select('Insats'), { target: { value: 'SOL_KONTAKTPERSON' } });
    // Reported under SoL IFO first, but this nämnd has SoL FUNK and SoL Äldre only.
    expect(optionTexts(select('Verksamhetsområde'))).toEqual(['SoL FUNK', 'SoL Äldre']);
    expect(select('Verksamhetsområde').value).toBe('SOL_FUNK');
    expect(select('Inriktning')).toBeTruthy();

    await waitFor(async () =>
      expect((await loadDraft(db, KEY))?.data).toMatchObject({
        lagrum: 'SoL',
        insats: 'SOL_KONTAKTPERSON',
        verksamhetsomrade: 'SOL_FUNK',
      }),
    );
  });

  it('restores the draft and registers it with the draft’s client id', async () => {
    await saveDraft(db, 'beslut', null, completeDraft());
    mocks.register.mockResolvedValue(answer);
    renderScreen();
    expect(((await screen.findByLabelText('Förnamn')) as HTMLInputElement).value).toBe('Ada');
    expect(screen.getByText(/Ditt utkast från .* är återställt/)).toBeTruthy();
    expect((screen.getByLabelText(/Gruppbostad$/i) as HTMLInputElement).checked).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Registrera beslutet' }));
    expect(await screen.findByRole('heading', { name: 'Beslutet är registrerat' })).toBeTruthy();
    expect(mocks.register).toHaveBeenCalledOnce();
    expect(mocks.register.mock.calls[0]![0]).toMatchObject({
      id: DRAFT_ID,
      insats: 'LSS_9_9_GRUPPBOSTAD',
      person: { typ: 'personnummer', personnummer: '19121212-1212' },
      order: { enhetId: 'boende' },
    });
    expect(screen.getByRole('link', { name: 'Öppna beslutet' }).getAttribute('href')).toBe(
      `/beslut/${DRAFT_ID}`,
    );
    expect(screen.getByText('Beställningen är skickad till Boendeteamet.')).toBeTruthy();
    expect(engine.sync).toHaveBeenCalled();
    expect(await loadDraft(db, KEY)).toBeUndefined();

    // Another one starts empty, with a new client id.
    fireEvent.click(screen.getByRole('button', { name: 'Registrera ett nytt beslut' }));
    expect(((await screen.findByLabelText('Förnamn')) as HTMLInputElement).value).toBe('');
  });

  it('keeps the draft when the server cannot be reached, and sends the same id again', async () => {
    await saveDraft(db, 'beslut', null, completeDraft());
    mocks.register.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    renderScreen();
    await screen.findByLabelText('Förnamn');
    fireEvent.click(screen.getByRole('button', { name: 'Registrera beslutet' }));
    expect(
      (await screen.findByText(/Beslutet är sparat som utkast på den här enheten/)).getAttribute(
        'role',
      ),
    ).toBe('alert');
    expect((await loadDraft(db, KEY))?.data).toMatchObject({ id: DRAFT_ID, fornamn: 'Ada' });

    mocks.register.mockResolvedValueOnce(answer);
    fireEvent.click(screen.getByRole('button', { name: 'Registrera beslutet' }));
    await screen.findByRole('heading', { name: 'Beslutet är registrerat' });
    expect(mocks.register.mock.calls.map((c) => c[0].id)).toEqual([DRAFT_ID, DRAFT_ID]);
  });

  it('shows the server’s refusal beside the field it names', async () => {
    await saveDraft(db, 'beslut', null, completeDraft());
    mocks.register.mockRejectedValue(
      new TRPCClientError('order.enhetId: Enheten finns inte i beslutets nämnd', {
        result: {
          error: {
            message: 'order.enhetId: Enheten finns inte i beslutets nämnd',
            code: -32600,
            data: {
              httpStatus: 400,
              issues: [{ path: 'order.enhetId', message: 'Enheten finns inte i beslutets nämnd' }],
            },
          },
        },
      } as never),
    );
    renderScreen();
    await screen.findByLabelText('Förnamn');
    fireEvent.click(screen.getByRole('button', { name: 'Registrera beslutet' }));
    const error = await screen.findByText('Enheten finns inte i beslutets nämnd');
    const enhet = select('Enhet eller team');
    expect(enhet.getAttribute('aria-invalid')).toBe('true');
    expect(enhet.getAttribute('aria-describedby')).toContain(error.id);
    expect(screen.getByRole('alert').textContent).toMatch(/Rätta fälten som är markerade/);
    expect(await loadDraft(db, KEY)).toBeDefined();
  });

  it('checks the personnummer before anything is sent', async () => {
    renderScreen();
    await waitFor(() => expect(select('Nämnd').value).toBe('vard'));
    fireEvent.click(screen.getByLabelText('Personnummer'));
    const number = screen.getByRole('textbox', { name: 'Personnummer' });
    fireEvent.change(number, { target: { value: '191212121213' } });
    fireEvent.blur(number);
    expect(await screen.findByText(/Ogiltigt personnummer/)).toBeTruthy();
    expect((number as HTMLInputElement).value).toBe('19121212-1213');

    fireEvent.change(number, { target: { value: '191212121212' } });
    fireEvent.blur(number);
    await waitFor(() => expect(screen.queryByText(/Ogiltigt personnummer/)).toBeNull());
    expect(screen.getByText(/Född 12 december 1912, man/)).toBeTruthy();

    fireEvent.change(number, { target: { value: '19121212-1213' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Registrera beslutet' }));
    });
    expect(mocks.register).not.toHaveBeenCalled();
    expect(screen.getByText(/Ogiltigt personnummer/)).toBeTruthy();
    expect(screen.getByText('Skriv förnamn')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Förnamn'));
  });
});
