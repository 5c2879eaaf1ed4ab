/*
 * Persistent storage: without it, a browser short of space may evict the site's IndexedDB, and with
 * it the drafts and the outbox that exist nowhere else. The app asks once per sign-in; Chromium
 * and Safari answer on their own (an installed app, a bookmarked site), Firefox asks the user once
 * and remembers the answer.
 */

export type Persistence = 'granted' | 'not-granted' | 'unsupported';

type StorageManagerLike = Pick<StorageManager, 'persist' | 'persisted'>;

function manager(): StorageManagerLike | null {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  return storage && typeof storage.persisted === 'function' ? storage : null;
}

/** What the browser says now, without asking for anything. */
export async function persistence(storage = manager()): Promise<Persistence> {
  if (!storage) return 'unsupported';
  try {
    return (await storage.persisted()) ? 'granted' : 'not-granted';
  } catch {
    return 'unsupported';
  }
}

/** Asks for persistent storage unless it is already granted; returns what the browser decided. */
export async function requestPersistence(storage = manager()): Promise<Persistence> {
  if (!storage || typeof storage.persist !== 'function') return persistence(storage);
  try {
    if (await storage.persisted()) return 'granted';
    return (await storage.persist()) ? 'granted' : 'not-granted';
  } catch {
    return persistence(storage);
  }
}

/** What it means for the user, in Swedish (the Synkronisering screen). */
export const PERSISTENCE_TEXT: Record<Persistence, { label: string; meaning: string }> = {
  granted: {
    label: 'Beständig',
    meaning:
      'Lagringen är beständig: utkast och osända ändringar raderas inte av webbläsaren, inte ens om utrymmet på enheten tar slut.',
  },
  'not-granted': {
    label: 'Inte beständig',
    meaning:
      'Beständig lagring är inte beviljad: om utrymmet på enheten tar slut kan webbläsaren radera det som är sparat här, även utkast och ändringar som inte har skickats. Synka när du har anslutning. Att installera evb som app på enheten gör ofta att webbläsaren beviljar beständig lagring.',
  },
  unsupported: {
    label: 'Okänd',
    meaning:
      'Webbläsaren kan inte lova att det som är sparat på enheten får vara kvar: utkast och osända ändringar kan raderas om utrymmet tar slut. Synka när du har anslutning.',
  },
};
