import { api } from '../api/client';
import type { Me } from '../app/context';
import { clearLocalDb, getMeta, type LocalDb, setMeta } from '../local/db';

/*
 * Who is signed in. The server decides (auth.me); the phone remembers the last answer so that the
 * app opens offline for the user who was signed in, showing what it already holds.
 */

export type Session =
  | { state: 'signed-in'; me: Me; offline: boolean }
  | { state: 'signed-out'; previous: Me | null };

export async function loadSession(db: LocalDb): Promise<Session> {
  const remembered = (await getMeta<Me>(db, 'me')) ?? null;
  try {
    const me = await api.auth.me.query();
    if (me) {
      await setMeta(db, 'me', me);
      return { state: 'signed-in', me, offline: false };
    }
    return { state: 'signed-out', previous: remembered };
  } catch {
    // The server cannot be reached: carry on offline as whoever was signed in here.
    return remembered
      ? { state: 'signed-in', me: remembered, offline: true }
      : { state: 'signed-out', previous: null };
  }
}

/** After a sign-in: a different user than the last one starts with an empty phone. */
export async function adoptUser(db: LocalDb, me: Me): Promise<void> {
  const previous = await getMeta<Me>(db, 'me');
  if (previous && previous.id !== me.id) await clearLocalDb(db);
  await setMeta(db, 'me', me);
}

/** Signs out on the server (when reachable) and forgets everything on the phone. */
export async function signOut(db: LocalDb): Promise<void> {
  try {
    await api.auth.logout.mutate();
  } catch {
    // Offline or already signed out: the cookie dies with its session; the phone is cleared anyway.
  }
  await clearLocalDb(db);
}

export async function unsentCount(db: LocalDb): Promise<number> {
  return db.count('outbox');
}
