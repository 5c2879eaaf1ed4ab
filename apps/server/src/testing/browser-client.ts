import type { Hono } from 'hono';

/*
 * A browser's side of tRPC over HTTP for tests of sign-in: keeps the cookies the server sets
 * (evb_session, evb_mfa), sends them back, and answers each call's status, data or error.
 */

export const TEST_ORIGIN = 'http://evb.test';

export type Answer<T = unknown> = {
  status: number;
  data: T;
  error: { message: string; data: Record<string, unknown> } | null;
  headers: Headers;
};

export function browserFor(app: Hono) {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

  async function send<T>(path: string, init: RequestInit): Promise<Answer<T>> {
    const headers = new Headers(init.headers);
    headers.set('host', 'evb.test');
    headers.set('origin', TEST_ORIGIN);
    if (jar.size > 0) headers.set('cookie', cookieHeader());
    const response = await app.request(`/api/trpc/${path}`, { ...init, headers });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '' || /Max-Age=0/.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    const body = (await response.json()) as {
      result?: { data: T };
      error?: { message: string; data: Record<string, unknown> };
    };
    return {
      status: response.status,
      data: body.result?.data as T,
      error: body.error ?? null,
      headers: response.headers,
    };
  }

  return {
    jar,
    mutate<T = unknown>(path: string, input?: unknown) {
      return send<T>(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: input === undefined ? undefined : JSON.stringify(input),
      });
    },
    query<T = unknown>(path: string, input?: unknown) {
      const query =
        input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      return send<T>(`${path}${query}`, { method: 'GET' });
    },
  };
}

/** A clock a test moves on; it never sleeps. */
export function movableClock(start: string) {
  let at = new Date(start);
  const slept: number[] = [];
  return {
    now: () => at,
    sleep: async (ms: number) => void slept.push(ms),
    advance(ms: number) {
      at = new Date(at.getTime() + ms);
    },
    slept,
  };
}
