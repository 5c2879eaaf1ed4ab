import { insertAudit } from '../data/audit';
import { findUserByExternalIdentity } from '../data/users';
import type { Db } from '../db/database';
import { createSession, type SessionPolicy, type SessionUser, sessionCookie } from './sessions';

/*
 * Sign-in through the kommun's identity provider, whatever the protocol (issue 14). The protocol
 * code (OpenID Connect in auth/oidc.ts, SAML) checks the provider's answer; this module takes the
 * value of the configured claim or attribute from a checked answer and either begins an evb
 * session for the user it names or refuses, audited either way. Nothing is ever created: users are
 * provisioned by an administrator, whose roles the IdP's groups do not know.
 *
 * How a protocol calls it (SAML as OIDC does):
 *
 *   // after the assertion's signature, audience, time, InResponseTo and assurance were checked:
 *   const result = await signInWithExternalIdentity(db, {
 *     method: 'saml', identity: profile[attribute], now, policy,
 *   });
 *   if (result.ok) { c.header('Set-Cookie', result.cookie); return c.redirect('/'); }
 *   return c.redirect(signInRefusedPath(result.code));
 *
 *   // a checked answer that fails before a user is known (bad signature, wrong audience, expired,
 *   // replayed, assurance too low, the user cancelled, the provider unreachable):
 *   await auditExternalRefusal(db, 'saml', 'signatur');
 *   return c.redirect(signInRefusedPath('misslyckades'));
 *
 * Matching: the value is compared with the external id an administrator set on a user, else with
 * the username of a user who has none; both without regard to case. E-mail addresses and UPNs are
 * case-insensitive in practice (providers differ in how they case them), usernames are stored in
 * lower case, and HSA-ids and employee numbers are never told apart by case alone, so an exact
 * comparison would only refuse people for nothing. Uniqueness is enforced the same way
 * (migration 0015: a unique index on lower(external_id)).
 *
 * Auditing: a refused value is not stored, not even hashed: it may be someone's e-mail address or
 * HSA-id, a hash of either is easily reversed, and the row would tie an outsider to an attempt.
 * The row keeps the method, the reason and, for a deactivated user, the user's id.
 */

export type ExternalMethod = 'oidc' | 'saml';

/**
 * Why a sign-in through the provider was refused, as the PWA's sign-in screen reads it from
 * `?fel=` (apps/pwa/src/auth/SignIn.tsx holds the Swedish texts).
 * - `ingen-anvandare`: no active evb user has the identity (unknown or deactivated: the same text).
 * - `identitet-saknas`: the provider's answer lacked the configured claim or attribute.
 * - `niva`: the level of assurance demanded (acr, AuthnContextClassRef) was not met.
 * - `avbruten`: the user cancelled at the provider.
 * - `otillganglig`: the provider could not be reached or answered nonsense.
 * - `misslyckades`: the answer failed a check (signature, audience, time, state, nonce, replay).
 */
export type SignInRefusalCode =
  | 'ingen-anvandare'
  | 'identitet-saknas'
  | 'niva'
  | 'avbruten'
  | 'otillganglig'
  | 'misslyckades';

/** What the audit row says of a refusal: a fixed word, never the provider's own text. */
export type RefusalReason =
  | 'okänd'
  | 'inaktiverad'
  | 'identitet-saknas'
  | 'nivå'
  | 'avbruten'
  | 'otillgänglig'
  | 'signatur'
  | 'tid'
  | 'anspråk'
  | 'tillstånd'
  | 'ogiltig';

/** The Swedish texts, for logs and for tests; the PWA shows the same for each code. */
export const SIGN_IN_REFUSALS: Record<SignInRefusalCode, string> = {
  'ingen-anvandare':
    'Du har inget aktivt konto i evb. Kontakta den som administrerar evb i kommunen.',
  'identitet-saknas':
    'Inloggningstjänsten skickade inte den uppgift som evb känner igen dig på. Kontakta den som administrerar evb i kommunen.',
  niva: 'Inloggningen var inte tillräckligt stark. Logga in med e-legitimation (till exempel SITHS, BankID eller Freja eID).',
  avbruten: 'Inloggningen avbröts.',
  otillganglig: 'Inloggningstjänsten går inte att nå just nu. Försök igen om en stund.',
  misslyckades: 'Inloggningen kunde inte slutföras. Försök igen.',
};

/** The longest identity value taken (an HSA-id is 31 characters, an e-mail address 254). */
export const MAX_IDENTITY_LENGTH = 256;

export type ExternalSignIn =
  | {
      ok: true;
      user: SessionUser;
      /** The session cookie, for the response's Set-Cookie header. */
      cookie: string;
    }
  | { ok: false; code: SignInRefusalCode };

/**
 * Begins a session for the active user the identity value names, exactly as a password sign-in
 * does (session row, cookie, audit row `inloggning`, with the method); or refuses an identity
 * that is missing, too long, unknown or deactivated, with an audit row `inloggning_misslyckad`.
 * `identity` is the raw claim or attribute value: anything but a non-empty string is missing.
 */
export async function signInWithExternalIdentity(
  db: Db,
  input: { method: ExternalMethod; identity: unknown; now: Date; policy: SessionPolicy },
): Promise<ExternalSignIn> {
  const { method, now, policy } = input;
  const identity = typeof input.identity === 'string' ? input.identity.trim() : '';
  if (identity === '' || identity.length > MAX_IDENTITY_LENGTH) {
    await auditExternalRefusal(db, method, 'identitet-saknas');
    return { ok: false, code: 'identitet-saknas' };
  }
  const user = await findUserByExternalIdentity(db, identity);
  if (!user?.active) {
    await auditExternalRefusal(db, method, user ? 'inaktiverad' : 'okänd', user?.id ?? null);
    return { ok: false, code: 'ingen-anvandare' };
  }
  const session = await createSession(db, user.id, now, policy, method);
  // Nobody was signed in when the request came: the row names the user who now is.
  await insertAudit(db, {
    userId: user.id,
    role: null,
    action: 'inloggning',
    subjectType: 'anvandare',
    subjectId: user.id,
    details: { metod: method },
  });
  return {
    ok: true,
    user: { id: user.id, username: user.username, displayName: user.displayName },
    cookie: sessionCookie(session.token, session.expiresAt),
  };
}

/** Records a refused sign-in through the provider: the method and a fixed reason, no values. */
export async function auditExternalRefusal(
  db: Db,
  method: ExternalMethod,
  reason: RefusalReason,
  userId: string | null = null,
): Promise<void> {
  await insertAudit(db, {
    userId: null,
    role: null,
    action: 'inloggning_misslyckad',
    subjectType: 'anvandare',
    subjectId: userId,
    details: { metod: method, orsak: reason },
  });
}

/** Where the browser goes after a refusal: the PWA's sign-in screen, which shows the text. */
export function signInRefusedPath(code: SignInRefusalCode): string {
  return `/?fel=${code}`;
}
