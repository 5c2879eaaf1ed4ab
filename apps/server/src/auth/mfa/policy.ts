import { TRPCError } from '@trpc/server';

/*
 * When the administrator requires MFA, a password session of a user with no factor may only
 * enrol one: every protected procedure but these answers 403 with data.mfaEnrolmentRequired.
 * The flag is computed with the session lookup (data/sessions.ts findSession), in the same
 * statement, so the rule costs no query of its own.
 */

const OPEN_TO_ENROLMENT = new Set([
  'mfa.status',
  'mfa.startTotp',
  'mfa.confirmTotp',
  'mfa.passkeyRegistrationOptions',
  'mfa.registerPasskey',
]);

export function openDuringEnrolment(path: string): boolean {
  return path.startsWith('auth.') || OPEN_TO_ENROLMENT.has(path);
}

/** The cause the error formatter recognises, to add data.mfaEnrolmentRequired. */
export class MfaEnrolmentRequired extends Error {
  constructor() {
    super('mfa enrolment required');
    this.name = 'MfaEnrolmentRequired';
  }
}

export function enrolmentRequiredError(): TRPCError {
  return new TRPCError({
    code: 'FORBIDDEN',
    message:
      'Tvåstegsverifiering krävs. Lägg till en nyckel eller en app för engångskoder under Mitt konto innan du fortsätter.',
    cause: new MfaEnrolmentRequired(),
  });
}

/** Whether a session is enrolment-only, from what the session lookup read. */
export function isEnrolmentOnly(session: {
  signInMethod: string;
  mfaRequired: boolean | null;
  hasFactor: boolean | null;
}): boolean {
  return session.signInMethod === 'password' && Boolean(session.mfaRequired) && !session.hasFactor;
}

export const LAST_FACTOR_REQUIRED =
  'Tvåstegsverifiering krävs. Lägg till en annan metod innan du tar bort den här.';
