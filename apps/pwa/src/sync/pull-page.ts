import { unpackEvents } from '@evb/domain';
import type { RouterInputs, RouterOutputs } from '../api/client';
import { getMeta, type LocalDb, MIRRORED_STORES } from '../local/db';

/*
 * One page of sync.pullPacked, fetched, its events unpacked (the domain's sync-wire.ts) and
 * written to the device's copy in one transaction with its cursor, so a reload resumes where the
 * last written page ended. In the browser this runs in the
 * pull worker (pull-worker.ts): the request, the parsing of its JSON and the writes stay off the
 * main thread. Tests (and a browser without module workers) run it in the same thread.
 */

export type PullPage = (
  input: RouterInputs['sync']['pullPacked'],
) => Promise<RouterOutputs['sync']['pullPacked']>;

/** What the engine needs to know about a page once it is written. */
export type PulledPage = {
  /** Another page follows. */
  more: boolean;
  /** During a first sync: decisions fetched so far, of how many. */
  progress: { done: number; total: number } | null;
};

/** Pulls and writes one page; the engine's only way to the server's changes. */
export type PagePuller = (limit: number) => Promise<PulledPage>;

/**
 * A first sync's first page holds this many decisions at most: the most urgent, which the first
 * screen shows while the rest comes in full pages (a page of 500 with its events takes seconds to
 * fetch and write on a phone).
 */
export const FIRST_PAGE_LIMIT = 50;

export async function pullPageInto(
  db: LocalDb,
  pull: PullPage,
  limit: number,
): Promise<PulledPage> {
  // Text from this version of the server; a number from an earlier one (it starts over).
  const cursor = (await getMeta<string | number>(db, 'cursor')) ?? null;
  const scopeKey = await getMeta<string>(db, 'scopeKey');
  const pageLimit = cursor === null ? Math.min(limit, FIRST_PAGE_LIMIT) : limit;
  const page = await pull({ cursor, limit: pageLimit, ...(scopeKey ? { scopeKey } : {}) });
  const pulledEvents = unpackEvents(page);
  const tx = db.transaction([...MIRRORED_STORES, 'meta'], 'readwrite');
  const decisions = tx.objectStore('decisions');
  const events = tx.objectStore('events');
  const filings = tx.objectStore('filings');
  if (page.reset) await Promise.all(MIRRORED_STORES.map((s) => tx.objectStore(s).clear()));
  for (const id of page.removed.decisions) {
    const [eventKeys, filingKeys] = await Promise.all([
      events.index('byDecision').getAllKeys(id),
      filings.index('byDecision').getAllKeys(id),
    ]);
    await Promise.all([
      decisions.delete(id),
      ...eventKeys.map((key) => events.delete(key)),
      ...filingKeys.map((key) => filings.delete(key)),
    ]);
  }
  // Queued together, not one round trip each: a first sync's page holds thousands of rows.
  await Promise.all([
    ...page.decisions.map((d) => decisions.put(d)),
    ...pulledEvents.map((e) => events.put(e)),
    ...page.filings.map((f) => filings.put(f)),
    tx.objectStore('meta').put(page.cursor, 'cursor'),
    tx.objectStore('meta').put(page.scopeKey, 'scopeKey'),
  ]);
  await tx.done;
  return { more: page.more, progress: page.progress ?? null };
}
