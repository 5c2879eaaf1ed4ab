import 'fake-indexeddb/auto';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthStatus } from '../api/client';
import { ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import type { SyncEngine } from '../sync/engine';
import { SIGN_IN_REFUSALS, SignIn } from './SignIn';
import { signOut } from './session';

/*
 * The sign-in screen with the kommun's identity provider (issue 14): its way first, the password
 * form by it or behind a disclosure, and a refusal's reason from the address.
 */

const mocks = vi.hoisted(() => ({ status: vi.fn(), login: vi.fn(), logout: vi.fn() }));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    auth: {
      status: { query: mocks.status },
      login: { mutate: mocks.login },
      logout: { mutate: mocks.logout },
    },
  },
}));

let db: LocalDb;
let n = 0;

function statusWith(signInMethods: AuthStatus['signInMethods']): AuthStatus {
  return {
    user: null,
    sessionEnded: null,
    idleTimeoutMinutes: 30,
    sessionMaxHours: 12,
    signInMethods,
    mfaEnrolmentRequired: false,
  };
}

beforeEach(async () => {
  db = await openLocalDb(`sign-in-idp-test-${++n}`);
  for (const mock of Object.values(mocks)) mock.mockReset();
});

afterEach(() => {
  cleanup();
  db.close();
  window.history.replaceState(null, '', '/');
});

function renderSignIn() {
  const engine = { signedIn: vi.fn(), refresh: vi.fn() } as unknown as SyncEngine;
  render(
    <ServicesContext.Provider value={{ db, engine }}>
      <SignIn previous={null} ended={null} onSignedIn={vi.fn()} />
    </ServicesContext.Provider>,
  );
}

describe('the sign-in screen with an identity provider', () => {
  it('shows "Logga in med e-legitimation" first, the password form behind a disclosure', async () => {
    mocks.status.mockResolvedValue(statusWith({ oidc: true, saml: false, localPasswords: true }));
    renderSignIn();
    const link = await screen.findByRole('link', { name: 'Logga in med e-legitimation' });
    expect(link.getAttribute('href')).toBe('/api/auth/oidc/login');
    const summary = screen.getByText('Logga in med lösenord');
    expect(summary.tagName).toBe('SUMMARY');
    expect(summary.closest('details')?.open).toBe(false);
    // The link comes before the password form in the page.
    const username = screen.getByLabelText('Användarnamn');
    expect(link.compareDocumentPosition(username) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('says the password form is for break-glass when passwords are off', async () => {
    mocks.status.mockResolvedValue(statusWith({ oidc: false, saml: true, localPasswords: false }));
    renderSignIn();
    const link = await screen.findByRole('link', { name: 'Logga in med e-legitimation' });
    expect(link.getAttribute('href')).toBe('/api/auth/saml/login');
    expect(
      screen.getByText('Logga in med lösenord (nödåtkomst för utsedda administratörer)'),
    ).toBeTruthy();
  });

  it('shows the password form alone without a provider (and when the server cannot be asked)', async () => {
    mocks.status.mockResolvedValue(statusWith({ oidc: false, saml: false, localPasswords: true }));
    renderSignIn();
    await waitFor(() => expect(mocks.status).toHaveBeenCalled());
    expect(screen.queryByRole('link', { name: /e-legitimation/ })).toBeNull();
    expect(screen.queryByText('Logga in med lösenord')).toBeNull();
    expect(screen.getByLabelText('Användarnamn')).toBeTruthy();
    cleanup();
    mocks.status.mockRejectedValue(new TypeError('Failed to fetch'));
    renderSignIn();
    await waitFor(() => expect(mocks.status).toHaveBeenCalledTimes(2));
    expect(screen.getByLabelText('Användarnamn')).toBeTruthy();
  });

  it('says why a sign-in was refused, from the code only, and takes it off the address', async () => {
    mocks.status.mockResolvedValue(statusWith({ oidc: true, saml: false, localPasswords: true }));
    window.history.replaceState(null, '', '/?fel=niva');
    renderSignIn();
    expect((await screen.findByRole('alert')).textContent).toBe(SIGN_IN_REFUSALS.niva);
    expect(window.location.search).toBe('');
    cleanup();
    // A code the app does not know is not echoed.
    window.history.replaceState(null, '', '/?fel=%3Cb%3EDin%20IdP%20s%C3%A4ger%3C%2Fb%3E');
    renderSignIn();
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Inloggningen kunde inte slutföras. Försök igen.',
    );
  });
});

describe('signing out', () => {
  it('goes on to the provider when the server says so, and only to evb’s own API', async () => {
    const assign = vi.fn();
    const original = window.location;
    Object.defineProperty(window, 'location', {
      configurable: true,
      value: { ...original, assign },
    });
    try {
      mocks.logout.mockResolvedValue({ ok: true, providerLogout: '/api/auth/oidc/logout' });
      await signOut(db);
      expect(assign).toHaveBeenCalledWith('/api/auth/oidc/logout');
      assign.mockClear();
      mocks.logout.mockResolvedValue({ ok: true, providerLogout: null });
      await signOut(db);
      mocks.logout.mockResolvedValue({ ok: true, providerLogout: 'https://elak.example/' });
      await signOut(db);
      expect(assign).not.toHaveBeenCalled();
    } finally {
      Object.defineProperty(window, 'location', { configurable: true, value: original });
    }
  });
});
