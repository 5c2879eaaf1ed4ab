import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { verifyPassword } from '../auth/password';
import { createSession, validateSessionToken } from '../auth/sessions';
import { LOCK_AFTER } from '../auth/throttle';
import { refusal } from '../testing/errors';
import { FIXTURE_PASSWORD, type FixtureUser, ORG } from '../testing/fixture';
import { callerFor, fixedClock, useTestDatabase } from '../testing/harness';

const database = useTestDatabase();

const NEW_USER = {
  username: '  Anna.Svensson ',
  displayName: 'Anna Svensson',
  email: 'anna.svensson@exempel.se',
  telefon: '070-123 45 67',
  password: 'ett-långt-lösenord',
  roles: [
    { role: 'rapportor' as const, namndId: ORG.vard, verksamhetsomrade: 'LSS' as const },
    { role: 'utforare' as const, enhetId: ORG.enhetA },
  ],
};

async function sessionOf(userId: string) {
  const session = await createSession(database.db, userId);
  return () => validateSessionToken(database.db, session.token);
}

describe('users.* as admin', () => {
  it('creates a user with a lowercase username, an argon2id hash and the given roles', async () => {
    const admin = await callerFor(database, 'admin');
    const created = await admin.users.create(NEW_USER);
    expect(created).toMatchObject({
      username: 'anna.svensson',
      displayName: 'Anna Svensson',
      email: 'anna.svensson@exempel.se',
      telefon: '070-123 45 67',
      active: true,
    });
    expect(created.roles.map(({ id: _id, ...g }) => g)).toEqual([
      { role: 'rapportor', namndId: ORG.vard, verksamhetsomrade: 'LSS', enhetId: null },
      { role: 'utforare', namndId: null, verksamhetsomrade: null, enhetId: ORG.enhetA },
    ]);
    const stored = await database.db
      .selectFrom('appUser')
      .select('passwordHash')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored.passwordHash, NEW_USER.password)).toBe(true);
    // The new user can sign in.
    const anyone = await callerFor(database, null);
    await expect(
      anyone.auth.login({ username: 'anna.svensson', password: NEW_USER.password }),
    ).resolves.toMatchObject({ id: created.id });
    const list = await admin.users.list();
    expect(list.map((u) => u.username)).toContain('anna.svensson');
    expect(list.find((u) => u.id === 'admin')?.roles).toMatchObject([{ role: 'admin' }]);
  });

  it('refuses a username that is taken, whatever its case', async () => {
    const admin = await callerFor(database, 'admin');
    await expect(admin.users.create({ ...NEW_USER, username: 'UtforareA' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'username: Användarnamnet används redan',
    });
  });

  it('refuses a taken username together with roles that do not fit, so the form shows both', async () => {
    const admin = await callerFor(database, 'admin');
    const grant = { role: 'handlaggare' as const, namndId: ORG.vard };
    expect(
      await refusal(
        admin.users.create({ ...NEW_USER, username: 'utforarea', roles: [grant, grant] }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'username: Användarnamnet används redan; roles.1: Rollen finns redan i listan',
    });
  });

  it('refuses a weak password and malformed fields with Swedish messages naming the field', async () => {
    const admin = await callerFor(database, 'admin');
    expect(await refusal(admin.users.create({ ...NEW_USER, password: 'kort' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'password: Lösenordet måste ha minst 10 tecken',
    });
    expect(
      await refusal(
        admin.users.create({ ...NEW_USER, email: 'inte-en-adress', telefon: 'ring mig' }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(
        /^email: Ange en giltig e-postadress; telefon: Ange ett giltigt telefonnummer/,
      ),
    });
    expect(await refusal(admin.users.create({ ...NEW_USER, roles: [] }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'roles: Ange minst en roll',
    });
  });

  it.each([
    [
      'an utförare in a matching team',
      { role: 'utforare', enhetId: ORG.boendeteamet },
      'roles.0.enhetId: En utförare ska höra till en utförarenhet; Boendeteamet är ett matchningsteam',
    ],
    [
      'a matchare in an utförarenhet',
      { role: 'matchare', enhetId: ORG.enhetA },
      'roles.0.enhetId: En matchare ska höra till Boendeteamet eller Centralen för sysselsättning, inte Daglig verksamhet Eken',
    ],
    [
      'an unknown unit',
      { role: 'utforare', enhetId: 'e-finns-inte' },
      'roles.0.enhetId: Enheten finns inte',
    ],
    ['a handläggare without nämnd', { role: 'handlaggare' }, 'roles.0.namndId: Välj nämnd'],
    [
      'an unknown nämnd',
      { role: 'handlaggare', namndId: 'n-okand' },
      'roles.0.namndId: Nämnden finns inte',
    ],
    [
      'a rapportör for an area the nämnd does not report for',
      { role: 'rapportor', namndId: ORG.social, verksamhetsomrade: 'LSS' },
      'roles.0.verksamhetsomrade: Socialnämnden rapporterar inte för LSS',
    ],
    [
      'an unknown verksamhetsområde',
      { role: 'huvudrapportor', namndId: ORG.vard, verksamhetsomrade: 'SOL_BARN' },
      'roles.0.verksamhetsomrade: Välj ett verksamhetsområde: SoL Äldre, SoL FUNK, SoL IFO eller LSS',
    ],
    [
      'an unknown role',
      { role: 'chef', namndId: ORG.vard },
      'roles.0.role: Välj en roll: utforare, matchare, handlaggare, rapportor, huvudrapportor, loggranskare eller admin',
    ],
  ])('refuses %s with 400 naming the field', async (_what, grant, message) => {
    const admin = await callerFor(database, 'admin');
    expect(
      await refusal(admin.users.create({ ...NEW_USER, roles: [grant as never] })),
    ).toMatchObject({ code: 'BAD_REQUEST', message });
    expect(
      await database.db.selectFrom('appUser').where('username', '=', 'anna.svensson').execute(),
    ).toEqual([]);
  });

  it('refuses the same grant twice', async () => {
    const admin = await callerFor(database, 'admin');
    const grant = { role: 'handlaggare' as const, namndId: ORG.vard };
    expect(await refusal(admin.users.create({ ...NEW_USER, roles: [grant, grant] }))).toMatchObject(
      { code: 'BAD_REQUEST', message: 'roles.1: Rollen finns redan i listan' },
    );
  });

  it('updates name, contact details and roles; losing access ends the sessions', async () => {
    const admin = await callerFor(database, 'admin');
    const stillValid = await sessionOf('handlaggare1');
    const updated = await admin.users.update({
      id: 'handlaggare1',
      displayName: 'Hanna Handläggare',
      telefon: '08-123 456',
      email: '',
    });
    expect(updated).toMatchObject({
      displayName: 'Hanna Handläggare',
      telefon: '08-123 456',
      email: null,
    });
    // Only contact details changed: the session lives on.
    expect(await stillValid()).not.toBeNull();
    // A role added to the ones held: nothing is lost, the session lives on.
    await admin.users.update({
      id: 'handlaggare1',
      roles: [
        { role: 'handlaggare', namndId: ORG.vard },
        { role: 'handlaggare', namndId: ORG.social },
      ],
    });
    expect(await stillValid()).not.toBeNull();
    // The vård nämnd taken away: signed out at once.
    const after = await admin.users.update({
      id: 'handlaggare1',
      roles: [{ role: 'handlaggare', namndId: ORG.social }],
    });
    expect(after.roles).toMatchObject([{ role: 'handlaggare', namndId: ORG.social }]);
    expect(await stillValid()).toBeNull();
  });

  it('answers 404 for an unknown user', async () => {
    const admin = await callerFor(database, 'admin');
    await expect(admin.users.update({ id: 'ingen', displayName: 'X' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(admin.users.deactivate({ id: 'ingen' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('deactivation ends every session of the user at once and stops sign-in', async () => {
    const admin = await callerFor(database, 'admin');
    const first = await sessionOf('rapportorLss');
    const second = await sessionOf('rapportorLss');
    const other = await sessionOf('utforareA');
    expect(await first()).not.toBeNull();
    const result = await admin.users.deactivate({ id: 'rapportorLss' });
    expect(result.active).toBe(false);
    expect(await first()).toBeNull();
    expect(await second()).toBeNull();
    expect(await other()).not.toBeNull();
    const anyone = await callerFor(database, null);
    await expect(
      anyone.auth.login({ username: 'rapportorlss', password: FIXTURE_PASSWORD }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // And back again.
    await admin.users.activate({ id: 'rapportorLss' });
    await expect(
      anyone.auth.login({ username: 'rapportorlss', password: FIXTURE_PASSWORD }),
    ).resolves.toMatchObject({ id: 'rapportorLss' });
  });

  it('an admin cannot deactivate themself or take away the last admin role', async () => {
    const admin = await callerFor(database, 'admin');
    expect(await refusal(admin.users.deactivate({ id: 'admin' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'id: Du kan inte inaktivera ditt eget konto',
    });
    expect(
      await refusal(
        admin.users.update({ id: 'admin', roles: [{ role: 'handlaggare', namndId: ORG.vard }] }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'roles: Det måste finnas minst en aktiv administratör; utse en ny först',
    });
  });

  it('resets a password: the old one stops working and the sessions end', async () => {
    const admin = await callerFor(database, 'admin');
    const session = await sessionOf('utforareB');
    await admin.users.resetPassword({ id: 'utforareB', password: 'nytt-lösenord-456' });
    expect(await session()).toBeNull();
    const anyone = await callerFor(database, null);
    await expect(
      anyone.auth.login({ username: 'utforareb', password: FIXTURE_PASSWORD }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(
      anyone.auth.login({ username: 'utforareb', password: 'nytt-lösenord-456' }),
    ).resolves.toMatchObject({ id: 'utforareB' });
  });

  it('records every change in the audit log, in each nämnd it concerns', async () => {
    const admin = await callerFor(database, 'admin');
    const created = await admin.users.create(NEW_USER);
    await admin.users.deactivate({ id: created.id });
    const log = await database.db
      .selectFrom('auditLog')
      .select(['userId', 'role', 'action', 'subjectId', 'namndId'])
      .orderBy('id')
      .execute();
    expect(log).toEqual([
      {
        userId: 'admin',
        role: 'admin',
        action: 'anvandare_skapad',
        subjectId: created.id,
        namndId: ORG.vard,
      },
      {
        userId: 'admin',
        role: 'admin',
        action: 'anvandare_inaktiverad',
        subjectId: created.id,
        namndId: ORG.vard,
      },
    ]);
  });
});

describe('users.* for everyone else', () => {
  const others: FixtureUser[] = [
    'utforareA',
    'matchare',
    'handlaggare1',
    'rapportorLss',
    'huvudrapportor',
    'rapportorSocial',
  ];
  it.each(others)('%s is refused with 403', async (userId) => {
    const caller = await callerFor(database, userId);
    const refused = { code: 'FORBIDDEN' };
    await expect(caller.users.list()).rejects.toMatchObject(refused);
    await expect(caller.users.create(NEW_USER)).rejects.toMatchObject(refused);
    await expect(caller.users.update({ id: 'utforareB', displayName: 'X' })).rejects.toMatchObject(
      refused,
    );
    await expect(caller.users.deactivate({ id: 'utforareB' })).rejects.toMatchObject(refused);
    await expect(caller.users.activate({ id: 'utforareB' })).rejects.toMatchObject(refused);
    await expect(
      caller.users.resetPassword({ id: 'utforareB', password: 'nytt-lösenord-456' }),
    ).rejects.toMatchObject(refused);
  });

  it('nobody signed in gets 401', async () => {
    const anyone = await callerFor(database, null);
    await expect(anyone.users.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(
      anyone.users.changeOwnPassword({ currentPassword: 'x', newPassword: 'nytt-lösenord-456' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('users.changeOwnPassword', () => {
  const ORIGIN = 'http://evb.test';
  const post = (app: ReturnType<typeof createApp>, path: string, body: unknown, cookie = '') =>
    app.request(`/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: 'evb.test', origin: ORIGIN, cookie },
      body: JSON.stringify(body),
    });
  const tokenOf = (response: Response) => (response.headers.get('set-cookie') ?? '').split(';')[0]!;

  it('needs the current password, then ends the other sessions and goes on in a new one', async () => {
    const app = createApp({ database, pwaRoot: '/nonexistent', clock: fixedClock(new Date()) });
    const here = tokenOf(
      await post(app, 'auth.login', { username: 'utforarea', password: FIXTURE_PASSWORD }),
    );
    const elsewhere = await sessionOf('utforareA');

    const wrong = await post(
      app,
      'users.changeOwnPassword',
      { currentPassword: 'fel-lösenord', newPassword: 'nytt-lösenord-456' },
      here,
    );
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(
      'currentPassword: Nuvarande lösenord stämmer inte',
    );
    const weak = await post(
      app,
      'users.changeOwnPassword',
      { currentPassword: FIXTURE_PASSWORD, newPassword: 'kort' },
      here,
    );
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { error: { message: string } }).error.message).toBe(
      'newPassword: Lösenordet måste ha minst 10 tecken',
    );
    expect(await elsewhere()).not.toBeNull();

    const changed = await post(
      app,
      'users.changeOwnPassword',
      { currentPassword: FIXTURE_PASSWORD, newPassword: 'nytt-lösenord-456' },
      here,
    );
    expect(changed.status).toBe(200);
    const renewed = tokenOf(changed);
    expect(renewed).toMatch(/^evb_session=[a-z2-7]+\.[a-z2-7]+$/);
    expect(await elsewhere()).toBeNull();
    const me = async (cookie: string) => {
      const response = await app.request('/api/trpc/auth.me', {
        headers: { cookie, host: 'evb.test' },
      });
      return ((await response.json()) as { result: { data: { id: string } | null } }).result.data;
    };
    expect(await me(here)).toBeNull();
    expect(await me(renewed)).toMatchObject({ id: 'utforareA' });
    const anyone = await callerFor(database, null);
    await expect(
      anyone.auth.login({ username: 'utforarea', password: 'nytt-lösenord-456' }),
    ).resolves.toMatchObject({ id: 'utforareA' });
  });

  it('slows wrong current passwords, then locks them, in the same count as sign-in', async () => {
    const clock = fixedClock('2026-11-22T10:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const here = tokenOf(
      await post(app, 'auth.login', { username: 'utforarea', password: FIXTURE_PASSWORD }),
    );
    const change = (currentPassword: string) =>
      post(
        app,
        'users.changeOwnPassword',
        { currentPassword, newPassword: 'nytt-lösenord-456' },
        here,
      );
    for (let i = 1; i < LOCK_AFTER; i++) expect((await change('fel')).status).toBe(400);
    expect(clock.slept).toEqual([1000, 2000]);
    const locked = await change('fel');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe(String(15 * 60));
    expect(((await locked.json()) as { error: { message: string } }).error.message).toBe(
      'För många felaktiga lösenord. Kontot är spärrat i 15 minuter.',
    );
    // Now even the right current password is refused, unchecked, and so is signing in.
    const right = await change(FIXTURE_PASSWORD);
    expect(right.status).toBe(429);
    expect(
      (await post(app, 'auth.login', { username: 'utforarea', password: FIXTURE_PASSWORD })).status,
    ).toBe(429);
    const stored = await database.db
      .selectFrom('appUser')
      .select('passwordHash')
      .where('id', '=', 'utforareA')
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(stored.passwordHash, FIXTURE_PASSWORD)).toBe(true);
  });

  it('checks at most LOCK_AFTER of a burst of parallel wrong current passwords', async () => {
    const clock = fixedClock('2026-11-22T10:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const here = tokenOf(
      await post(app, 'auth.login', { username: 'utforarea', password: FIXTURE_PASSWORD }),
    );
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(
          app,
          'users.changeOwnPassword',
          { currentPassword: `fel-${i}`, newPassword: 'nytt-lösenord-456' },
          here,
        ),
      ),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(LOCK_AFTER - 1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - (LOCK_AFTER - 1));
    const checked = await database.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', '=', 'losenordsbyte_misslyckat')
      .execute();
    expect(checked).toHaveLength(LOCK_AFTER);
    const right = await post(
      app,
      'users.changeOwnPassword',
      { currentPassword: FIXTURE_PASSWORD, newPassword: 'nytt-lösenord-456' },
      here,
    );
    expect(right.status).toBe(429);
  });
});
