import 'fake-indexeddb/auto';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext, ServicesContext } from '../app/context';
import { getMeta, type LocalDb, openLocalDb, setMeta } from '../local/db';
import type { SyncEngine } from '../sync/engine';
import { MfaEnrolmentOnly } from './MfaEnrolmentOnly';

/*
 * The app of an enrolment-only session (the kommun requires two-step verification and the user
 * has none): why, adding a factor, signing out — nothing else.
 */

const mocks = vi.hoisted(() => ({
  status: vi.fn(),
  startTotp: vi.fn(),
  confirmTotp: vi.fn(),
  logout: vi.fn(),
}));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    auth: { logout: { mutate: mocks.logout } },
    mfa: {
      status: { query: mocks.status },
      startTotp: { mutate: mocks.startTotp },
      confirmTotp: { mutate: mocks.confirmTotp },
    },
  },
}));

const ME = { id: 'u1', username: 'utforare', displayName: 'Ulla', roles: [] } as unknown as Me;

let db: LocalDb;
let n = 0;

beforeEach(async () => {
  db = await openLocalDb(`mfa-enrolment-test-${++n}`);
  for (const mock of Object.values(mocks)) mock.mockReset();
  mocks.status.mockResolvedValue({
    applies: true,
    totp: false,
    passkeys: [],
    recoveryCodesLeft: 0,
    required: true,
  });
});

afterEach(() => {
  cleanup();
  db.close();
});

function renderView() {
  const onEnrolled = vi.fn();
  const onSignedOut = vi.fn();
  const engine = {} as SyncEngine;
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ServicesContext.Provider value={{ db, engine }}>
        <MeContext.Provider value={ME}>
          <MfaEnrolmentOnly me={ME} onEnrolled={onEnrolled} onSignedOut={onSignedOut} />
        </MeContext.Provider>
      </ServicesContext.Provider>
    </QueryClientProvider>,
  );
  return { onEnrolled, onSignedOut };
}

describe('the enrolment-only view', () => {
  it('says why, shows no menu, and goes on once a factor is added and its codes seen', async () => {
    const { onEnrolled } = renderView();
    const heading = screen.getByRole('heading', { level: 1, name: 'Slå på tvåstegsverifiering' });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByText(/Kommunen kräver att alla som loggar in med lösenord/)).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Huvudmeny' })).toBeNull();
    mocks.startTotp.mockResolvedValue({
      uri: 'otpauth://totp/evb:utforare?secret=AAAA',
      secret: 'AAAA',
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Lägg till app för engångskoder' }));
    mocks.confirmTotp.mockResolvedValue({ recoveryCodes: ['aaaaa-bbbbb'] });
    fireEvent.change(await screen.findByLabelText('Kod från appen'), {
      target: { value: '123456' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Bekräfta' }));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Jag har sparat koderna – fortsätt' }),
    );
    expect(onEnrolled).toHaveBeenCalledOnce();
  });

  it('signs out, clearing the device', async () => {
    await setMeta(db, 'me', ME);
    mocks.logout.mockResolvedValue({ ok: true, providerLogout: null });
    const { onSignedOut } = renderView();
    fireEvent.click(screen.getByRole('button', { name: 'Logga ut' }));
    await waitFor(() => expect(onSignedOut).toHaveBeenCalled());
    expect(mocks.logout).toHaveBeenCalled();
    expect(await getMeta(db, 'me')).toBeUndefined();
  });
});
