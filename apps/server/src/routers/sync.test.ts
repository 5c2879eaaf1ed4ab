import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { eventMutation, note, seedDecision } from '../sync/test-support';
import { FIXTURE_PASSWORD, ORG } from '../testing/fixture';
import { fixedClock, useTestDatabase } from '../testing/harness';

/*
 * sync over HTTP, as the PWA calls it: push is a POST (Origin-checked), pull a GET; answers are
 * JSON, and a malformed batch is a 400 naming the field.
 */

const database = useTestDatabase();

beforeEach(async () => {
  await seedDecision(database.db, { id: 'd-a', enhetId: ORG.enhetA });
});

const HEADERS = { 'content-type': 'application/json', host: 'evb.test', origin: 'http://evb.test' };

async function signIn(app: ReturnType<typeof createApp>, username: string) {
  const response = await app.request('/api/trpc/auth.login', {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify({ username, password: FIXTURE_PASSWORD }),
  });
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe('sync over HTTP', () => {
  it('pushes an outbox and pulls it back on another device', async () => {
    const app = createApp({
      database,
      pwaRoot: '/nonexistent',
      clock: fixedClock('2026-11-22T10:00:00Z'),
    });
    const cookie = await signIn(app, 'utforarea');
    const mutation = eventMutation(note('d-a'));
    const push = await app.request('/api/trpc/sync.push', {
      method: 'POST',
      headers: { ...HEADERS, cookie },
      body: JSON.stringify({ clientId: 'telefon-1', mutations: [mutation] }),
    });
    expect(push.status).toBe(200);
    const pushed = (await push.json()) as { result: { data: { id: string; status: string }[] } };
    expect(pushed.result.data).toMatchObject([{ id: mutation.id, status: 'applied' }]);

    const otherDevice = await signIn(app, 'utforarea');
    const input = encodeURIComponent(JSON.stringify({ cursor: null }));
    const pull = await app.request(`/api/trpc/sync.pull?input=${input}`, {
      headers: { cookie: otherDevice, host: 'evb.test' },
    });
    expect(pull.status).toBe(200);
    const pulled = (await pull.json()) as {
      result: { data: { decisions: { id: string }[]; events: { id: string }[]; cursor: string } };
    };
    expect(pulled.result.data.decisions.map((d) => d.id)).toEqual(['d-a']);
    expect(pulled.result.data.events.map((e) => e.id)).toEqual([mutation.event.id]);
    expect(pulled.result.data.cursor).toMatch(/^v2\./);
  });

  it('answers a malformed batch with 400 naming the field, and a push from elsewhere with 403', async () => {
    const app = createApp({ database, pwaRoot: '/nonexistent', clock: fixedClock(new Date()) });
    const cookie = await signIn(app, 'utforarea');
    const bad = await app.request('/api/trpc/sync.push', {
      method: 'POST',
      headers: { ...HEADERS, cookie },
      body: JSON.stringify({ mutations: [{ id: 42 }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      'mutations.0.id: Ändringens id saknas',
    );
    const foreign = await app.request('/api/trpc/sync.push', {
      method: 'POST',
      headers: { ...HEADERS, origin: 'https://elak.example', cookie },
      body: JSON.stringify({ mutations: [eventMutation(note('d-a'))] }),
    });
    expect(foreign.status).toBe(403);
    expect(await database.db.selectFrom('caseEvent').select('id').execute()).toEqual([]);
  });

  it('rejects an item with a NUL character on its own; the rest of the outbox goes through', async () => {
    const app = createApp({
      database,
      pwaRoot: '/nonexistent',
      clock: fixedClock('2026-11-22T10:00:00Z'),
    });
    const cookie = await signIn(app, 'utforarea');
    const bad = eventMutation(note('d-a', '2026-07-01', 'a\u0000b'));
    const good = eventMutation(note('d-a'));
    const push = await app.request('/api/trpc/sync.push', {
      method: 'POST',
      headers: { ...HEADERS, cookie },
      body: JSON.stringify({ mutations: [bad, good] }),
    });
    expect(push.status).toBe(200);
    const answers = (
      (await push.json()) as { result: { data: { id: string; status: string; reason?: string }[] } }
    ).result.data;
    expect(answers).toMatchObject([
      { id: bad.id, status: 'rejected', reason: expect.stringContaining('otillåtet tecken') },
      { id: good.id, status: 'applied' },
    ]);
  });
});
