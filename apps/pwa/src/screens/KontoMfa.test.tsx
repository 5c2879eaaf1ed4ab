import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Me, MeContext } from '../app/context';
import { KontoMfa } from './KontoMfa';
import { describeFactors, groupSecret, recoveryCodesFile } from './mfa-view';

/*
 * Mitt konto's two-step verification: the app for one-time codes by QR code, passkeys, recovery
 * codes shown once, and the enrolment-only mode the app shows when the kommun requires it.
 */

const mocks = vi.hoisted(() => ({
  status: vi.fn(),
  startTotp: vi.fn(),
  confirmTotp: vi.fn(),
  removeTotp: vi.fn(),
  registrationOptions: vi.fn(),
  registerPasskey: vi.fn(),
  removePasskey: vi.fn(),
  regenerate: vi.fn(),
  startRegistration: vi.fn(),
}));

vi.mock('../api/client', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/client')>()),
  api: {
    mfa: {
      status: { query: mocks.status },
      startTotp: { mutate: mocks.startTotp },
      confirmTotp: { mutate: mocks.confirmTotp },
      removeTotp: { mutate: mocks.removeTotp },
      passkeyRegistrationOptions: { mutate: mocks.registrationOptions },
      registerPasskey: { mutate: mocks.registerPasskey },
      removePasskey: { mutate: mocks.removePasskey },
      regenerateRecoveryCodes: { mutate: mocks.regenerate },
    },
  },
}));

vi.mock('@simplewebauthn/browser', () => ({ startRegistration: mocks.startRegistration }));

const ME = { id: 'u1', username: 'utforare', displayName: 'Ulla', roles: [] } as unknown as Me;

const OFF = {
  applies: true,
  totp: false,
  passkeys: [] as { id: string; name: string; createdAt: string; lastUsedAt: string | null }[],
  recoveryCodesLeft: 0,
  required: false,
};

const CODES = Array.from({ length: 10 }, (_, i) => `abcd${i}-efgh${i}`);
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/evb:utforare?secret=${SECRET}&issuer=evb`;

function refusal(httpStatus: number, message: string) {
  return new TRPCClientError(message, {
    result: { error: { message, code: -32600, data: { httpStatus } } },
  } as never);
}

const clipboard = { writeText: vi.fn() };

beforeEach(() => {
  for (const mock of Object.values(mocks)) mock.mockReset();
  clipboard.writeText.mockReset().mockResolvedValue(undefined);
  Object.defineProperty(navigator, 'clipboard', { value: clipboard, configurable: true });
});

afterEach(cleanup);

function renderScreen(props: Parameters<typeof KontoMfa>[0] = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MeContext.Provider value={ME}>
        <KontoMfa {...props} />
      </MeContext.Provider>
    </QueryClientProvider>,
  );
}

const click = (name: string | RegExp) => fireEvent.click(screen.getByRole('button', { name }));

describe('Tvåstegsverifiering in Mitt konto', () => {
  it('is not shown for a session from the identity provider', async () => {
    mocks.status.mockResolvedValue({ ...OFF, applies: false });
    const { container } = renderScreen();
    await waitFor(() => expect(mocks.status).toHaveBeenCalled());
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
    expect(container.textContent).toBe('');
  });

  it('adds the app: a QR code and the secret in fours, a wrong code refused, then the codes shown once', async () => {
    mocks.status.mockResolvedValue(OFF);
    renderScreen();
    expect(await screen.findByText('Avstängd.')).toBeTruthy();
    mocks.startTotp.mockResolvedValue({ uri: URI, secret: SECRET });
    click('Lägg till app för engångskoder');
    const step = await screen.findByRole('heading', { name: 'Lägg in evb i appen' });
    await waitFor(() => expect(document.activeElement).toBe(step));
    const qr = screen.getByRole('img', { name: 'QR-kod att skanna med appen för engångskoder' });
    expect(qr.querySelector('path')?.getAttribute('d')?.length).toBeGreaterThan(500);
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')).toBeTruthy();

    mocks.confirmTotp.mockRejectedValueOnce(
      refusal(400, 'Fel kod. Kontrollera klockan i telefonen och försök igen.'),
    );
    const field = screen.getByLabelText('Kod från appen');
    fireEvent.change(field, { target: { value: '000000' } });
    click('Bekräfta');
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Fel kod. Kontrollera klockan i telefonen och försök igen.',
    );
    expect(field.getAttribute('aria-invalid')).toBe('true');

    mocks.confirmTotp.mockResolvedValueOnce({ recoveryCodes: CODES });
    mocks.status.mockResolvedValue({ ...OFF, totp: true, recoveryCodesLeft: 10 });
    fireEvent.change(field, { target: { value: '123 456' } });
    click('Bekräfta');
    const codesHeading = await screen.findByRole('heading', { name: 'Dina återställningskoder' });
    expect(mocks.confirmTotp).toHaveBeenLastCalledWith({ code: '123456' });
    await waitFor(() => expect(document.activeElement).toBe(codesHeading));
    expect(screen.getByText('Koderna visas bara nu.')).toBeTruthy();
    const list = screen.getByRole('list', { name: 'Återställningskoder' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(CODES);

    click('Kopiera');
    await waitFor(() => expect(clipboard.writeText).toHaveBeenCalledWith(CODES.join('\n')));
    expect(await screen.findByText('Koderna är kopierade.')).toBeTruthy();

    const createObjectURL = vi.fn(() => 'blob:koder');
    const revoke = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL: revoke });
    let downloaded = '';
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      downloaded = this.download;
    });
    click('Ladda ner');
    expect(downloaded).toBe('evb-aterstallningskoder.txt');
    const blob = (createObjectURL.mock.calls[0] as unknown as [Blob])[0];
    expect(await blob.text()).toContain(CODES[9]);
    clicked.mockRestore();

    // Once saved, the codes are gone from the screen for good.
    click('Jag har sparat koderna');
    expect(screen.queryByText(CODES[0] as string)).toBeNull();
    expect(await screen.findByText('Påslagen: app.')).toBeTruthy();
    expect(screen.getByText(/Du har 10 oanvända koder kvar/)).toBeTruthy();
  });

  it('adds a passkey by name through the browser', async () => {
    mocks.status.mockResolvedValue({ ...OFF, totp: true, recoveryCodesLeft: 8 });
    renderScreen();
    await screen.findByText('Påslagen: app.');
    click('Lägg till nyckel');
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Ge nyckeln ett namn, till exempel Jobbdatorn.',
    );
    expect(mocks.registrationOptions).not.toHaveBeenCalled();

    const options = { challenge: 'xyz', rp: { id: 'localhost', name: 'evb' } };
    const response = { id: 'cred', rawId: 'cred', type: 'public-key', response: {} };
    mocks.registrationOptions.mockResolvedValue(options);
    mocks.startRegistration.mockResolvedValue(response);
    // A second factor: no new recovery codes.
    mocks.registerPasskey.mockResolvedValue({ recoveryCodes: null });
    mocks.status.mockResolvedValue({
      ...OFF,
      totp: true,
      recoveryCodesLeft: 8,
      passkeys: [
        { id: 'k1', name: 'Jobbdatorn', createdAt: '2026-12-01T08:00:00Z', lastUsedAt: null },
      ],
    });
    fireEvent.change(screen.getByLabelText('Namn på nyckeln'), {
      target: { value: ' Jobbdatorn ' },
    });
    click('Lägg till nyckel');
    expect(await screen.findByText('Nyckeln ”Jobbdatorn” är tillagd.')).toBeTruthy();
    expect(mocks.startRegistration).toHaveBeenCalledWith({ optionsJSON: options });
    expect(mocks.registerPasskey).toHaveBeenCalledWith({ name: 'Jobbdatorn', response });
    expect(await screen.findByText('Påslagen: app och 1 nyckel.')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Dina återställningskoder' })).toBeNull();
  });

  it('removing a passkey asks for the password and says a wrong one', async () => {
    mocks.status.mockResolvedValue({
      ...OFF,
      recoveryCodesLeft: 10,
      passkeys: [
        {
          id: 'k1',
          name: 'Jobbdatorn',
          createdAt: '2026-12-01T08:00:00Z',
          lastUsedAt: '2026-12-02T08:00:00Z',
        },
      ],
    });
    renderScreen();
    fireEvent.click(await screen.findByRole('button', { name: 'Ta bort nyckeln Jobbdatorn' }));
    const title = await screen.findByRole('heading', { name: 'Ta bort nyckeln ”Jobbdatorn”?' });
    await waitFor(() => expect(document.activeElement).toBe(title));
    mocks.removePasskey.mockRejectedValueOnce(refusal(401, 'Fel lösenord.'));
    fireEvent.change(screen.getByLabelText('Ditt lösenord'), { target: { value: 'fel' } });
    click('Ta bort nyckeln');
    expect((await screen.findByRole('alert')).textContent).toBe('Fel lösenord.');
    mocks.removePasskey.mockResolvedValueOnce({ ok: true });
    mocks.status.mockResolvedValue(OFF);
    fireEvent.change(screen.getByLabelText('Ditt lösenord'), { target: { value: 'rätt' } });
    click('Ta bort nyckeln');
    expect(await screen.findByText('Nyckeln ”Jobbdatorn” är borttagen.')).toBeTruthy();
    expect(mocks.removePasskey).toHaveBeenLastCalledWith({ id: 'k1', password: 'rätt' });
    expect(await screen.findByText('Avstängd.')).toBeTruthy();
  });

  it('new recovery codes need the password and are shown once', async () => {
    mocks.status.mockResolvedValue({ ...OFF, totp: true, recoveryCodesLeft: 1 });
    renderScreen();
    expect(await screen.findByText(/Du har 1 oanvänd kod kvar/)).toBeTruthy();
    click('Skapa nya återställningskoder…');
    expect(screen.getByText('De koder du har nu slutar att gälla.')).toBeTruthy();
    click('Skapa nya koder');
    expect((await screen.findByRole('alert')).textContent).toBe('Skriv ditt lösenord.');
    mocks.regenerate.mockResolvedValue({ recoveryCodes: CODES });
    fireEvent.change(screen.getByLabelText('Ditt lösenord'), { target: { value: 'rätt' } });
    click('Skapa nya koder');
    expect(await screen.findByRole('heading', { name: 'Dina återställningskoder' })).toBeTruthy();
    expect(mocks.regenerate).toHaveBeenCalledWith({ password: 'rätt' });
  });

  it('in enrolment mode goes on only once the first factor’s codes are seen', async () => {
    mocks.status.mockResolvedValue({ ...OFF, required: true });
    const onEnrolled = vi.fn();
    renderScreen({ enrolment: true, onEnrolled });
    expect(
      await screen.findByText('Kommunen kräver tvåstegsverifiering för konton med lösenord.'),
    ).toBeTruthy();
    mocks.startTotp.mockResolvedValue({ uri: URI, secret: SECRET });
    click('Lägg till app för engångskoder');
    mocks.confirmTotp.mockResolvedValue({ recoveryCodes: CODES });
    fireEvent.change(await screen.findByLabelText('Kod från appen'), {
      target: { value: '123456' },
    });
    click('Bekräfta');
    await screen.findByRole('heading', { name: 'Dina återställningskoder' });
    expect(onEnrolled).not.toHaveBeenCalled();
    click('Jag har sparat koderna – fortsätt');
    expect(onEnrolled).toHaveBeenCalledOnce();
  });
});

describe('the words of two-step verification', () => {
  it('describes a user’s factors as the user list shows them', () => {
    expect(describeFactors({ totp: true, passkeys: 0 })).toBe('App');
    expect(describeFactors({ totp: false, passkeys: 2 })).toBe('2 nycklar');
    expect(describeFactors({ totp: true, passkeys: 1 })).toBe('App och 1 nyckel');
    expect(describeFactors({ totp: false, passkeys: 0 })).toBe('Av');
  });

  it('groups the secret in fours and writes the codes file', () => {
    expect(groupSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
    const file = recoveryCodesFile('utforare', ['a-b', 'c-d'], new Date('2026-12-07T12:00:00Z'));
    expect(file).toContain('användare utforare, skapade 2026-12-07');
    expect(file.split('\r\n')).toContain('c-d');
  });
});
