import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../app';
import { DEFAULT_AUTH_CONFIG } from '../auth/config';
import { LOCK_AFTER } from '../auth/throttle';
import { FIXTURE_PASSWORD, ORG } from '../testing/fixture';
import { callerFor, fixedClock, useTestDatabase } from '../testing/harness';
import type { ServerClock } from '../trpc/context';

// Counts the password checks, to show how many guesses a burst gets checked.
const checks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../auth/password', async (importOriginal) => {
  const original = await importOriginal<typeof import('../auth/password')>();
  return {
    ...original,
    verifyPassword: (hash: string, password: string) => {
      checks.count++;
      return original.verifyPassword(hash, password);
    },
  };
});

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

  it('keeps what was typed as the username only when it is a user’s', async () => {
    const caller = await callerFor(database, null);
    // People type a personnummer, or their password, into the username field.
    await expect(
      caller.auth.login({ username: '19800101-0028', password: 'fel' }),
    ).rejects.toThrow();
    await expect(caller.auth.login({ username: 'admin', password: 'fel' })).rejects.toThrow();
    const rows = await database.db
      .selectFrom('auditLog')
      .select(['subjectId', 'details'])
      .where('action', '=', 'inloggning_misslyckad')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { subjectId: null, details: { spärrad: false } },
      { subjectId: 'admin', details: { username: 'admin', spärrad: false } },
    ]);
    expect(JSON.stringify(rows)).not.toContain('19800101');
  });
});

describe('a burst of parallel wrong passwords', () => {
  it('gets at most LOCK_AFTER of them checked, and the right password after them is refused', async () => {
    const clock = fixedClock('2026-11-22T10:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    checks.count = 0;
    // Twenty at once: on PostgreSQL they run on several pool connections side by side.
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(app, 'auth.login', { username: 'utforarea', password: `fel-${i}` }),
      ),
    );
    expect(checks.count).toBe(LOCK_AFTER);
    const statuses = burst.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOCK_AFTER - 1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - (LOCK_AFTER - 1));
    for (const response of burst.filter((r) => r.status === 429)) {
      expect(Number(response.headers.get('retry-after'))).toBe(15 * 60);
    }
    const row = await database.db
      .selectFrom('loginThrottle')
      .selectAll()
      .where('username', '=', 'utforarea')
      .executeTakeFirstOrThrow();
    expect(row.failures).toBe(20);
    expect(row.lockedUntil).toEqual(new Date('2026-11-22T10:15:00Z'));

    const right = await post(app, 'auth.login', {
      username: 'utforarea',
      password: FIXTURE_PASSWORD,
    });
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    expect(((await right.json()) as { error: { message: string } }).error.message).toBe(
      'För många misslyckade inloggningar. Försök igen om 15 minuter.',
    );
    expect(checks.count).toBe(LOCK_AFTER);
    // Only the checked guesses are in the audit log.
    const failures = await database.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', '=', 'inloggning_misslyckad')
      .execute();
    expect(failures).toHaveLength(LOCK_AFTER);
  });

  it('still lets the right password in when it comes within the allowance', async () => {
    const clock = fixedClock('2026-11-22T10:00:00Z');
    const caller = await callerFor(database, null, clock);
    for (let i = 1; i < LOCK_AFTER; i++) {
      await expect(caller.auth.login({ username: 'admin', password: 'fel' })).rejects.toMatchObject(
        { code: 'UNAUTHORIZED' },
      );
    }
    await expect(
      caller.auth.login({ username: 'admin', password: FIXTURE_PASSWORD }),
    ).resolves.toMatchObject({ id: 'admin' });
    // The count starts again after a success.
    expect(await database.db.selectFrom('loginThrottle').selectAll().execute()).toEqual([]);
  });
});

/** A clock the test moves forward. */
function movableClock(start: string) {
  let at = new Date(start).getTime();
  const clock: ServerClock = { now: () => new Date(at), sleep: async () => {} };
  return Object.assign(clock, {
    advance(minutes: number) {
      at += minutes * 60_000;
    },
  });
}

type SessionErrorBody = { error: { data: { code: string; sessionEnded: string | null } } };

async function signIn(app: ReturnType<typeof createApp>, username = 'admin'): Promise<string> {
  const response = await post(app, 'auth.login', { username, password: FIXTURE_PASSWORD });
  expect(response.status).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function overview(app: ReturnType<typeof createApp>, cookie: string) {
  return app.request('/api/trpc/org.overview', { headers: { cookie, host: 'evb.test' } });
}

async function status(app: ReturnType<typeof createApp>, cookie?: string) {
  const response = await app.request('/api/trpc/auth.status', {
    headers: { host: 'evb.test', ...(cookie ? { cookie } : {}) },
  });
  const body = (await response.json()) as {
    result: {
      data: {
        user: { id: string } | null;
        sessionEnded: string | null;
        idleTimeoutMinutes: number;
        sessionMaxHours: number;
      };
    };
  };
  return { response, ...body.result.data };
}

describe('session timeouts', () => {
  it('ends a session idle for 30 minutes: 401 with sessionEnded "idle", the cookie cleared', async () => {
    const clock = movableClock('2026-11-22T08:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const cookie = await signIn(app);
    clock.advance(29);
    expect((await overview(app, cookie)).status).toBe(200);
    // Used at 08:29: idle from there.
    clock.advance(29);
    expect((await overview(app, cookie)).status).toBe(200);
    clock.advance(30);
    const ended = await overview(app, cookie);
    expect(ended.status).toBe(401);
    expect(((await ended.json()) as SessionErrorBody).error.data).toMatchObject({
      code: 'UNAUTHORIZED',
      sessionEnded: 'idle',
    });
    expect(ended.headers.get('set-cookie')).toMatch(/^evb_session=;.*Max-Age=0/);
    const after = await status(app, cookie);
    expect(after).toMatchObject({ user: null, sessionEnded: 'idle', idleTimeoutMinutes: 30 });
    expect(after.response.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('writes the last use at most once a minute, and never lets the idle time be exceeded', async () => {
    const clock = movableClock('2026-11-22T08:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const cookie = await signIn(app);
    const lastUsed = async () =>
      (await database.db.selectFrom('session').select('lastUsedAt').executeTakeFirstOrThrow())
        .lastUsedAt;
    clock.advance(0.5);
    expect((await overview(app, cookie)).status).toBe(200);
    expect(await lastUsed()).toEqual(new Date('2026-11-22T08:00:00Z'));
    clock.advance(0.5);
    expect((await overview(app, cookie)).status).toBe(200);
    expect(await lastUsed()).toEqual(new Date('2026-11-22T08:01:00Z'));
    clock.advance(0.75);
    expect((await overview(app, cookie)).status).toBe(200);
    expect(await lastUsed()).toEqual(new Date('2026-11-22T08:01:00Z'));
    // 30 minutes after the last use written (08:01), though 29¼ after the last request.
    clock.advance(29.25);
    expect((await status(app, cookie)).sessionEnded).toBe('idle');
  });

  it('does not count asking auth.status as a use of the session', async () => {
    const clock = movableClock('2026-11-22T08:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const cookie = await signIn(app);
    for (let minutes = 5; minutes < 30; minutes += 5) {
      clock.advance(5);
      expect((await status(app, cookie)).user).toMatchObject({ id: 'admin' });
    }
    clock.advance(5);
    expect(await status(app, cookie)).toMatchObject({ user: null, sessionEnded: 'idle' });
  });

  it('ends a session in use at its absolute lifetime of 12 hours', async () => {
    const clock = movableClock('2026-11-22T06:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const cookie = await signIn(app);
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      clock.advance(20);
      expect((await overview(app, cookie)).status).toBe(200);
    }
    clock.advance(20);
    const ended = await overview(app, cookie);
    expect(ended.status).toBe(401);
    expect(((await ended.json()) as SessionErrorBody).error.data.sessionEnded).toBe('absolute');
    expect((await status(app, cookie)).sessionEnded).toBe('absolute');
  });

  it('reads both limits from the configuration', async () => {
    const clock = movableClock('2026-11-22T08:00:00Z');
    const app = createApp({
      database,
      pwaRoot: '/nonexistent',
      clock,
      auth: { ...DEFAULT_AUTH_CONFIG, sessionIdleMinutes: 5, sessionMaxHours: 1 },
    });
    const cookie = await signIn(app);
    expect(await status(app, cookie)).toMatchObject({
      user: { id: 'admin' },
      sessionEnded: null,
      idleTimeoutMinutes: 5,
      sessionMaxHours: 1,
    });
    clock.advance(4);
    expect((await overview(app, cookie)).status).toBe(200);
    clock.advance(5);
    expect((await status(app, cookie)).sessionEnded).toBe('idle');

    const second = await signIn(app);
    for (let minutes = 0; minutes < 60; minutes += 4) {
      expect((await overview(app, second)).status).toBe(200);
      clock.advance(4);
    }
    expect((await status(app, second)).sessionEnded).toBe('absolute');
  });

  it('says "revoked" when the user is deactivated, and nothing for a token it does not know', async () => {
    const clock = movableClock('2026-11-22T08:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const cookie = await signIn(app, 'rapportorlss');
    const admin = await callerFor(database, 'admin', clock);
    await admin.users.deactivate({ id: 'rapportorLss' });
    clock.advance(1);
    const ended = await overview(app, cookie);
    expect(ended.status).toBe(401);
    expect(((await ended.json()) as SessionErrorBody).error.data.sessionEnded).toBe('revoked');
    expect(await status(app, cookie)).toMatchObject({ user: null, sessionEnded: 'revoked' });

    // The right session id with another secret, a made-up token, no cookie: nothing to tell.
    const [id] = cookie.slice('evb_session='.length).split('.');
    for (const other of [`evb_session=${id}.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`, 'evb_session=x.y']) {
      const unknown = await overview(app, other);
      expect(unknown.status).toBe(401);
      expect(((await unknown.json()) as SessionErrorBody).error.data.sessionEnded).toBeNull();
      expect((await status(app, other)).sessionEnded).toBeNull();
    }
    expect(await status(app)).toMatchObject({ user: null, sessionEnded: null });
  });

  it('says "revoked" when the user loses a role', async () => {
    const clock = movableClock('2026-11-22T08:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const cookie = await signIn(app, 'utforarea');
    const admin = await callerFor(database, 'admin', clock);
    await admin.users.update({
      id: 'utforareA',
      roles: [{ role: 'utforare', enhetId: ORG.enhetB }],
    });
    expect(await status(app, cookie)).toMatchObject({ user: null, sessionEnded: 'revoked' });
  });

  it('forgets an ended session a day after its end, at the next sign-in', async () => {
    const clock = movableClock('2026-11-22T08:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const cookie = await signIn(app, 'utforarea');
    clock.advance(30 + 23 * 60);
    await signIn(app, 'admin');
    expect(await database.db.selectFrom('session').select('userId').execute()).toHaveLength(2);
    expect((await status(app, cookie)).sessionEnded).toBe('idle');
    clock.advance(61);
    await signIn(app, 'admin');
    expect(
      (await database.db.selectFrom('session').select('userId').execute()).map((r) => r.userId),
    ).toEqual(['admin', 'admin']);
    expect((await status(app, cookie)).sessionEnded).toBeNull();
  });

  it('a cookie outlives the session a day, so that a late request hears why it ended', async () => {
    const clock = movableClock('2026-11-22T08:00:00Z');
    const app = createApp({ database, pwaRoot: '/nonexistent', clock });
    const response = await post(app, 'auth.login', {
      username: 'admin',
      password: FIXTURE_PASSWORD,
    });
    expect(response.headers.get('set-cookie')).toContain('Expires=Mon, 23 Nov 2026 20:00:00 GMT');
  });
});
