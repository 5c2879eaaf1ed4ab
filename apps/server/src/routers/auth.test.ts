import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { LOCK_AFTER } from '../auth/throttle';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { callerFor, fixedClock, useTestDatabase } from '../testing/harness';

const database = useTestDatabase();

const ORIGIN = 'http://evb.test';

function post(
  app: ReturnType<typeof createApp>,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return app.request(`/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', host: 'evb.test', origin: ORIGIN, ...headers },
    body: JSON.stringify(body),
  });
}

describe('signing in over HTTP', () => {
  it('sets an HttpOnly, Secure, SameSite=Lax session cookie that identifies the user', async () => {
    const app = createApp({ database, pwaRoot: '/nonexistent', clock: fixedClock(new Date()) });
    const response = await post(app, 'auth.login', {
      username: 'UtforareA',
      password: FIXTURE_PASSWORD,
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^evb_session=[a-z2-7]+\.[a-z2-7]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=Lax');
    const token = cookie.split(';')[0]!;
    const me = await app.request('/api/trpc/auth.me', {
      headers: { cookie: token, host: 'evb.test' },
    });
    const body = (await me.json()) as {
      result: { data: { id: string; roles: { role: string }[] } };
    };
    expect(body.result.data.id).toBe('utforareA');
    expect(body.result.data.roles.map((r) => r.role)).toEqual(['utforare']);
    // The database keeps only a hash of the secret.
    const stored = await database.db.selectFrom('session').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(token).not.toContain(stored[0]!.secretHash);
  });

  it('refuses a mutation from another origin, or with none', async () => {
    const app = createApp({ database, pwaRoot: '/nonexistent' });
    const body = { username: 'utforarea', password: FIXTURE_PASSWORD };
    expect((await post(app, 'auth.login', body, { origin: 'https://elak.example' })).status).toBe(
      403,
    );
    const noOrigin = await app.request('/api/trpc/auth.login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: 'evb.test' },
      body: JSON.stringify(body),
    });
    expect(noOrigin.status).toBe(403);
  });

  it('answers a wrong password with 401 and a Swedish message, and bad input with 400 naming the field', async () => {
    const app = createApp({ database, pwaRoot: '/nonexistent', clock: fixedClock(new Date()) });
    const wrong = await post(app, 'auth.login', { username: 'utforarea', password: 'fel' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(
      'Fel användarnamn eller lösenord.',
    );
    const empty = await post(app, 'auth.login', { username: '', password: 'x' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toBe(
      'username: Ange användarnamn',
    );
  });
});

describe('auth procedures', () => {
  it('slows repeated failures, then locks the username for a while, known or not', async () => {
    for (const username of ['utforarea', 'finns-inte']) {
      const clock = fixedClock('2026-11-22T10:00:00Z');
      const caller = await callerFor(database, null, clock);
      for (let i = 1; i < LOCK_AFTER; i++) {
        await expect(caller.auth.login({ username, password: 'fel' })).rejects.toMatchObject({
          code: 'UNAUTHORIZED',
        });
      }
      expect(clock.slept).toEqual([1000, 2000]);
      await expect(caller.auth.login({ username, password: 'fel' })).rejects.toMatchObject({
        code: 'TOO_MANY_REQUESTS',
      });
      // Locked: even the right password is refused until the lock runs out.
      await expect(
        caller.auth.login({ username, password: FIXTURE_PASSWORD }),
      ).rejects.toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        message: expect.stringContaining('Försök igen om 15 minuter'),
      });
    }
    const later = await callerFor(database, null, fixedClock('2026-11-22T10:16:00Z'));
    await expect(
      later.auth.login({ username: 'utforarea', password: FIXTURE_PASSWORD }),
    ).resolves.toMatchObject({
      id: 'utforareA',
    });
  });

  it('ends a session at once when the user is deactivated', async () => {
    const clock = fixedClock(new Date());
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const login = await post(app, 'auth.login', {
      username: 'rapportorlss',
      password: FIXTURE_PASSWORD,
    });
    const token = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    await database.db
      .updateTable('appUser')
      .set({ active: false })
      .where('id', '=', 'rapportorLss')
      .execute();
    const me = await app.request('/api/trpc/auth.me', {
      headers: { cookie: token, host: 'evb.test' },
    });
    expect(((await me.json()) as { result: { data: unknown } }).result.data).toBeNull();
  });

  it('signs out: the session is gone and the cookie cleared', async () => {
    const app = createApp({ database, pwaRoot: '/nonexistent', clock: fixedClock(new Date()) });
    const login = await post(app, 'auth.login', { username: 'admin', password: FIXTURE_PASSWORD });
    const token = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const out = await post(app, 'auth.logout', {}, { cookie: token });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(await database.db.selectFrom('session').selectAll().execute()).toEqual([]);
  });

  it('records sign-ins and failures in the audit log', async () => {
    const caller = await callerFor(database, null);
    await caller.auth.login({ username: 'admin', password: FIXTURE_PASSWORD });
    await expect(caller.auth.login({ username: 'admin', password: 'fel' })).rejects.toThrow();
    const log = await database.db
      .selectFrom('auditLog')
      .select(['action', 'userId'])
      .orderBy('id')
      .execute();
    expect(log).toEqual([
      { action: 'inloggning', userId: 'admin' },
      { action: 'inloggning_misslyckad', userId: null },
    ]);
  });
});
