import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { failureOf, namedMessages, OFFLINE_TEXT, refusalOf } from './admin-form';

/** A refusal as the server sends it over HTTP: its own checks carry no `issues`. */
function refusal(status: number, message: string, issues?: { path: string; message: string }[]) {
  return new TRPCClientError(message, {
    result: { error: { message, code: -32600, data: { httpStatus: status, issues } } },
  } as never);
}

describe('namedMessages', () => {
  it('takes zod’s issues when the server sends them', () => {
    const e = refusal(400, 'username: Ange användarnamn', [
      { path: 'username', message: 'Ange användarnamn' },
    ]);
    expect(namedMessages(e)).toEqual({ username: 'Ange användarnamn' });
  });

  it('reads "path: message; path: message" from a refusal without issues', () => {
    expect(
      namedMessages(
        refusal(
          400,
          'roles.0.enhetId: Enheten finns inte; roles.1: Rollen finns redan i listan; roles.1: Och mer',
        ),
      ),
    ).toEqual({
      'roles.0.enhetId': 'Enheten finns inte',
      'roles.1': 'Rollen finns redan i listan Och mer',
    });
    // A message with a semicolon of its own stays whole.
    expect(
      namedMessages(
        refusal(400, 'roles: Det måste finnas minst en aktiv administratör; utse en ny först'),
      ),
    ).toEqual({ roles: 'Det måste finnas minst en aktiv administratör; utse en ny först' });
    expect(namedMessages(refusal(403, 'Din roll har inte behörighet till detta.'))).toEqual({});
  });
});

describe('failureOf and refusalOf', () => {
  it('puts a named message beside its field and the rest at the top', () => {
    const e = refusal(409, 'username: Användarnamnet används redan');
    expect(failureOf(e, new Set(['username']), 'Rätta fälten.')).toEqual({
      fields: { username: 'Användarnamnet används redan' },
      message: 'Rätta fälten.',
    });
    expect(failureOf(e, new Set(), 'Rätta fälten.')).toEqual({
      fields: {},
      message: 'Användarnamnet används redan',
    });
    expect(failureOf(refusal(403, 'Nej.'), new Set(['username']), 'x')).toEqual({
      fields: {},
      message: 'Nej.',
    });
  });

  it('says the server could not be reached, and gives a refusal without its field path', () => {
    expect(failureOf(new TypeError('Failed to fetch'), new Set(), 'x').message).toBe(OFFLINE_TEXT);
    expect(refusalOf(refusal(400, 'userId: Du är nämndens enda huvudrapportör.'))).toBe(
      'Du är nämndens enda huvudrapportör.',
    );
  });
});
