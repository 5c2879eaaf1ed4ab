import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { invalidInput } from '../services/role-grants';
import type { Context } from './context';
import { publicProcedure, router } from './init';

/*
 * What a phone or browser receives for a refused input, over HTTP as the PWA calls it: the
 * Swedish message naming the field, and the issues per field to show beside each input, whether
 * zod or one of the server's own checks refused it. Never a stack trace.
 */

const testRouter = router({
  checked: publicProcedure.query(() => {
    throw invalidInput([{ path: ['roles', 0, 'enhetId'], message: 'Okänd enhet' }]);
  }),
  parsed: publicProcedure
    .input(z.object({ beslutsdatum: z.string().min(10, { error: 'Ange ett datum' }) }))
    .query(() => 'ok'),
});

async function call(path: string, input?: unknown) {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await fetchRequestHandler({
    endpoint: '/trpc',
    req: new Request(`http://evb.test/trpc/${path}${query}`),
    router: testRouter,
    createContext: () => ({}) as Context,
  });
  return {
    status: response.status,
    body: (await response.json()) as { error: { message: string; data: Record<string, unknown> } },
  };
}

describe('the answer to refused input', () => {
  it('lists the issues of a server check per field', async () => {
    const { status, body } = await call('checked');
    expect(status).toBe(400);
    expect(body.error.message).toBe('roles.0.enhetId: Okänd enhet');
    expect(body.error.data.issues).toEqual([{ path: 'roles.0.enhetId', message: 'Okänd enhet' }]);
    expect(body.error.data.stack).toBeUndefined();
  });

  it('lists the issues of a zod input error per field', async () => {
    const { status, body } = await call('parsed', { beslutsdatum: '2026' });
    expect(status).toBe(400);
    expect(body.error.message).toBe('beslutsdatum: Ange ett datum');
    expect(body.error.data.issues).toEqual([{ path: 'beslutsdatum', message: 'Ange ett datum' }]);
    expect(body.error.data.stack).toBeUndefined();
  });
});
