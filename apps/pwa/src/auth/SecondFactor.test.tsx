import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthStatus } from '../api/client';
import { type Me, ServicesContext } from '../app/context';
import { type LocalDb, openLocalDb } from '../local/db';
import type { SyncEngine } from '../sync/engine';
import { recoveryCodeProblem, totpCodeProblem } from './SecondFactor';
import { SignIn } from './SignIn';
import { loadSession } from './session';

/*
 * The second step of a password sign-in (MFA for local accounts): after a right password for a
 * user with a second factor, the screen asks for a passkey, a code from the app or a recovery code,
 * and only then is the user signed in.
 */

const mocks = vi.hoisted(() => ({
  status: vi.fn(),
  login: vi.fn(),
  logout: vi.fn(),
  verifyTotp: vi.fn(),
  verifyRecoveryCode: vi.fn(),
  passkeyOptions: vi.fn(),
  verifyPasskey: vi.fn(),
  startAuthentication: vi.fn(),
}));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    auth: {
      status: { query: mocks.status },
      login: { mutate: mocks.login },
      logout: { mutate: mocks.logout },
      verifyTotp: { mutate: mocks.verifyTotp },
      verifyRecoveryCode: { mutate: mocks.verifyRecoveryCode },
      passkeyOptions: { mutate: mocks.passkeyOptions },
      verifyPasskey: { mutate: mocks.verifyPasskey },
    },
  },
}));

vi.mock('@simplewebauthn/browser', () => ({ startAuthentication: mocks.startAuthentication }));

const ULLA = { id: 'u1', username: 'utforare', displayName: 'Ulla', roles: [] } as unknown as Me;

const status = (over: Partial<AuthStatus> & { mfaEnrolmentRequired?: boolean }): AuthStatus =>
  ({
    user: null,
    sessionEnded: null,
    idleTimeoutMinutes: 30,
    sessionMaxHours: 12,
    signInMethods: { oidc: false, saml: false, localPasswords: true },
    mfaEnrolmentRequired: false,
    ...over,
  }) as AuthStatus;

function refusal(
  httpStatus: number,
  message: string,
  issues?: { path: string; message: string }[],
) {
  return new TRPCClientError(message, {
    result: { error: { message, code: -32001, data: { httpStatus, issues } } },
  } as never);
}

let db: LocalDb;
let n = 0;

beforeEach(async () => {
  db = await openLocalDb(`second-factor-test-${++n}`);
  for (const mock of Object.values(mocks)) mock.mockReset();
});

afterEach(() => {
  cleanup();
  db.close();
});

function renderSignIn() {
  const signedIn = vi.fn();
  const onSignedIn = vi.fn();
  const engine = { signedIn, refresh: vi.fn() } as unknown as SyncEngine;
  render(
    <ServicesContext.Provider value={{ db, engine }}>
      <SignIn previous={null} ended={null} onSignedIn={onSignedIn} />
    </ServicesContext.Provider>,
  );
  return { signedIn, onSignedIn };
}

/** Types the password and submits; the server answers that a second step is needed. */
async function passwordStep(methods: string[]) {
  mocks.status.mockResolvedValue(status({}));
  mocks.login.mockResolvedValue({ secondFactor: { methods } });
  const result = renderSignIn();
  fireEvent.change(screen.getByLabelText('Användarnamn'), { target: { value: 'utforare' } });
  fireEvent.change(screen.getByLabelText('Lösenord'), { target: { value: 'rätt-lösenord' } });
  fireEvent.click(screen.getByRole('button', { name: 'Logga in' }));
  const heading = await screen.findByRole('heading', { name: 'Bekräfta inloggningen' });
  await waitFor(() => expect(document.activeElement).toBe(heading));
  // Now the server has a session for Ulla.
  mocks.status.mockResolvedValue(status({ user: ULLA as AuthStatus['user'] }));
  return result;
}

describe('the second step of a password sign-in', () => {
  it('asks for the code from the app, says a wrong one in Swedish, signs in with the right one', async () => {
    const { signedIn, onSignedIn } = await passwordStep(['totp', 'recovery']);
    expect(screen.queryByLabelText('Lösenord')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Använd nyckel' })).toBeNull();
    const field = screen.getByLabelText('Kod från appen') as HTMLInputElement;
    expect(field.inputMode).toBe('numeric');
    expect(field.autocomplete).toBe('one-time-code');

    // Checked before anything is sent.
    fireEvent.change(field, { target: { value: '12345' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logga in med koden' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Koden är sex siffror. Skriv den som den står i appen.',
    );
    expect(mocks.verifyTotp).not.toHaveBeenCalled();

    mocks.verifyTotp.mockRejectedValueOnce(refusal(401, 'Fel kod.'));
    fireEvent.change(field, { target: { value: '123 456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logga in med koden' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Fel kod.'));
    expect(mocks.verifyTotp).toHaveBeenLastCalledWith({ code: '123456' });
    expect(onSignedIn).not.toHaveBeenCalled();

    mocks.verifyTotp.mockResolvedValueOnce({ id: 'u1', username: 'utforare', displayName: 'Ulla' });
    fireEvent.change(field, { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logga in med koden' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(onSignedIn.mock.calls[0]?.[0]).toMatchObject({ id: 'u1' });
    expect(onSignedIn.mock.calls[0]?.[1]).toEqual({ mfaEnrolment: false });
    expect(signedIn).toHaveBeenCalledWith('u1');
  });

  it('signs in with a passkey through the browser', async () => {
    const { onSignedIn } = await passwordStep(['passkey', 'totp']);
    const options = { challenge: 'abc', rpId: 'localhost', allowCredentials: [] };
    const response = { id: 'cred', rawId: 'cred', type: 'public-key', response: {} };
    mocks.passkeyOptions.mockResolvedValue(options);
    mocks.startAuthentication.mockResolvedValue(response);
    mocks.verifyPasskey.mockResolvedValue({ id: 'u1' });
    fireEvent.click(screen.getByRole('button', { name: 'Använd nyckel' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(mocks.startAuthentication).toHaveBeenCalledWith({ optionsJSON: options });
    expect(mocks.verifyPasskey).toHaveBeenCalledWith({ response });
  });

  it('says in Swedish when the browser’s passkey prompt was cancelled, and nothing is sent', async () => {
    const { onSignedIn } = await passwordStep(['passkey']);
    mocks.passkeyOptions.mockResolvedValue({ challenge: 'abc' });
    mocks.startAuthentication.mockRejectedValue(
      Object.assign(new Error('The operation either timed out or was not allowed.'), {
        name: 'NotAllowedError',
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Använd nyckel' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Nyckeln användes inte/);
    expect(mocks.verifyPasskey).not.toHaveBeenCalled();
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('takes a recovery code and tells how many are left before going on', async () => {
    const { onSignedIn } = await passwordStep(['totp', 'recovery']);
    fireEvent.click(screen.getByRole('button', { name: 'Använd en återställningskod' }));
    const field = screen.getByLabelText('Återställningskod');
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(screen.queryByLabelText('Kod från appen')).toBeNull();
    // The server's refusal of the input: the sentence without the field's name.
    mocks.verifyRecoveryCode.mockRejectedValueOnce(
      refusal(400, 'code: Återställningskoden är för lång.', [
        { path: 'code', message: 'Återställningskoden är för lång.' },
      ]),
    );
    fireEvent.change(field, { target: { value: 'ABCDE-12345' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logga in med återställningskoden' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Återställningskoden är för lång.');
    mocks.verifyRecoveryCode.mockResolvedValue({ id: 'u1', recoveryCodesLeft: 2 });
    fireEvent.change(field, { target: { value: 'ABCDE-12345' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logga in med återställningskoden' }));
    expect((await screen.findByRole('status')).textContent).toBe(
      'Återställningskoden är förbrukad. Du har 2 återställningskoder kvar. Skapa gärna nya under Mitt konto, Tvåstegsverifiering.',
    );
    expect(mocks.verifyRecoveryCode).toHaveBeenCalledWith({ code: 'ABCDE-12345' });
    expect(onSignedIn).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Fortsätt' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
  });

  it('"Avbryt" goes back to the password step; an expired step does so with the reason', async () => {
    await passwordStep(['totp']);
    fireEvent.click(screen.getByRole('button', { name: 'Avbryt' }));
    expect(screen.getByLabelText('Lösenord')).toBeTruthy();
    expect((screen.getByLabelText('Lösenord') as HTMLInputElement).value).toBe('');
    expect(screen.queryByRole('alert')).toBeNull();

    mocks.status.mockResolvedValue(status({}));
    fireEvent.change(screen.getByLabelText('Lösenord'), { target: { value: 'rätt-lösenord' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logga in' }));
    await screen.findByRole('heading', { name: 'Bekräfta inloggningen' });
    mocks.verifyTotp.mockRejectedValue(refusal(401, 'Inloggningen har gått ut. Logga in igen.'));
    fireEvent.change(screen.getByLabelText('Kod från appen'), { target: { value: '111111' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logga in med koden' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Inloggningen har gått ut. Logga in igen.',
    );
    expect(screen.getByLabelText('Lösenord')).toBeTruthy();
  });

  it('an enrolment-only session does not start the sync and says so to the app', async () => {
    mocks.status.mockResolvedValue(status({}));
    mocks.login.mockResolvedValue({ id: 'u1', username: 'utforare', displayName: 'Ulla' });
    const { signedIn, onSignedIn } = renderSignIn();
    mocks.status.mockResolvedValue(
      status({ user: ULLA as AuthStatus['user'], mfaEnrolmentRequired: true }),
    );
    fireEvent.change(screen.getByLabelText('Användarnamn'), { target: { value: 'utforare' } });
    fireEvent.change(screen.getByLabelText('Lösenord'), { target: { value: 'rätt-lösenord' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logga in' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(onSignedIn.mock.calls[0]?.[1]).toEqual({ mfaEnrolment: true });
    expect(signedIn).not.toHaveBeenCalled();
    expect(await loadSession(db)).toMatchObject({ state: 'signed-in', mfaEnrolment: true });
  });
});

describe('what the fields accept', () => {
  it('a code from the app: six digits, spaces allowed', () => {
    expect(totpCodeProblem('123 456')).toBeNull();
    expect(totpCodeProblem('')).toBe('Skriv koden från appen.');
    expect(totpCodeProblem('12345a')).not.toBeNull();
    expect(totpCodeProblem('1234567')).not.toBeNull();
  });

  it('a recovery code: ten letters or digits, hyphen or space and case optional', () => {
    expect(recoveryCodeProblem('abcde-12345')).toBeNull();
    expect(recoveryCodeProblem('ABCDE 12345')).toBeNull();
    expect(recoveryCodeProblem('abcde12345')).toBeNull();
    expect(recoveryCodeProblem('abcde-1234')).not.toBeNull();
    expect(recoveryCodeProblem('')).toBe('Skriv en av dina återställningskoder.');
  });
});
