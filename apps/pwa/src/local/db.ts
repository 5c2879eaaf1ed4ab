import type { CaseEvent } from '@evb/domain';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { RouterInputs, RouterOutputs, SessionEnded } from '../api/client';

/*
 * The phone's own copy of what it may see, in IndexedDB: it is what the screens read, so they work
 * with no network, and it holds what the user wrote until the server has acknowledged it.
 *
 * - decisions, events, filings: mirrored from sync.pullPacked (its events unpacked).
 * - outbox: the user's changes waiting for sync.push, in the order they were made (uuid v7 keys).
 * - drafts: forms as they are typed, saved on every edit, removed when submitted or thrown away.
 * - meta: the pull cursor, who the copy belongs to, the last successful sync, the organisation,
 *   the server's idle time, and whether (and why) the server ended the session.
 *
 * When the server ends a session, the outbox and the drafts stay (nothing the user wrote is lost)
 * until the same user signs in again and they are sent. A revoked session (the user deactivated,
 * roles changed) also wipes the mirrored decisions: the user may no longer be allowed to see them.
 */

type Pull = RouterOutputs['sync']['pullPacked'];
export type StoredDecision = Pull['decisions'][number];
export type StoredFiling = Pull['filings'][number];
export type Mutation = RouterInputs['sync']['push']['mutations'][number] & {
  kind: 'event';
  event: CaseEvent;
};

export type OutboxItem = {
  /** The mutation's client-generated UUID (v7: sorts in the order the changes were made). */
  id: string;
  mutation: { id: string; kind: 'event'; event: CaseEvent };
  createdAt: string;
  /** Set when the server refused the item: it stays until the user fixes or discards it. */
  rejected: { code: string; reason: string; at: string } | null;
};

export type FormDraft = {
  /** `${form}:${decisionId or "ny"}`: one draft per form and decision. */
  key: string;
  form: string;
  decisionId: string | null;
  data: Record<string, unknown>;
  updatedAt: string;
};

export type MetaKey =
  | 'cursor'
  | 'scopeKey'
  | 'me'
  | 'lastSyncAt'
  | 'org'
  | 'ended'
  | 'idleMinutes'
  | 'maxHours';

/** Stored under `ended` when the server refused the session: until the next sign-in. */
export type SessionEnd = { reason: SessionEnded | null; at: string };

interface EvbDb extends DBSchema {
  decisions: { key: string; value: StoredDecision };
  events: { key: string; value: CaseEvent; indexes: { byDecision: string } };
  filings: { key: string; value: StoredFiling; indexes: { byDecision: string } };
  outbox: { key: string; value: OutboxItem };
  drafts: { key: string; value: FormDraft };
  meta: { key: MetaKey; value: unknown };
}

export type LocalDb = IDBPDatabase<EvbDb>;
export const MIRRORED_STORES = ['decisions', 'events', 'filings'] as const;
export const ALL_STORES = [...MIRRORED_STORES, 'outbox', 'drafts', 'meta'] as const;

export function openLocalDb(name = 'evb'): Promise<LocalDb> {
  return openDB<EvbDb>(name, 1, {
    upgrade(db) {
      db.createObjectStore('decisions', { keyPath: 'id' });
      db.createObjectStore('events', { keyPath: 'id' }).createIndex('byDecision', 'decisionId');
      db.createObjectStore('filings', { keyPath: 'id' }).createIndex('byDecision', 'decisionId');
      db.createObjectStore('outbox', { keyPath: 'id' });
      db.createObjectStore('drafts', { keyPath: 'key' });
      db.createObjectStore('meta');
    },
  });
}

export async function getMeta<T>(db: LocalDb, key: MetaKey): Promise<T | undefined> {
  return (await db.get('meta', key)) as T | undefined;
}

export async function setMeta(db: LocalDb, key: MetaKey, value: unknown): Promise<void> {
  await db.put('meta', value, key);
}

/** The meta entries that describe the mirror: gone with it, so the next pull starts over. */
const MIRROR_META = ['cursor', 'scopeKey', 'org', 'lastSyncAt'] as const satisfies MetaKey[];

/**
 * Forgets what was mirrored from the server (decisions, events, filings, the organisation and
 * the pull cursor), keeping the outbox, the drafts and who they belong to.
 */
export async function wipeMirror(db: LocalDb): Promise<void> {
  const tx = db.transaction([...MIRRORED_STORES, 'meta'], 'readwrite');
  await Promise.all([
    ...MIRRORED_STORES.map((s) => tx.objectStore(s).clear()),
    ...MIRROR_META.map((key) => tx.objectStore('meta').delete(key)),
    tx.done,
  ]);
}

/**
 * The server says the session has ended: remember it (an offline reload still asks for a sign-in)
 * and, when it was revoked, wipe the mirror. The outbox and the drafts stay.
 */
export async function recordSessionEnd(db: LocalDb, reason: SessionEnded | null): Promise<void> {
  if (reason === 'revoked') await wipeMirror(db);
  const end: SessionEnd = { reason, at: new Date().toISOString() };
  await setMeta(db, 'ended', end);
}

/** Forgets everything: on sign-out, or when another user signs in on this device. */
export async function clearLocalDb(db: LocalDb): Promise<void> {
  const tx = db.transaction(ALL_STORES, 'readwrite');
  await Promise.all([...ALL_STORES.map((s) => tx.objectStore(s).clear()), tx.done]);
}
