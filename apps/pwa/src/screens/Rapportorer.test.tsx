import 'fake-indexeddb/auto';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import type { SyncEngine } from '../sync/engine';
import { Rapportorer } from './Rapportorer';
import { reporterAreasInput } from './reporter-values';

const mocks = vi.hoisted(() => ({
  list: vi.fn(),
  add: vi.fn(),
  update: vi.fn(),
  remove: vi.fn(),
  search: vi.fn(),
}));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    reporters: {
      list: { query: mocks.list },
      add: { mutate: mocks.add },
      update: { mutate: mocks.update },
      remove: { mutate: mocks.remove },
      searchUsers: { query: mocks.search },
    },
  },
}));

const entry = (over: Record<string, unknown>) => ({
  userId: 'r1',
  username: 'rapportor',
  displayName: 'Karin Holm',
  email: 'karin@example.se',
  telefon: null,
  active: true,
  status: 'rapportor',
  verksamhetsomraden: ['SOL_ALDRE', 'SOL_FUNK', 'LSS'],
  helaNamnden: true,
  ...over,
});

const VARD = {
  namndId: 'vard',
  namn: 'Vård- och omsorgsnämnden',
  verksamhetsomraden: ['SOL_ALDRE', 'SOL_FUNK', 'LSS'],
  reporters: [
    entry({}),
    entry({
      userId: 'h1',
      username: 'huvudrapportor',
      displayName: 'Magnus Ek',
      status: 'huvudrapportor',
    }),
    entry({
      userId: 'r2',
      username: 'lss',
      displayName: 'Lena Ström',
      email: null,
      verksamhetsomraden: ['LSS'],
      helaNamnden: false,
    }),
  ],
};
const SOCIAL = {
  namndId: 'social',
  namn: 'Socialnämnden',
  verksamhetsomraden: ['SOL_IFO'],
  reporters: [
    entry({
      userId: 'h1',
      username: 'huvudrapportor',
      displayName: 'Magnus Ek',
      status: 'huvudrapportor',
      verksamhetsomraden: ['SOL_IFO'],
    }),
  ],
};

const grant = (role: string, namndId: string) => ({
  role,
  namndId,
  verksamhetsomrade: null,
  enhetId: null,
});
const RAPPORTOR = {
  id: 'r1',
  username: 'rapportor',
  displayName: 'Karin Holm',
  roles: [grant('rapportor', 'vard')],
} as unknown as Me;
const HUVUDRAPPORTOR = {
  id: 'h1',
  username: 'huvudrapportor',
  displayName: 'Magnus Ek',
  roles: [grant('huvudrapportor', 'vard'), grant('huvudrapportor', 'social')],
} as unknown as Me;

let db: LocalDb;
let dbCount = 0;

beforeEach(async () => {
  db = await openLocalDb(`rapportorer-test-${++dbCount}`);
  for (const mock of Object.values(mocks)) mock.mockReset();
});

afterEach(() => {
  cleanup();
  db.close();
});

function renderAs(me: Me) {
  const state = { online: true };
  const engine = { subscribe: () => () => {}, getState: () => state } as unknown as SyncEngine;
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine }}>
        <MeContext.Provider value={me}>
          <Rapportorer />
        </MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

const section = (name: string) => within(screen.getByRole('region', { name }));

describe('Rapportorer', () => {
  it('shows a rapportör the register read-only: who, which areas, huvudrapportör or not', async () => {
    mocks.list.mockResolvedValue([VARD]);
    renderAs(RAPPORTOR);
    const table = await screen.findByRole('table', {
      name: 'Rapportörer för Vård- och omsorgsnämnden',
    });
    const rows = within(table)
      .getAllByRole('row')
      .map((r) => r.textContent);
    // The huvudrapportör first, then by name.
    expect(rows[1]).toContain('Magnus Ek');
    expect(rows[1]).toContain('Huvudrapportör');
    expect(rows[2]).toContain('Karin Holm (du)');
    expect(rows[2]).toContain('Alla (SoL Äldre, SoL FUNK, LSS)');
    expect(rows[3]).toContain('Lena Ström');
    expect(rows[3]).toContain('LSS');
    expect(screen.queryByRole('button', { name: /Ändra|Ta bort|Lägg till/ })).toBeNull();
    expect(screen.getByText(/Bara nämndens huvudrapportör kan ändra registret/)).toBeTruthy();
  });

  it('lets the huvudrapportör add an existing user for some areas, per nämnd', async () => {
    mocks.list.mockResolvedValue([VARD, SOCIAL]);
    mocks.add.mockResolvedValue({
      ...VARD,
      reporters: [...VARD.reporters, entry({ userId: 'n1', username: 'ny', displayName: 'Ny P' })],
    });
    renderAs(HUVUDRAPPORTOR);
    await screen.findByRole('heading', { level: 2, name: 'Socialnämnden' });
    const vard = section('Vård- och omsorgsnämnden');
    fireEvent.click(vard.getByRole('button', { name: /Lägg till rapportör/ }));
    const form = within(
      await screen.findByRole('region', { name: /Lägg till rapportör för Vård/ }),
    );
    fireEvent.click(form.getByLabelText('Bara vissa:'));
    fireEvent.click(form.getByRole('button', { name: 'Lägg till' }));
    // Every problem at once: nobody chosen, no area.
    expect(await form.findByText('Välj minst ett verksamhetsområde, eller Alla')).toBeTruthy();
    expect(form.getByText('Sök fram och välj den som ska bli rapportör')).toBeTruthy();
    expect(mocks.add).not.toHaveBeenCalled();

    mocks.search.mockResolvedValue({
      users: [
        { userId: 'n1', username: 'ny', displayName: 'Ny P', active: true, inRegister: false },
        {
          userId: 'k1',
          username: 'karin',
          displayName: 'Nya Karin',
          active: true,
          inRegister: true,
        },
        {
          userId: 'g1',
          username: 'gammal',
          displayName: 'Nyström',
          active: false,
          inRegister: false,
        },
      ],
      more: false,
    });
    const search = form.getByLabelText('Sök användare');
    fireEvent.change(search, { target: { value: 'n' } });
    expect(form.getByText('Skriv minst 2 tecken för att söka.')).toBeTruthy();
    fireEvent.change(search, { target: { value: ' ny ' } });
    expect(await form.findByText('3 användare matchar ”ny”.')).toBeTruthy();
    expect(mocks.search).toHaveBeenCalledTimes(1);
    expect(mocks.search).toHaveBeenCalledWith({ namndId: 'vard', text: 'ny' });
    const choices = within(form.getByRole('group', { name: 'Välj person' }));
    expect((choices.getByLabelText(/Nya Karin/) as HTMLInputElement).disabled).toBe(true);
    expect(choices.getByText('(redan rapportör för nämnden)')).toBeTruthy();
    expect((choices.getByLabelText(/Nyström/) as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(choices.getByLabelText(/Ny P/));

    fireEvent.click(form.getByLabelText('LSS'));
    fireEvent.click(form.getByLabelText('SoL Äldre'));
    fireEvent.click(form.getByRole('button', { name: 'Lägg till' }));
    expect(
      await screen.findByText('Ny P är tillagd som rapportör för Vård- och omsorgsnämnden.'),
    ).toBeTruthy();
    expect(mocks.add).toHaveBeenCalledWith({
      namndId: 'vard',
      username: 'ny',
      status: 'rapportor',
      // In the nämnd's order; blank contact details keep the account's own.
      verksamhetsomraden: ['SOL_ALDRE', 'LSS'],
      email: undefined,
      telefon: undefined,
    });
  });

  it('shows the server’s refusal of the chosen user beside the search', async () => {
    mocks.list.mockResolvedValue([SOCIAL]);
    mocks.add.mockRejectedValue(
      new TRPCClientError('username: Det finns ingen användare med användarnamnet nn.', {
        result: {
          error: {
            message: 'username: Det finns ingen användare med användarnamnet nn.',
            code: -32004,
            data: { httpStatus: 404 },
          },
        },
      } as never),
    );
    renderAs(HUVUDRAPPORTOR);
    fireEvent.click(await screen.findByRole('button', { name: /Lägg till rapportör/ }));
    // One area only: nothing to choose.
    expect(await screen.findByText('Socialnämnden rapporterar för SoL IFO.')).toBeTruthy();
    mocks.search.mockResolvedValue({
      users: [{ userId: 'n', username: 'nn', displayName: 'N N', active: true, inRegister: false }],
      more: true,
    });
    fireEvent.change(screen.getByLabelText('Sök användare'), { target: { value: 'nn' } });
    expect(
      await screen.findByText(
        'Visar de 1 första som matchar ”nn”. Skriv mer av namnet för att hitta fler.',
      ),
    ).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/N N/));
    fireEvent.click(screen.getByRole('button', { name: 'Lägg till' }));
    expect(
      await screen.findByText('Det finns ingen användare med användarnamnet nn.'),
    ).toBeTruthy();
    expect(screen.getByLabelText('Sök användare').getAttribute('aria-invalid')).toBe('true');
    expect(mocks.add.mock.calls[0]![0].verksamhetsomraden).toBeNull();
  });

  it('removes a reporter only after confirming, and shows the server’s refusal', async () => {
    mocks.list.mockResolvedValue([SOCIAL]);
    const message =
      'Du är nämndens enda huvudrapportör. Lägg först till en ny huvudrapportör, som sedan kan avanmäla dig';
    mocks.remove.mockRejectedValue(
      new TRPCClientError(`userId: ${message}`, {
        result: {
          error: {
            message: `userId: ${message}`,
            code: -32600,
            // As the server sends its own checks: the path in the message, no issues.
            data: { httpStatus: 400 },
          },
        },
      } as never),
    );
    renderAs(HUVUDRAPPORTOR);
    fireEvent.click(await screen.findByRole('button', { name: 'Ta bort Magnus Ek' }));
    const confirm = within(
      screen.getByRole('region', { name: 'Ta bort dig själv som rapportör?' }),
    );
    expect(mocks.remove).not.toHaveBeenCalled();
    fireEvent.click(confirm.getByRole('button', { name: 'Ja, ta bort' }));
    expect((await confirm.findByRole('alert')).textContent).toBe(message);
    expect(mocks.remove).toHaveBeenCalledWith({ namndId: 'social', userId: 'h1' });
    fireEvent.click(confirm.getByRole('button', { name: 'Avbryt' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: /Ta bort/ })).toBeNull());
  });

  it('changes a reporter’s role and areas', async () => {
    mocks.list.mockResolvedValue([VARD]);
    mocks.update.mockResolvedValue(VARD);
    renderAs(HUVUDRAPPORTOR);
    fireEvent.click(await screen.findByRole('button', { name: 'Ändra Lena Ström' }));
    const form = within(await screen.findByRole('region', { name: 'Ändra Lena Ström' }));
    expect((form.getByLabelText('LSS') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(form.getByLabelText('Huvudrapportör'));
    fireEvent.click(form.getByLabelText(/Alla nämndens verksamhetsområden/));
    fireEvent.click(form.getByRole('button', { name: 'Spara ändringen' }));
    expect(await screen.findByText('Ändringen av Lena Ström är sparad.')).toBeTruthy();
    expect(mocks.update).toHaveBeenCalledWith({
      namndId: 'vard',
      userId: 'r2',
      status: 'huvudrapportor',
      verksamhetsomraden: null,
      email: '',
      telefon: '',
    });
  });
});

describe('reporterAreasInput', () => {
  it('sends null for all, the chosen areas in the nämnd’s order, nothing to change with one area', () => {
    const areas = ['SOL_ALDRE', 'SOL_FUNK', 'LSS'];
    expect(reporterAreasInput({ alla: 'alla', areas: ['LSS'] }, areas, true)).toBeNull();
    expect(
      reporterAreasInput({ alla: 'vissa', areas: ['LSS', 'SOL_ALDRE'] }, areas, false),
    ).toEqual(['SOL_ALDRE', 'LSS']);
    expect(reporterAreasInput({ alla: 'vissa', areas: [] }, ['SOL_IFO'], true)).toBeNull();
    expect(reporterAreasInput({ alla: 'vissa', areas: [] }, ['SOL_IFO'], false)).toBeUndefined();
  });
});
