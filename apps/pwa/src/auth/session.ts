import { type AuthStatus, api, type SessionEnded } from '../api/client';
import type { Me } from '../app/context';
import {
  clearLocalDb,
  getMeta,
  type LocalDb,
  recordSessionEnd,
  type SessionEnd,
  setMeta,
} from '../local/db';

/*
 * Who is signed in. The server decides (auth.status); the phone remembers the last answer so that
 * the app opens offline for the user who was signed in, showing what it already holds.
 *
 * When the server has ended the session (idle, absolute lifetime, revoked), the app says why on
 * the sign-in screen, with the username filled in; the outbox and the drafts stay on the device
 * and are sent when the same user signs in again.
 */

export type Session =
  | {
      state: 'signed-in';
      me: Me;
      offline: boolean;
      /**
       * The kommun requires a second factor and this password session has none yet: the app shows
       * only adding one (the server refuses everything else until then).
       */
      mfaEnrolment?: boolean;
    }
  | {
      state: 'signed-out';
      /** Whose work the device holds (the last user signed in here). */
      previous: Me | null;
      /** Set when the server ended the session, rather than the user signing out. */
      ended: SessionEnd | null;
      /** Someone else is signed in at the server (another tab) while the device holds `previous`'s work. */
      other?: Me;
    };

export async function loadSession(db: LocalDb): Promise<Session> {
  const remembered = (await getMeta<Me>(db, 'me')) ?? null;
  const endedBefore = (await getMeta<SessionEnd>(db, 'ended')) ?? null;
  let status: AuthStatus;
  try {
    status = await api.auth.status.query();
  } catch {
    // The server cannot be reached: carry on offline as whoever was signed in here, unless the
    // server has already ended that session.
    if (!remembered) return { state: 'signed-out', previous: null, ended: null };
    if (endedBefore) return { state: 'signed-out', previous: remembered, ended: endedBefore };
    return { state: 'signed-in', me: remembered, offline: true };
  }
  await rememberPolicy(db, status);
  const user = status.user;
  if (user) {
    if (remembered && remembered.id !== user.id && (await unsentWork(db)).total > 0) {
      return { state: 'signed-out', previous: remembered, ended: endedBefore, other: user };
    }
    await adoptUser(db, user);
    return {
      state: 'signed-in',
      me: user,
      offline: false,
      mfaEnrolment: status.mfaEnrolmentRequired === true,
    };
  }
  if (status.sessionEnded) {
    await recordSessionEnd(db, status.sessionEnded);
    return {
      state: 'signed-out',
      previous: remembered,
      ended: (await getMeta<SessionEnd>(db, 'ended')) ?? null,
    };
  }
  return { state: 'signed-out', previous: remembered, ended: endedBefore };
}

/** Keeps the server's session limits for the messages and the idle check. */
export async function rememberPolicy(db: LocalDb, status: AuthStatus): Promise<void> {
  await setMeta(db, 'idleMinutes', status.idleTimeoutMinutes);
  await setMeta(db, 'maxHours', status.sessionMaxHours);
}

/**
 * After a sign-in: a different user than the last one starts with an empty phone (their
 * predecessor's outbox is never sent in their name); the same user keeps the outbox and the
 * drafts, which are then sent.
 */
export async function adoptUser(db: LocalDb, me: Me): Promise<void> {
  const previous = await getMeta<Me>(db, 'me');
  if (previous && previous.id !== me.id) await clearLocalDb(db);
  await setMeta(db, 'me', me);
  await db.delete('meta', 'ended');
}

/**
 * Signs out on the server (when reachable) and forgets everything on the phone. A session that
 * began at the kommun's identity provider then goes on to the provider, to end its session too
 * (the page leaves evb; the provider sends it back to the sign-in screen).
 */
export async function signOut(db: LocalDb): Promise<void> {
  let providerLogout: string | null = null;
  try {
    ({ providerLogout } = await api.auth.logout.mutate());
  } catch {
    // Offline or already signed out: the cookie dies with its session; the phone is cleared anyway.
  }
  await clearLocalDb(db);
  // Only a path of evb's own API, whatever the answer says.
  if (providerLogout?.startsWith('/api/auth/')) window.location.assign(providerLogout);
}

export type UnsentWork = { outbox: number; drafts: number; total: number };

/** What the user wrote that the server does not have yet: the outbox and the open drafts. */
export async function unsentWork(db: LocalDb): Promise<UnsentWork> {
  const [outbox, drafts] = await Promise.all([db.count('outbox'), db.count('drafts')]);
  return { outbox, drafts, total: outbox + drafts };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Why the user must sign in again, in Swedish, for the sign-in screen. `idleMinutes` and
 * `maxHours` are the server's limits when known.
 */
export function sessionEndedMessage(
  reason: SessionEnded | null,
  limits: { idleMinutes?: number | null; maxHours?: number | null } = {},
): string {
  switch (reason) {
    case 'idle':
      return limits.idleMinutes
        ? `Du har varit inaktiv i ${plural(limits.idleMinutes, 'minut', 'minuter')} och har loggats ut. Logga in igen för att fortsätta.`
        : 'Du har varit inaktiv en längre stund och har loggats ut. Logga in igen för att fortsätta.';
    case 'absolute':
      return limits.maxHours
        ? `Din inloggning har gått ut efter ${plural(limits.maxHours, 'timme', 'timmar')}, som är den längsta tid en inloggning gäller. Logga in igen för att fortsätta.`
        : 'Din inloggning har gått ut eftersom den har gällt den längsta tid som är tillåten. Logga in igen för att fortsätta.';
    case 'revoked':
      return 'Din behörighet har ändrats eller tagits bort, och du har loggats ut. Beslut som fanns sparade på enheten har tagits bort från den. Logga in igen om du fortfarande ska använda evb.';
    default:
      return 'Du har loggats ut. Logga in igen för att fortsätta.';
  }
}

/** What stays on the device until the same user signs in again; null when nothing does. */
export function unsentWorkMessage(work: UnsentWork): string | null {
  if (work.total === 0) return null;
  const parts: string[] = [];
  if (work.outbox > 0) {
    parts.push(
      `${plural(work.outbox, 'ändring', 'ändringar')} som väntar på att skickas (de skickas när du har loggat in igen)`,
    );
  }
  if (work.drafts > 0) {
    parts.push(
      `${plural(work.drafts, 'påbörjat formulär', 'påbörjade formulär')} som du kan fortsätta med`,
    );
  }
  return `Det du har skrivit finns kvar på enheten: ${parts.join(' och ')}.`;
}
