import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { findSamlSession, insertSamlLogout, takeSamlLogout } from '../../data/saml';
import type { Db } from '../../db/database';
import type { SamlSubject } from './service-provider';

/*
 * Single logout after auth.logout. The PWA signs out with auth.logout (a mutation, Origin-checked),
 * which ends the evb session at once; for a session that began with SAML it then sends the browser
 * to the address returned here, /api/auth/saml/logout?ticket=…, which goes on to the IdP with a
 * signed LogoutRequest. The session (and its NameID and SessionIndex) is gone by then, so they are
 * kept under a one-time ticket: random, only its SHA-256 stored, taken once within five minutes.
 */

export const LOGOUT_TICKET_MS = 5 * 60 * 1000;

function hashTicket(ticket: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(ticket)));
}

/**
 * Where the browser goes to end the IdP's session too, for a session that began with SAML; null
 * for any other. Call it before the session is ended.
 */
export async function samlProviderLogout(
  db: Db,
  sessionId: string,
  now = new Date(),
): Promise<string | null> {
  const session = await findSamlSession(db, sessionId);
  if (!session) return null;
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  const ticket = encodeBase64urlNoPadding(bytes);
  const { nameId, nameIdFormat, sessionIndex } = session;
  await insertSamlLogout(db, hashTicket(ticket), { nameId, nameIdFormat, sessionIndex }, now);
  return `/api/auth/saml/logout?ticket=${ticket}`;
}

/** The subject a ticket was kept for, once; undefined when unknown, used or too old. */
export async function takeLogoutTicket(
  db: Db,
  ticket: string,
  now = new Date(),
): Promise<SamlSubject | undefined> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(ticket)) return undefined;
  return takeSamlLogout(db, hashTicket(ticket), new Date(now.getTime() - LOGOUT_TICKET_MS));
}
