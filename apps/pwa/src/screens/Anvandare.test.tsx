import 'fake-indexeddb/auto';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import { draftKey, loadDraft } from '../local/drafts';
import type { SyncEngine } from '../sync/engine';
import { Anvandare } from './Anvandare';
import { ORG } from './role-grants.fixtures';

const mocks = vi.hoisted(() => ({
  overview: vi.fn(),
  list: vi.fn(),
  create: vi.fn(),
  update: vi.fn(),
  deactivate: vi.fn(),
  activate: vi.fn(),
  resetPassword: vi.fn(),
  policy: vi.fn(),
  setPolicy: vi.fn(),
  resetMfa: vi.fn(),
}));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    org: { overview: { query: mocks.overview } },
    users: {
      list: { query: mocks.list },
      create: { mutate: mocks.create },
      update: { mutate: mocks.update },
      deactivate: { mutate: mocks.deactivate },
      activate: { mutate: mocks.activate },
      resetPassword: { mutate: mocks.resetPassword },
    },
    mfa: {
      policy: { query: mocks.policy },
      setPolicy: { mutate: mocks.setPolicy },
      resetUser: { mutate: mocks.resetMfa },
    },
  },
}));

const ME = {
  id: 'a1',
  username: 'admin',
  displayName: 'Anders Wallin',
  roles: [{ role: 'admin', namndId: null, verksamhetsomrade: null, enhetId: null }],
} as unknown as Me;

const user = (over: Record<string, unknown>) => ({
  id: 'u1',
  username: 'elin',
  displayName: 'Elin Sandberg',
  email: null,
  telefon: null,
  active: true,
  createdAt: '2026-01-01T00:00:00Z',
  roles: [
    { id: 'g1', role: 'utforare', namndId: null, verksamhetsomrade: null, enhetId: 'kontakt' },
  ],
  mfa: { totp: false, passkeys: 0 },
  ...over,
});

const USERS = [
  user({ mfa: { totp: true, passkeys: 2 } }),
  user({
    id: 'u2',
    username: 'karin.holm',
    displayName: 'Karin Holm',
    active: false,
    roles: [
      { id: 'g2', role: 'rapportor', namndId: 'vard', verksamhetsomrade: null, enhetId: null },
    ],
  }),
  user({ id: 'a1', username: 'admin', displayName: 'Anders Wallin', roles: [] }),
];

function refusal(status: number, message: string, issues?: { path: string; message: string }[]) {
  return new TRPCClientError(message, {
    result: { error: { message, code: -32600, data: { httpStatus: status, issues } } },
  } as never);
}

let db: LocalDb;
let dbCount = 0;
let online = true;

beforeEach(async () => {
  db = await openLocalDb(`anvandare-test-${++dbCount}`);
  online = true;
  for (const mock of Object.values(mocks)) mock.mockReset();
  mocks.overview.mockResolvedValue(ORG);
  mocks.list.mockResolvedValue(USERS);
  mocks.policy.mockResolvedValue({ required: false, changedAt: null });
});

afterEach(() => {
  cleanup();
  db.close();
  window.history.replaceState(null, '', '/');
});

function renderAt(path: string) {
  window.history.replaceState(null, '', path);
  const state = { online };
  const engine = { subscribe: () => () => {}, getState: () => state } as unknown as SyncEngine;
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine }}>
        <MeContext.Provider value={ME}>
          <Anvandare />
        </MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

const type = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

async function fillNewUser() {
  await screen.findByLabelText('Användarnamn');
  type('Användarnamn', 'ny.person');
  type('Namn', 'Ny Person');
  type(/E-post/, 'ny@example.se');
  type('Lösenord', 'hemligt-lösen-1');
  type('Upprepa lösenordet', 'hemligt-lösen-1');
  const role = within(screen.getByRole('group', { name: 'Roll 1' }));
  await waitFor(() => expect(mocks.overview).toHaveBeenCalled());
  fireEvent.change(role.getByLabelText('Roll'), { target: { value: 'rapportor' } });
  fireEvent.change(await role.findByLabelText('Nämnd'), { target: { value: 'vard' } });
  fireEvent.change(role.getByLabelText(/Verksamhetsområde/), { target: { value: 'LSS' } });
}

describe('Anvandare: the list', () => {
  it('shows every user with their roles and account state, and searches name and username', async () => {
    renderAt('/anvandare');
    const table = await screen.findByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    await screen.findByText('Utförare – Kontaktpersonsenheten');
    expect(
      screen.getByText('Rapportör – Vård- och omsorgsnämnden, alla verksamhetsområden'),
    ).toBeTruthy();
    expect(screen.getByText('Inaktiverat')).toBeTruthy();
    expect(screen.getByText('3 användare, varav 1 inaktiverad.')).toBeTruthy();

    type('Sök på namn eller användarnamn', 'KARIN.h');
    expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(2);
    expect(screen.getByRole('link', { name: 'Karin Holm' }).getAttribute('href')).toBe(
      '/anvandare?id=u2',
    );
    type('Sök på namn eller användarnamn', 'ingen sådan');
    expect(screen.getByText('Ingen användare matchar ”ingen sådan”.')).toBeTruthy();
  });
});

describe('Anvandare: a new user', () => {
  it('sends the user with the grant the role needs; the draft keeps all but the password', async () => {
    mocks.create.mockImplementation(async (input) => ({ ...user({}), ...input, id: 'new' }));
    renderAt('/anvandare?ny');
    await fillNewUser();

    await waitFor(async () => {
      const draft = await loadDraft(db, draftKey('anvandare-ny', null));
      expect(draft?.data).toMatchObject({ username: 'ny.person', displayName: 'Ny Person' });
    });
    const stored = JSON.stringify((await loadDraft(db, draftKey('anvandare-ny', null)))?.data);
    expect(stored).not.toContain('hemligt');

    fireEvent.click(screen.getByRole('button', { name: 'Skapa användaren' }));
    await screen.findByRole('heading', { level: 1, name: 'Användaren är skapad' });
    expect(mocks.create).toHaveBeenCalledWith({
      username: 'ny.person',
      displayName: 'Ny Person',
      email: 'ny@example.se',
      telefon: '',
      password: 'hemligt-lösen-1',
      roles: [{ role: 'rapportor', namndId: 'vard', verksamhetsomrade: 'LSS' }],
    });
    expect(await loadDraft(db, draftKey('anvandare-ny', null))).toBeUndefined();
  });

  it('stops at a missing scope or unequal passwords, with the error beside the field', async () => {
    renderAt('/anvandare?ny');
    await fillNewUser();
    type('Upprepa lösenordet', 'något annat');
    fireEvent.change(within(screen.getByRole('group', { name: 'Roll 1' })).getByLabelText('Roll'), {
      target: { value: 'utforare' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Skapa användaren' }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      'Användaren är inte skapad. Rätta fälten som är markerade.',
    );
    const repeat = screen.getByLabelText('Upprepa lösenordet');
    expect(repeat.getAttribute('aria-invalid')).toBe('true');
    expect(
      screen.getByText('Lösenorden är inte lika. Skriv samma lösenord två gånger.'),
    ).toBeTruthy();
    expect(screen.getByText('Välj utförarenhet')).toBeTruthy();
    expect(mocks.create).not.toHaveBeenCalled();
  });

  it('states each field’s rule before typing, and shows every problem at once', async () => {
    renderAt('/anvandare?ny');
    const hintOf = (label: string | RegExp) =>
      document.getElementById(
        screen.getByLabelText(label).getAttribute('aria-describedby')?.split(' ')[0] ?? '',
      )?.textContent;
    await screen.findByLabelText('Användarnamn');
    expect(hintOf('Användarnamn')).toContain('2–50 tecken: a–z, 0–9');
    expect(hintOf('Namn')).toBe('För- och efternamn, högst 200 tecken.');
    expect(hintOf('Lösenord')).toMatch(/^Minst 10 och högst 200 tecken\./);
    expect(hintOf(/Telefon/)).toContain('5–40 tecken');

    type('Användarnamn', 'Å');
    type(/E-post/, 'inte en adress');
    type(/Telefon/, '12');
    type('Lösenord', 'kort');
    fireEvent.click(screen.getByRole('button', { name: 'Skapa användaren' }));
    expect(await screen.findByText('Användarnamnet ska ha minst 2 tecken')).toBeTruthy();
    for (const message of [
      'Ange namn',
      'Ange en giltig e-postadress',
      'Ange ett giltigt telefonnummer (siffror, mellanslag, + och -)',
      'Lösenordet måste ha minst 10 tecken',
      'Lösenorden är inte lika. Skriv samma lösenord två gånger.',
      'Välj roll',
    ]) {
      expect(screen.getByText(message)).toBeTruthy();
    }
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Användarnamn')));
    expect(mocks.create).not.toHaveBeenCalled();
  });

  it('shows the server’s refusals beside their fields, a taken username too', async () => {
    mocks.create
      .mockRejectedValueOnce(refusal(409, 'username: Användarnamnet används redan'))
      .mockRejectedValueOnce(
        refusal(400, 'password: Lösenordet måste ha minst 10 tecken', [
          { path: 'password', message: 'Lösenordet måste ha minst 10 tecken' },
          { path: 'roles.0.verksamhetsomrade', message: 'Nämnden rapporterar inte för LSS' },
        ]),
      );
    renderAt('/anvandare?ny');
    await fillNewUser();
    fireEvent.click(screen.getByRole('button', { name: 'Skapa användaren' }));
    const username = screen.getByLabelText('Användarnamn');
    await waitFor(() => expect(username.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Användarnamnet används redan')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(username));

    type('Användarnamn', 'ny.person2');
    fireEvent.click(screen.getByRole('button', { name: 'Skapa användaren' }));
    expect(await screen.findByText('Lösenordet måste ha minst 10 tecken')).toBeTruthy();
    expect(screen.getByText('Nämnden rapporterar inte för LSS')).toBeTruthy();
    expect(screen.getByLabelText('Lösenord').getAttribute('aria-invalid')).toBe('true');
    // Nothing typed is lost.
    expect((screen.getByLabelText('Namn') as HTMLInputElement).value).toBe('Ny Person');
  });

  it('says so when offline; what was typed stays', async () => {
    online = false;
    mocks.create.mockRejectedValue(new TypeError('Failed to fetch'));
    renderAt('/anvandare?ny');
    expect((await screen.findByText('Du är offline.')).closest('p')?.textContent).toContain(
      'kräver anslutning till servern',
    );
    await fillNewUser();
    fireEvent.click(screen.getByRole('button', { name: 'Skapa användaren' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Du är inte ansluten till nätet',
    );
    expect((screen.getByLabelText('Användarnamn') as HTMLInputElement).value).toBe('ny.person');
  });
});

describe('Anvandare: one user', () => {
  it('changes roles; deactivating asks first and says the sessions end', async () => {
    mocks.update.mockResolvedValue(user({}));
    mocks.deactivate.mockResolvedValue(user({ active: false }));
    renderAt('/anvandare?id=u1');
    await screen.findByRole('heading', { level: 1, name: 'Elin Sandberg' });
    const role = within(await screen.findByRole('group', { name: 'Roll 1' }));
    await waitFor(() =>
      expect((role.getByLabelText('Utförarenhet') as HTMLSelectElement).value).toBe('kontakt'),
    );
    fireEvent.change(role.getByLabelText('Roll'), { target: { value: 'handlaggare' } });
    fireEvent.change(role.getByLabelText('Nämnd'), { target: { value: 'social' } });
    fireEvent.click(screen.getByRole('button', { name: 'Spara ändringarna' }));
    expect(await screen.findByText('Ändringarna är sparade.')).toBeTruthy();
    expect(mocks.update).toHaveBeenCalledWith({
      id: 'u1',
      displayName: 'Elin Sandberg',
      email: '',
      telefon: '',
      roles: [{ role: 'handlaggare', namndId: 'social' }],
    });

    fireEvent.click(screen.getByRole('button', { name: 'Inaktivera…' }));
    const confirm = screen.getByRole('region', { name: 'Inaktivera Elin Sandberg?' });
    expect(confirm.textContent).toContain('loggas ut från alla enheter direkt');
    expect(mocks.deactivate).not.toHaveBeenCalled();
    fireEvent.click(within(confirm).getByRole('button', { name: 'Inaktivera kontot' }));
    expect(
      await screen.findByText(
        'Kontot är inaktiverat. Elin Sandberg är utloggad från alla enheter.',
      ),
    ).toBeTruthy();
    expect(mocks.deactivate).toHaveBeenCalledWith({ id: 'u1' });
  });

  it('resets a password typed twice, and never offers to deactivate oneself', async () => {
    mocks.resetPassword.mockResolvedValue({ ok: true });
    renderAt('/anvandare?id=a1');
    await screen.findByRole('heading', { level: 1, name: 'Anders Wallin' });
    expect(
      screen.getByText('Kontot är aktivt. Du kan inte inaktivera ditt eget konto.'),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Inaktivera…' })).toBeNull();
    type('Lösenord', 'ett-nytt-lösen');
    type('Upprepa lösenordet', 'ett-nytt-lösen');
    fireEvent.click(screen.getByRole('button', { name: 'Sätt nytt lösenord' }));
    expect(await screen.findByText(/Lösenordet är bytt/)).toBeTruthy();
    expect(mocks.resetPassword).toHaveBeenCalledWith({ id: 'a1', password: 'ett-nytt-lösen' });
    expect((screen.getByLabelText('Lösenord') as HTMLInputElement).value).toBe('');
  });

  it('activates a deactivated account', async () => {
    mocks.activate.mockResolvedValue(USERS[1]!);
    mocks.activate.mockResolvedValue({ ...USERS[1]!, active: true });
    renderAt('/anvandare?id=u2');
    fireEvent.click(await screen.findByRole('button', { name: 'Aktivera kontot' }));
    expect(
      await screen.findByText('Kontot är aktiverat. Karin Holm kan logga in igen.'),
    ).toBeTruthy();
  });
});

describe('Anvandare: two-step verification', () => {
  it('shows each user’s factors and switches the requirement for all local accounts', async () => {
    renderAt('/anvandare');
    const table = await screen.findByRole('table');
    expect(within(table).getByRole('columnheader', { name: 'Tvåstegsverifiering' })).toBeTruthy();
    const elin = within(table).getByRole('row', { name: /Elin Sandberg/ });
    expect(within(elin).getByText('App och 2 nycklar')).toBeTruthy();
    const karin = within(table).getByRole('row', { name: /Karin Holm/ });
    expect(within(karin).getByText('Av')).toBeTruthy();

    const toggle = await screen.findByRole('switch', {
      name: 'Kräv tvåstegsverifiering för alla lokala konton',
    });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    // The administrator (Anders) has no factor: the requirement will hold for him too.
    expect(screen.getByText(/^Du har själv ingen tvåstegsverifiering/)).toBeTruthy();
    mocks.setPolicy.mockResolvedValue({ required: true });
    mocks.policy.mockResolvedValue({ required: true, changedAt: '2026-12-07T10:00:00Z' });
    fireEvent.click(toggle);
    expect(
      await screen.findByText('Tvåstegsverifiering krävs nu för alla lokala konton.'),
    ).toBeTruthy();
    expect(mocks.setPolicy).toHaveBeenCalledWith({ required: true });
    await waitFor(() => expect((toggle as HTMLInputElement).checked).toBe(true));
  });

  it('resets a user’s factors after a confirmation, and not one’s own', async () => {
    renderAt('/anvandare?id=u1');
    fireEvent.click(await screen.findByRole('button', { name: 'Återställ tvåstegsverifiering…' }));
    const confirm = await screen.findByRole('heading', {
      name: 'Återställ tvåstegsverifieringen för Elin Sandberg?',
    });
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    expect(mocks.resetMfa).not.toHaveBeenCalled();
    mocks.resetMfa.mockResolvedValue({ ok: true });
    mocks.list.mockResolvedValue([user({}), ...USERS.slice(1)]);
    fireEvent.click(screen.getByRole('button', { name: 'Återställ tvåstegsverifiering' }));
    expect(await screen.findByText(/^Tvåstegsverifieringen är återställd/)).toBeTruthy();
    expect(mocks.resetMfa).toHaveBeenCalledWith({ userId: 'u1' });
    expect(await screen.findByText('Elin Sandberg har ingen tvåstegsverifiering.')).toBeTruthy();

    cleanup();
    mocks.list.mockResolvedValue([
      ...USERS.slice(0, 2),
      user({
        id: 'a1',
        username: 'admin',
        displayName: 'Anders Wallin',
        roles: [],
        mfa: { totp: true, passkeys: 0 },
      }),
    ]);
    renderAt('/anvandare?id=a1');
    expect(
      await screen.findByText('Din egen tvåstegsverifiering ändrar du under Mitt konto.'),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Återställ tvåstegsverifiering/ })).toBeNull();
  });

  it('says the server’s refusal of the switch', async () => {
    mocks.setPolicy.mockRejectedValue(refusal(403, 'Du har inte behörighet.'));
    renderAt('/anvandare');
    fireEvent.click(
      await screen.findByRole('switch', {
        name: 'Kräv tvåstegsverifiering för alla lokala konton',
      }),
    );
    expect((await screen.findByRole('alert')).textContent).toBe('Du har inte behörighet.');
  });
});
