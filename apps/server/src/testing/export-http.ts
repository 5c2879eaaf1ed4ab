import { expect } from 'vitest';
import type { createApp } from '../app';
import { FIXTURE_PASSWORD } from './fixture';

/*
 * The exports over HTTP in tests (/api/export/…), as a browser asks for them: signed in with a
 * session cookie on the fixture's host.
 */

type App = ReturnType<typeof createApp>;

/** Signs `username` in (a fixture user, unless another password is given); the session cookie. */
export async function signIn(
  app: App,
  username: string,
  password = FIXTURE_PASSWORD,
): Promise<string> {
  const response = await app.request('/api/trpc/auth.login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', host: 'evb.test', origin: 'http://evb.test' },
    body: JSON.stringify({ username, password }),
  });
  expect(response.status).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** GET /api/export/`route`?`query`, with the session `cookie` when given. */
export function getExport(app: App, route: string, query: string, cookie?: string) {
  return app.request(`/api/export/${route}?${query}`, {
    headers: { host: 'evb.test', ...(cookie ? { cookie } : {}) },
  });
}

/** A response's body as bytes. */
export const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());
