import 'fake-indexeddb/auto';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import { listDrafts } from '../local/drafts';
import type { SyncEngine } from '../sync/engine';
import { Konto } from './Konto';
import { ORG } from './role-grants.fixtures';

const mocks = vi.hoisted(() => ({ overview: vi.fn(), change: vi.fn(), mfaStatus: vi.fn() }));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    org: { overview: { query: mocks.overview } },
    users: { changeOwnPassword: { mutate: mocks.change } },
    mfa: { status: { query: mocks.mfaStatus } },
  },
}));

const ME = {
  id: 'h1',
  username: 'huvudrapportor',
  displayName: 'Magnus Ek',
  roles: [
    { role: 'huvudrapportor', namndId: 'vard', verksamhetsomrade: null, enhetId: null },
    { role: 'huvudrapportor', namndId: 'social', verksamhetsomrade: 'SOL_IFO', enhetId: null },
  ],
} as unknown as Me;

let db: LocalDb;
let dbCount = 0;

beforeEach(async () => {
  db = await openLocalDb(`konto-test-${++dbCount}`);
  mocks.overview.mockReset().mockResolvedValue(ORG);
  mocks.change.mockReset();
  mocks.mfaStatus.mockReset().mockResolvedValue({
    applies: true,
    totp: false,
    passkeys: [],
    recoveryCodesLeft: 0,
    required: false,
  });
});

afterEach(() => {
  cleanup();
  db.close();
});

function renderScreen() {
  const state = { online: true };
  const engine = { subscribe: () => () => {}, getState: () => state } as unknown as SyncEngine;
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ServicesContext.Provider value={{ db, engine }}>
        <MeContext.Provider value={ME}>
          <Konto />
        </MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
}

const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('Konto', () => {
  it('has the two-step verification section for a password session', async () => {
    renderScreen();
    expect(await screen.findByRole('heading', { name: 'Tvåstegsverifiering' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Lägg till app för engångskoder' })).toBeTruthy();
  });

  it('shows who is signed in and their roles in Swedish', async () => {
    renderScreen();
    expect(screen.getByRole('heading', { level: 1, name: 'Mitt konto' })).toBeTruthy();
    expect(screen.getByText('Magnus Ek')).toBeTruthy();
    expect(screen.getByText('huvudrapportor')).toBeTruthy();
    expect(
      await screen.findByText('Huvudrapportör – Vård- och omsorgsnämnden, alla verksamhetsområden'),
    ).toBeTruthy();
    expect(screen.getByText('Huvudrapportör – Socialnämnden, SoL IFO')).toBeTruthy();
  });

  it('asks for the current password and the new one twice, in Swedish', async () => {
    renderScreen();
    fireEvent.click(screen.getByRole('button', { name: 'Byt lösenord' }));
    expect(await screen.findByText('Ange ditt nuvarande lösenord')).toBeTruthy();
    expect(screen.getByText('Ange ett nytt lösenord')).toBeTruthy();
    type('Nuvarande lösenord', 'gammalt');
    type('Nytt lösenord', 'ett-nytt-lösenord');
    type('Upprepa det nya lösenordet', 'ett-nytt-lösenorD');
    fireEvent.click(screen.getByRole('button', { name: 'Byt lösenord' }));
    const repeat = screen.getByLabelText('Upprepa det nya lösenordet');
    expect(
      await screen.findByText('Lösenorden är inte lika. Skriv samma nya lösenord två gånger.'),
    ).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(repeat));
    expect(mocks.change).not.toHaveBeenCalled();
  });

  it('states the password rule before typing and shows every problem at once', async () => {
    renderScreen();
    const fresh = screen.getByLabelText('Nytt lösenord');
    const hint = document.getElementById(fresh.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toMatch(/^Minst 10 och högst 200 tecken\./);
    type('Nytt lösenord', 'kort');
    type('Upprepa det nya lösenordet', 'annat');
    fireEvent.click(screen.getByRole('button', { name: 'Byt lösenord' }));
    expect(await screen.findByText('Ange ditt nuvarande lösenord')).toBeTruthy();
    expect(screen.getByText('Lösenordet måste ha minst 10 tecken')).toBeTruthy();
    expect(
      screen.getByText('Lösenorden är inte lika. Skriv samma nya lösenord två gånger.'),
    ).toBeTruthy();
    expect(fresh.getAttribute('aria-describedby')?.split(' ')).toHaveLength(2);
    expect(mocks.change).not.toHaveBeenCalled();
  });

  it('shows a wrong current password beside its field, then changes it; nothing is stored', async () => {
    mocks.change
      .mockRejectedValueOnce(
        new TRPCClientError('currentPassword: Nuvarande lösenord stämmer inte', {
          result: {
            error: {
              message: 'currentPassword: Nuvarande lösenord stämmer inte',
              code: -32600,
              data: {
                httpStatus: 400,
                issues: [{ path: 'currentPassword', message: 'Nuvarande lösenord stämmer inte' }],
              },
            },
          },
        } as never),
      )
      .mockResolvedValueOnce({ ok: true });
    renderScreen();
    type('Nuvarande lösenord', 'fel');
    type('Nytt lösenord', 'ett-nytt-lösenord');
    type('Upprepa det nya lösenordet', 'ett-nytt-lösenord');
    fireEvent.click(screen.getByRole('button', { name: 'Byt lösenord' }));
    expect(await screen.findByText('Nuvarande lösenord stämmer inte')).toBeTruthy();
    expect(screen.getByLabelText('Nuvarande lösenord').getAttribute('aria-invalid')).toBe('true');

    type('Nuvarande lösenord', 'rätt');
    fireEvent.click(screen.getByRole('button', { name: 'Byt lösenord' }));
    expect(await screen.findByText(/Lösenordet är bytt/)).toBeTruthy();
    expect(mocks.change).toHaveBeenLastCalledWith({
      currentPassword: 'rätt',
      newPassword: 'ett-nytt-lösenord',
    });
    expect((screen.getByLabelText('Nytt lösenord') as HTMLInputElement).value).toBe('');
    expect(await listDrafts(db)).toEqual([]);
  });
});
