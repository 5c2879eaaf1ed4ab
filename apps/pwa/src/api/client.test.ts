import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi, onMfaEnrolmentRequired } from './client';

/*
 * A refusal because the kommun requires two-step verification and the session has none
 * (FORBIDDEN with data.mfaEnrolmentRequired) is reported from any call but the sign-in's own, so
 * that the app can show only the enrolment.
 */

function answerWith(status: number, data: Record<string, unknown>) {
  const body = JSON.stringify([
    {
      error: {
        message: 'Tvåstegsverifiering krävs.',
        code: -32003,
        data: { httpStatus: status, ...data },
      },
    },
  ]);
  return vi.fn(
    async () => new Response(body, { status, headers: { 'content-type': 'application/json' } }),
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('the MFA enrolment refusal', () => {
  it('is reported from a case-data call, not from auth.* nor for another 403', async () => {
    const api = createApi('http://evb.test/api/trpc');
    const heard = vi.fn();
    const stop = onMfaEnrolmentRequired(heard);
    try {
      vi.stubGlobal('fetch', answerWith(403, { code: 'FORBIDDEN', mfaEnrolmentRequired: true }));
      await expect(api.org.overview.query()).rejects.toThrow('Tvåstegsverifiering krävs.');
      expect(heard).toHaveBeenCalledOnce();

      await expect(api.auth.me.query()).rejects.toThrow();
      expect(heard).toHaveBeenCalledOnce();

      vi.stubGlobal('fetch', answerWith(403, { code: 'FORBIDDEN' }));
      await expect(api.org.overview.query()).rejects.toThrow();
      expect(heard).toHaveBeenCalledOnce();
    } finally {
      stop();
    }
  });
});
