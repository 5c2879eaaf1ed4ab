import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createSignInLimiter } from '../auth/client-limit';
import { totpCode, totpStep } from '../auth/mfa/totp';
import { createSession, sessionCookie } from '../auth/sessions';
import { LOCK_AFTER } from '../auth/throttle';
import { appRouter } from '../router';
import { browserFor, movableClock } from '../testing/browser-client';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { callerFor, useTestDatabase } from '../testing/harness';
import { createContext } from '../trpc/context';
import { createCallerFactory } from '../trpc/init';

/*
 * MFA for local accounts over HTTP, as the PWA uses it: TOTP enrolment and sign-in, recovery
 * codes, the shared throttle, the administrator's requirement and reset, and hostile input.
 */

const database = useTestDatabase();

type SignedIn = { id: string; username: string; displayName: string };
type SecondFactor = { secondFactor: { methods: string[] } };

function setUp(user = 'handlaggare1') {
  const clock = movableClock('2026-11-22T10:00:00Z');
  const app = createApp({ database, pwaRoot: '/nonexistent', clock });
  const browser = browserFor(app);
  const login = () =>
    browser.mutate<SignedIn | SecondFactor>('auth.login', {
      username: user,
      password: FIXTURE_PASSWORD,
    });
  const codeNow = (secret: string) => totpCode(secret, totpStep(clock.now()));
  /** Signs in with the password alone, starts and confirms a TOTP key; the key and codes. */
  async function enrolTotp() {
    const start = await browser.mutate<{ uri: string; secret: string }>('mfa.startTotp');
    expect(start.status).toBe(200);
    const confirmed = await browser.mutate<{ recoveryCodes: string[] | null }>('mfa.confirmTotp', {
      code: codeNow(start.data.secret),
    });
    expect(confirmed.status).toBe(200);
    // The code that confirmed is used: the next sign-in waits for the next step.
    clock.advance(30_000);
    return { secret: start.data.secret, recoveryCodes: confirmed.data.recoveryCodes };
  }
  return { clock, app, browser, login, codeNow, enrolTotp };
}

async function auditRows(action: string) {
  return database.db
    .selectFrom('auditLog')
    .select(['userId', 'subjectId', 'details'])
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

describe('TOTP', () => {
  it('enrols an app: a wrong code is refused, a right one gives ten recovery codes once', async () => {
    const { browser, login, codeNow, clock } = setUp();
    expect((await login()).data).toMatchObject({ id: 'handlaggare1' });
    const start = await browser.mutate<{ uri: string; secret: string }>('mfa.startTotp');
    expect(start.data.uri).toMatch(
      new RegExp(`^otpauth://totp/evb:handlaggare1\\?.*secret=${start.data.secret}`),
    );
    expect(start.data.uri).toContain('issuer=evb');
    expect(start.data.secret).toMatch(/^[A-Z2-7]{32}$/);
    const wrong = await browser.mutate('mfa.confirmTotp', { code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.error?.message).toBe('Fel kod. Kontrollera klockan i telefonen och försök igen.');
    const right = await browser.mutate<{ recoveryCodes: string[] }>('mfa.confirmTotp', {
      code: codeNow(start.data.secret),
    });
    expect(right.data.recoveryCodes).toHaveLength(10);
    for (const code of right.data.recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(new Set(right.data.recoveryCodes).size).toBe(10);
    const status = await browser.query('mfa.status');
    expect(status.data).toEqual({
      applies: true,
      totp: true,
      passkeys: [],
      recoveryCodesLeft: 10,
      required: false,
    });
    // A new key replacing the first is no first factor: no codes this time.
    clock.advance(30_000);
    const again = await browser.mutate<{ secret: string }>('mfa.startTotp');
    const replaced = await browser.mutate('mfa.confirmTotp', { code: codeNow(again.data.secret) });
    expect(replaced.data).toEqual({ recoveryCodes: null });
    expect(await auditRows('mfa_tillagd')).toEqual([
      {
        userId: 'handlaggare1',
        subjectId: 'handlaggare1',
        details: { faktor: 'totp', återställningskoder: true },
      },
      {
        userId: 'handlaggare1',
        subjectId: 'handlaggare1',
        details: { faktor: 'totp', återställningskoder: false },
      },
    ]);
    // The codes are kept only as hashes.
    const stored = await database.db.selectFrom('mfaRecoveryCode').select('codeHash').execute();
    expect(stored).toHaveLength(10);
    for (const code of right.data.recoveryCodes) {
      expect(JSON.stringify(stored)).not.toContain(code.replace('-', ''));
    }
  });

  it('signs in with the password and then a code: no session before the code, a code once', async () => {
    const { browser, login, codeNow, enrolTotp, app } = setUp();
    await login();
    const { secret } = await enrolTotp();
    await browser.mutate('auth.logout');

    const first = await login();
    expect(first.data).toEqual({ secondFactor: { methods: ['totp', 'recovery'] } });
    const setCookies = first.headers.getSetCookie();
    expect(setCookies.some((c) => c.startsWith('evb_session='))).toBe(false);
    const mfaCookie = setCookies.find((c) => c.startsWith('evb_mfa=')) ?? '';
    expect(mfaCookie).toMatch(/HttpOnly/);
    expect(mfaCookie).toMatch(/Secure/);
    expect(mfaCookie).toMatch(/SameSite=Lax/);
    expect(mfaCookie).toMatch(/Path=\/api;/);
    expect(mfaCookie).toMatch(/Max-Age=300/);
    expect((await browser.query('auth.me')).data).toBeNull();

    const code = codeNow(secret);
    const signedIn = await browser.mutate('auth.verifyTotp', {
      code: `${code.slice(0, 3)} ${code.slice(3)}`,
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.data).toEqual({
      id: 'handlaggare1',
      username: 'handlaggare1',
      displayName: 'handlaggare1',
    });
    expect(browser.jar.has('evb_session')).toBe(true);
    expect(browser.jar.has('evb_mfa')).toBe(false);
    expect((await browser.query<{ id: string }>('auth.me')).data.id).toBe('handlaggare1');

    // The same code again, in another sign-in within its step: refused.
    const other = browserFor(app);
    await other.mutate('auth.login', { username: 'handlaggare1', password: FIXTURE_PASSWORD });
    const replay = await other.mutate('auth.verifyTotp', { code });
    expect(replay.status).toBe(401);
    expect(replay.error?.message).toBe('Fel kod.');
    expect(other.jar.has('evb_session')).toBe(false);

    const signIns = await auditRows('inloggning');
    expect(signIns.at(-1)).toEqual({
      userId: 'handlaggare1',
      subjectId: 'handlaggare1',
      details: { metod: 'password', faktor: 'totp' },
    });
    const failures = await auditRows('inloggning_misslyckad');
    expect(failures).toEqual([
      { userId: null, subjectId: 'handlaggare1', details: { faktor: 'totp', spärrad: false } },
    ]);
    expect(JSON.stringify(await auditRows('inloggning_misslyckad'))).not.toContain(code);
  });

  it('begins one session for two requests with the same right code at once', async () => {
    const { browser, login, codeNow, enrolTotp } = setUp();
    await login();
    const { secret } = await enrolTotp();
    await browser.mutate('auth.logout');
    await login();
    const code = codeNow(secret);
    const answers = await Promise.all([
      browser.mutate('auth.verifyTotp', { code }),
      browser.mutate('auth.verifyTotp', { code }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
    const sessions = await database.db
      .selectFrom('session')
      .select('id')
      .where('revokedAt', 'is', null)
      .execute();
    // The enrolling session was signed out (deleted); the one new session.
    expect(sessions).toHaveLength(1);
  });

  it('refuses a second step after five minutes, or without the cookie', async () => {
    const { browser, login, codeNow, enrolTotp, clock, app } = setUp();
    await login();
    const { secret } = await enrolTotp();
    await browser.mutate('auth.logout');
    await login();
    clock.advance(5 * 60_000 + 1000);
    const late = await browser.mutate('auth.verifyTotp', { code: codeNow(secret) });
    expect(late.status).toBe(401);
    expect(late.error?.message).toBe('Inloggningen har gått ut. Logga in igen.');
    const none = await browserFor(app).mutate('auth.verifyTotp', { code: codeNow(secret) });
    expect(none.status).toBe(401);
    expect(none.error?.message).toBe('Inloggningen har gått ut. Logga in igen.');
  });

  it('ends the pending sign-in after five wrong codes', async () => {
    const { browser, login, codeNow, enrolTotp } = setUp();
    await login();
    const { secret } = await enrolTotp();
    await browser.mutate('auth.logout');
    await login();
    const answers: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      // Kept below the username's lock, to show the pending sign-in's own limit.
      await database.db.deleteFrom('loginThrottle').execute();
      answers.push((await browser.mutate('auth.verifyTotp', { code: '000000' })).error?.message);
    }
    expect(answers).toEqual([
      'Fel kod.',
      'Fel kod.',
      'Fel kod.',
      'Fel kod.',
      'Inloggningen har gått ut. Logga in igen.',
    ]);
    expect(browser.jar.has('evb_mfa')).toBe(false);
    const right = await browser.mutate('auth.verifyTotp', { code: codeNow(secret) });
    expect(right.error?.message).toBe('Inloggningen har gått ut. Logga in igen.');
    expect(await database.db.selectFrom('mfaPendingSignIn').selectAll().execute()).toEqual([]);
  });

  it('counts wrong codes in the password throttle: the lock is a 429 with Retry-After', async () => {
    const { browser, login, codeNow, enrolTotp, clock } = setUp();
    await login();
    const { secret } = await enrolTotp();
    await browser.mutate('auth.logout');
    await login(); // the right password counts once until the second factor is proved
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof browser.mutate>> | null = null;
    for (let i = 1; i < LOCK_AFTER; i++) {
      last = await browser.mutate('auth.verifyTotp', { code: '000000' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(last?.headers.get('retry-after')).toBe('900');
    expect(last?.error?.message).toBe(
      'För många misslyckade inloggningar. Kontot är spärrat i 15 minuter.',
    );
    // Locked: even the right code is not checked.
    const right = await browser.mutate('auth.verifyTotp', { code: codeNow(secret) });
    expect(right.status).toBe(429);
    expect(right.error?.message).toMatch(/^För många misslyckade inloggningar. Försök igen om/);
    // And so is the password.
    clock.advance(60_000);
    expect((await login()).status).toBe(429);
  });
});

describe('the per-client limit', () => {
  it('counts wrong second-step answers from one address, then answers 429', async () => {
    const { browser, login, enrolTotp, clock } = setUp();
    await login();
    await enrolTotp();
    await browser.mutate('auth.logout');
    await login();
    const resHeaders = new Headers();
    const ctx = await createContext({
      database,
      req: new Request('http://evb.test/', {
        headers: { cookie: `evb_mfa=${browser.jar.get('evb_mfa')}` },
      }),
      resHeaders,
      clock,
      clientAddress: '192.0.2.7',
      signInLimiter: createSignInLimiter({ maxFailures: 3 }),
    });
    const caller = createCallerFactory(appRouter)(ctx);
    await expect(caller.auth.verifyTotp({ code: '000000' })).rejects.toThrow('Fel kod.');
    await expect(caller.auth.verifyTotp({ code: '000000' })).rejects.toThrow('Fel kod.');
    await expect(caller.auth.verifyTotp({ code: '000000' })).rejects.toThrow('Fel kod.');
    await expect(caller.auth.verifyTotp({ code: '000000' })).rejects.toThrow(
      /^För många misslyckade inloggningar från den här anslutningen/,
    );
    expect(Number(resHeaders.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('recovery codes', () => {
  it('each code signs in once, any case, with or without the hyphen; says how many are left', async () => {
    const { browser, login, enrolTotp, app } = setUp();
    await login();
    const { recoveryCodes } = await enrolTotp();
    const [first = '', second = ''] = recoveryCodes ?? [];
    await browser.mutate('auth.logout');
    await login();
    const used = await browser.mutate('auth.verifyRecoveryCode', { code: first.toUpperCase() });
    expect(used.data).toEqual({
      id: 'handlaggare1',
      username: 'handlaggare1',
      displayName: 'handlaggare1',
      recoveryCodesLeft: 9,
    });
    expect(browser.jar.has('evb_session')).toBe(true);

    const other = browserFor(app);
    await other.mutate('auth.login', { username: 'handlaggare1', password: FIXTURE_PASSWORD });
    const again = await other.mutate('auth.verifyRecoveryCode', { code: first });
    expect(again.status).toBe(401);
    expect(again.error?.message).toBe('Fel kod.');
    const next = await other.mutate<{ recoveryCodesLeft: number }>('auth.verifyRecoveryCode', {
      code: second.replace('-', ' '),
    });
    expect(next.data.recoveryCodesLeft).toBe(8);
    expect((await auditRows('inloggning')).at(-1)?.details).toEqual({
      metod: 'password',
      faktor: 'recovery',
    });
  });

  it('made again with the password: the old codes are void, the new ones work', async () => {
    const { browser, login, enrolTotp } = setUp();
    await login();
    const { recoveryCodes: old } = await enrolTotp();
    const wrong = await browser.mutate('mfa.regenerateRecoveryCodes', { password: 'fel' });
    expect(wrong.status).toBe(401);
    expect(wrong.error?.message).toBe('Fel lösenord.');
    const made = await browser.mutate<{ recoveryCodes: string[] }>('mfa.regenerateRecoveryCodes', {
      password: FIXTURE_PASSWORD,
    });
    expect(made.data.recoveryCodes).toHaveLength(10);
    expect(made.data.recoveryCodes).not.toContain(old?.[0]);
    expect((await auditRows('mfa_aterstallningskoder')).map((r) => r.details)).toEqual([
      { antal: 10 },
    ]);
    await browser.mutate('auth.logout');
    await login();
    const stale = await browser.mutate('auth.verifyRecoveryCode', { code: old?.[0] });
    expect(stale.error?.message).toBe('Fel kod.');
    const fresh = await browser.mutate<{ recoveryCodesLeft: number }>('auth.verifyRecoveryCode', {
      code: made.data.recoveryCodes[0],
    });
    expect(fresh.data.recoveryCodesLeft).toBe(9);
  });
});

describe('removing a factor', () => {
  it('needs the password; the last one takes the recovery codes with it', async () => {
    const { browser, login, enrolTotp } = setUp();
    await login();
    await enrolTotp();
    const wrong = await browser.mutate('mfa.removeTotp', { password: 'fel-lösenord' });
    expect(wrong.status).toBe(401);
    expect(wrong.error?.message).toBe('Fel lösenord.');
    const removed = await browser.mutate('mfa.removeTotp', { password: FIXTURE_PASSWORD });
    expect(removed.data).toEqual({ ok: true });
    const status = await browser.query<{ totp: boolean; recoveryCodesLeft: number }>('mfa.status');
    expect(status.data).toMatchObject({ totp: false, recoveryCodesLeft: 0 });
    expect((await auditRows('mfa_borttagen')).map((r) => r.details)).toEqual([
      { faktor: 'totp', sistaMetoden: true },
    ]);
    // Without a factor the password alone signs in again.
    await browser.mutate('auth.logout');
    expect((await login()).data).toMatchObject({ id: 'handlaggare1' });
  });
});

describe('the requirement', () => {
  it('makes a password session without a factor enrolment-only until it enrols one', async () => {
    const { browser, login, app } = setUp();
    const admin = await callerFor(database, 'admin');
    expect(await admin.mfa.setPolicy({ required: true })).toEqual({ required: true });
    expect(await admin.mfa.policy()).toMatchObject({ required: true });
    expect((await auditRows('mfa_krav_andrat')).map((r) => r.details)).toEqual([{ krävs: true }]);

    expect((await login()).data).toMatchObject({ id: 'handlaggare1' });
    const status = await browser.query<{ mfaEnrolmentRequired: boolean }>('auth.status');
    expect(status.data.mfaEnrolmentRequired).toBe(true);
    const refused = await browser.query('decisions.list', {});
    expect(refused.status).toBe(403);
    expect(refused.error?.message).toBe(
      'Tvåstegsverifiering krävs. Lägg till en nyckel eller en app för engångskoder under Mitt konto innan du fortsätter.',
    );
    expect(refused.error?.data).toMatchObject({ mfaEnrolmentRequired: true });
    // The exports over plain HTTP too.
    const cookie = `evb_session=${browser.jar.get('evb_session')}`;
    const file = await app.request('/api/export/kvartal.csv?namndId=x&quarter=2026-Q3', {
      headers: { cookie, host: 'evb.test' },
    });
    expect(file.status).toBe(403);
    expect((await browser.query('mfa.status')).status).toBe(200);

    const { enrolTotp } = { enrolTotp: setUpEnrol(browser) };
    await enrolTotp();
    expect((await browser.query('decisions.list', {})).status).toBe(200);
    const after = await browser.query<{ mfaEnrolmentRequired: boolean }>('auth.status');
    expect(after.data.mfaEnrolmentRequired).toBe(false);

    // The last factor cannot go while MFA is required.
    const removal = await browser.mutate('mfa.removeTotp', { password: FIXTURE_PASSWORD });
    expect(removal.status).toBe(400);
    expect(removal.error?.message).toBe(
      'Tvåstegsverifiering krävs. Lägg till en annan metod innan du tar bort den här.',
    );
  });

  it('leaves OIDC and SAML sessions alone', async () => {
    const clock = movableClock('2026-11-22T10:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    await (await callerFor(database, 'admin')).mfa.setPolicy({ required: true });
    for (const method of ['oidc', 'saml'] as const) {
      const session = await createSession(
        database.db,
        'handlaggare1',
        clock.now(),
        undefined,
        method,
      );
      const browser = browserFor(app);
      browser.jar.set(
        'evb_session',
        sessionCookie(session.token, session.expiresAt).split(/[=;]/)[1] ?? '',
      );
      expect((await browser.query('decisions.list', {})).status).toBe(200);
      const status = await browser.query<{ applies: boolean }>('mfa.status');
      expect(status.data.applies).toBe(false);
      const start = await browser.mutate('mfa.startTotp');
      expect(start.status).toBe(400);
    }
  });
});

/** TOTP enrolment with a browser already signed in. */
function setUpEnrol(browser: ReturnType<typeof browserFor>) {
  return async () => {
    const start = await browser.mutate<{ secret: string }>('mfa.startTotp');
    const now = new Date('2026-11-22T10:00:00Z');
    return browser.mutate('mfa.confirmTotp', { code: totpCode(start.data.secret, totpStep(now)) });
  };
}

describe('an administrator’s reset', () => {
  it('deletes the factors, ends the sessions and is audited', async () => {
    const { browser, login, enrolTotp } = setUp();
    await login();
    await enrolTotp();
    const admin = await callerFor(database, 'admin');
    const listed = (await admin.users.list()).find((u) => u.id === 'handlaggare1');
    expect(listed?.mfa).toEqual({ totp: true, passkeys: 0 });
    expect(await admin.mfa.resetUser({ userId: 'handlaggare1' })).toEqual({ ok: true });
    expect(await database.db.selectFrom('mfaTotp').selectAll().execute()).toEqual([]);
    expect(await database.db.selectFrom('mfaRecoveryCode').selectAll().execute()).toEqual([]);
    const me = await browser.query('auth.me');
    expect(me.data).toBeNull();
    expect(await auditRows('mfa_aterstalld')).toEqual([
      { userId: 'admin', subjectId: 'handlaggare1', details: { totp: true, nycklar: 0 } },
    ]);
    // The password alone signs in again.
    expect((await login()).data).toMatchObject({ id: 'handlaggare1' });
  });

  it('is the administrator’s alone, and never their own', async () => {
    const other = await callerFor(database, 'handlaggare2');
    await expect(other.mfa.resetUser({ userId: 'handlaggare1' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(other.mfa.setPolicy({ required: true })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const admin = await callerFor(database, 'admin');
    await expect(admin.mfa.resetUser({ userId: 'admin' })).rejects.toThrow(
      'Du kan inte återställa din egen tvåstegsverifiering.',
    );
    await expect(admin.mfa.resetUser({ userId: 'finns-inte' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('hostile input', () => {
  it('refuses oversize codes and answers with 400 in Swedish', async () => {
    const { browser } = setUp();
    const long = await browser.mutate('auth.verifyTotp', { code: '1'.repeat(21) });
    expect(long.status).toBe(400);
    expect(long.error?.message).toBe('code: Koden är för lång.');
    const letters = await browser.mutate('auth.verifyTotp', { code: 'abcdef' });
    expect(letters.status).toBe(400);
    expect(letters.error?.message).toBe('code: Koden består av sex siffror.');
    const recovery = await browser.mutate('auth.verifyRecoveryCode', { code: 'a'.repeat(31) });
    expect(recovery.status).toBe(400);
    expect(recovery.error?.message).toBe('code: Återställningskoden är för lång.');
    const passkey = await browser.mutate('auth.verifyPasskey', {
      response: {
        id: 'abc',
        rawId: 'abc',
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: 'a', authenticatorData: 'a', signature: 'a'.repeat(1025) },
      },
    });
    expect(passkey.status).toBe(400);
    expect(passkey.error?.message).toBe(
      'response.response.signature: Svaret från nyckeln är för långt.',
    );
  });
});
