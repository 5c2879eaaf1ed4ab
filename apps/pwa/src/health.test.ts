import { describe, expect, it } from 'vitest';
import { fetchHealth, type HealthState, healthText, healthTone } from './health';

const answer = (status: number, body: unknown) => async () =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
const online = () => true;

describe('fetchHealth', () => {
  it('reads the embedded database from a healthy answer', async () => {
    const state = await fetchHealth(answer(200, { ok: true, database: 'pglite' }), online);
    expect(state).toEqual({ status: 'connected', database: 'pglite' });
  });

  it('reads PostgreSQL from a healthy answer', async () => {
    const state = await fetchHealth(answer(200, { ok: true, database: 'postgresql' }), online);
    expect(state).toEqual({ status: 'connected', database: 'postgresql' });
  });

  it('tells a failing database from a missing server', async () => {
    const state = await fetchHealth(answer(503, { ok: false, database: 'postgresql' }), online);
    expect(state).toEqual({ status: 'database-unavailable' });
  });

  it('treats a network error as an unreachable server while online', async () => {
    const failing = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await fetchHealth(failing, online)).toEqual({ status: 'server-unreachable' });
  });

  it('treats an answer that is not the health JSON as an unreachable server', async () => {
    const html = async () => new Response('<!doctype html>', { status: 502 });
    expect(await fetchHealth(html, online)).toEqual({ status: 'server-unreachable' });
    expect(await fetchHealth(answer(200, { ok: 'yes' }), online)).toEqual({
      status: 'server-unreachable',
    });
  });

  it('does not ask the server while the device is offline', async () => {
    let asked = false;
    const spy = async () => {
      asked = true;
      return new Response('{}');
    };
    expect(await fetchHealth(spy, () => false)).toEqual({ status: 'offline' });
    expect(asked).toBe(false);
  });
});

describe('healthText', () => {
  it.each<[HealthState, string]>([
    [{ status: 'connected', database: 'pglite' }, 'Ansluten – inbyggd databas (PGlite)'],
    [{ status: 'connected', database: 'postgresql' }, 'Ansluten – PostgreSQL'],
    [{ status: 'checking' }, 'Kontrollerar anslutningen till servern …'],
    [{ status: 'database-unavailable' }, 'Servern svarar, men databasen går inte att nå just nu.'],
    [
      { status: 'server-unreachable' },
      'Ingen kontakt med servern just nu. evb försöker igen om en stund.',
    ],
    [
      { status: 'offline' },
      'Du är offline. evb ansluter till servern igen när nätverket är tillbaka.',
    ],
  ])('%j → %s', (state, text) => {
    expect(healthText(state)).toBe(text);
  });

  it('marks only a connection as good news', () => {
    expect(healthTone({ status: 'connected', database: 'pglite' })).toBe('ok');
    expect(healthTone({ status: 'checking' })).toBe('pending');
    expect(healthTone({ status: 'offline' })).toBe('problem');
  });
});
