import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { browserFor, movableClock, TEST_ORIGIN } from '../testing/browser-client';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { useTestDatabase } from '../testing/harness';
import { SoftwareAuthenticator, type Tampering } from '../testing/webauthn-authenticator';

/*
 * Passkeys, verified by @simplewebauthn/server against a software authenticator that answers as
 * a real one does: registration in Mitt konto and the second step of a sign-in, and every way an
 * answer can be wrong (origin, RP id, challenge, a challenge answered twice, an unknown key, a
 * signature counter gone back).
 */

const database = useTestDatabase();

function setUp() {
  const clock = movableClock('2026-11-22T10:00:00Z');
  const app = createApp({ database, pwaRoot: '/nonexistent', clock });
  const browser = browserFor(app);
  const login = () =>
    browser.mutate('auth.login', { username: 'handlaggare1', password: FIXTURE_PASSWORD });
  const registrationOptions = async () =>
    (await browser.mutate<PublicKeyCredentialCreationOptionsJSON>('mfa.passkeyRegistrationOptions'))
      .data;
  async function register(authenticator: SoftwareAuthenticator, tamper: Tampering = {}) {
    const options = await registrationOptions();
    return browser.mutate<{ recoveryCodes: string[] | null }>('mfa.registerPasskey', {
      name: 'Min telefon',
      response: authenticator.register(options, tamper),
    });
  }
  /** A new sign-in's second step with the authenticator; the throttle cleared first. */
  async function signIn(authenticator: SoftwareAuthenticator, tamper: Tampering = {}) {
    await database.db.deleteFrom('loginThrottle').execute();
    await browser.mutate('auth.logout');
    await login();
    const options =
      await browser.mutate<PublicKeyCredentialRequestOptionsJSON>('auth.passkeyOptions');
    return browser.mutate('auth.verifyPasskey', {
      response: authenticator.authenticate(options.data, tamper),
    });
  }
  return { clock, app, browser, login, registrationOptions, register, signIn };
}

async function storedPasskeys() {
  return database.db.selectFrom('mfaPasskey').select(['id', 'counter', 'lastUsedAt']).execute();
}

describe('passkeys', () => {
  it('registers a passkey and signs in with it; the counter is kept', async () => {
    const { browser, login, registrationOptions, register, signIn, clock } = setUp();
    await login();
    const key = new SoftwareAuthenticator(TEST_ORIGIN);
    const options = await registrationOptions();
    expect(options.rp).toEqual({ name: 'evb', id: 'evb.test' });
    expect(options.authenticatorSelection?.userVerification).toBe('preferred');
    expect(options.excludeCredentials).toEqual([]);
    const registered = await register(key);
    expect(registered.status).toBe(200);
    expect(registered.data.recoveryCodes).toHaveLength(10);
    const status = await browser.query<{ passkeys: unknown[] }>('mfa.status');
    expect(status.data.passkeys).toEqual([
      { id: key.id, name: 'Min telefon', createdAt: clock.now().toISOString(), lastUsedAt: null },
    ]);
    expect((await registrationOptions()).excludeCredentials).toEqual([
      { id: key.id, type: 'public-key', transports: ['internal'] },
    ]);

    await browser.mutate('auth.logout');
    const first = await login();
    expect(first.data).toEqual({ secondFactor: { methods: ['passkey', 'recovery'] } });
    const options2 =
      await browser.mutate<PublicKeyCredentialRequestOptionsJSON>('auth.passkeyOptions');
    expect(options2.data.rpId).toBe('evb.test');
    expect(options2.data.allowCredentials?.map((c) => c.id)).toEqual([key.id]);
    const signedIn = await browser.mutate('auth.verifyPasskey', {
      response: key.authenticate(options2.data),
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.data).toMatchObject({ id: 'handlaggare1' });
    expect(browser.jar.has('evb_session')).toBe(true);
    expect(await storedPasskeys()).toEqual([{ id: key.id, counter: 1, lastUsedAt: clock.now() }]);
    const audit = await database.db
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'inloggning')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ metod: 'password', faktor: 'passkey' });

    // A second sign-in raises the counter again; one whose counter went back is refused.
    expect((await signIn(key)).status).toBe(200);
    expect((await storedPasskeys())[0]?.counter).toBe(2);
    key.signCount = 0;
    const cloned = await signIn(key);
    expect(cloned.status).toBe(401);
    expect(cloned.error?.message).toBe('Nyckeln kunde inte bekräftas.');
  });

  it('refuses a registration from another origin, for another RP id, challenge, or twice', async () => {
    const { browser, login, registrationOptions, register } = setUp();
    await login();
    const key = new SoftwareAuthenticator(TEST_ORIGIN);
    const refusals = [
      await register(key, { origin: 'https://elak.example' }),
      await register(key, { rpId: 'elak.example' }),
      await register(key, { challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(400);
      expect(refused.error?.message).toBe('Nyckeln kunde inte bekräftas. Försök igen.');
    }
    const options = await registrationOptions();
    const response = key.register(options);
    const first = await browser.mutate('mfa.registerPasskey', { name: 'Nyckel', response });
    expect(first.status).toBe(200);
    const replay = await browser.mutate('mfa.registerPasskey', { name: 'Nyckel 2', response });
    expect(replay.status).toBe(400);
    expect(await storedPasskeys()).toHaveLength(1);
  });

  it('refuses a sign-in answer from another origin, RP id or challenge, a replay, an unknown key', async () => {
    const { browser, login, register, signIn } = setUp();
    await login();
    const key = new SoftwareAuthenticator(TEST_ORIGIN);
    expect((await register(key)).status).toBe(200);
    const stranger = new SoftwareAuthenticator(TEST_ORIGIN);
    const refusals = [
      await signIn(key, { origin: 'https://elak.example' }),
      await signIn(key, { rpId: 'elak.example' }),
      await signIn(key, { challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      await signIn(stranger),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(401);
      expect(refused.error?.message).toBe('Nyckeln kunde inte bekräftas.');
    }
    expect(browser.jar.has('evb_session')).toBe(false);

    // A right answer is used once: sent again in a new sign-in, its challenge is not the new one.
    await database.db.deleteFrom('loginThrottle').execute();
    await login();
    const options =
      await browser.mutate<PublicKeyCredentialRequestOptionsJSON>('auth.passkeyOptions');
    const response = key.authenticate(options.data);
    expect((await browser.mutate('auth.verifyPasskey', { response })).status).toBe(200);
    await browser.mutate('auth.logout');
    await login();
    await browser.mutate('auth.passkeyOptions');
    const replay = await browser.mutate('auth.verifyPasskey', { response });
    expect(replay.status).toBe(401);
    const failures = await database.db
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'inloggning_misslyckad')
      .execute();
    expect(failures.map((f) => (f.details as { faktor: string }).faktor)).toEqual([
      'passkey',
      'passkey',
      'passkey',
      'passkey',
      'passkey',
    ]);
  });

  it('removes a passkey with the password', async () => {
    const { browser, login, register } = setUp();
    await login();
    const key = new SoftwareAuthenticator(TEST_ORIGIN);
    const other = new SoftwareAuthenticator(TEST_ORIGIN);
    await register(key);
    expect((await register(other)).data.recoveryCodes).toBeNull();
    const wrong = await browser.mutate('mfa.removePasskey', { id: key.id, password: 'fel' });
    expect(wrong.error?.message).toBe('Fel lösenord.');
    const removed = await browser.mutate('mfa.removePasskey', {
      id: key.id,
      password: FIXTURE_PASSWORD,
    });
    expect(removed.data).toEqual({ ok: true });
    const status = await browser.query<{ passkeys: { id: string }[]; recoveryCodesLeft: number }>(
      'mfa.status',
    );
    expect(status.data.passkeys.map((p) => p.id)).toEqual([other.id]);
    expect(status.data.recoveryCodesLeft).toBe(10);
    const unknown = await browser.mutate('mfa.removePasskey', {
      id: key.id,
      password: FIXTURE_PASSWORD,
    });
    expect(unknown.status).toBe(404);
  });

  it('refuses an oversize registration answer in Swedish', async () => {
    const { browser, login } = setUp();
    await login();
    const answer = await browser.mutate('mfa.registerPasskey', {
      name: 'Nyckel',
      response: {
        id: 'abc',
        rawId: 'abc',
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: 'a', attestationObject: 'a'.repeat(16_385) },
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.error?.message).toBe(
      'response.response.attestationObject: Svaret från nyckeln är för långt.',
    );
    const longName = await browser.mutate('mfa.registerPasskey', {
      name: 'x'.repeat(61),
      response: {
        id: 'a',
        rawId: 'a',
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: 'a', attestationObject: 'a' },
      },
    });
    expect(longName.error?.message).toBe('name: Namnet får vara högst 60 tecken');
  });
});
