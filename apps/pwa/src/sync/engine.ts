import type { CaseEvent } from '@evb/domain';
import { v7 as uuidv7 } from 'uuid';
import {
  errorMessage,
  type RouterInputs,
  type RouterOutputs,
  type SessionEnded,
  unauthorizedOf,
} from '../api/client';
import { getMeta, type LocalDb, type OutboxItem, recordSessionEnd, setMeta } from '../local/db';
import { type PagePuller, pullPageInto } from './pull-page';

/*
 * Moves the outbox up and the server's changes down (Replicache's model: client-made ids, pushes
 * the server applies once per id, pulls from a server cursor).
 *
 * - An event the user submits goes into the outbox first, online or not; the outbox is sent in the
 *   order it was made, and an item leaves it only when the server has acknowledged it. A refused
 *   item stays, with the server's reason, until the user fixes or discards it.
 * - A push that never reached the server (no network, server down) changes nothing: the same
 *   mutation ids are sent again later, and the server answers a repeated id with its first answer,
 *   so an event is stored exactly once however often it is sent.
 * - The engine sends only for the user it was started for ({@link SyncEngine.signedIn}), and only
 *   while the device's copy is still that user's: another user's outbox is never sent under the
 *   session of whoever signed in next. When the server ends the session, it stops until the next
 *   sign-in; the outbox and the drafts stay (a revoked session also wipes the mirrored decisions).
 */

export type SyncApi = {
  push(input: RouterInputs['sync']['push']): Promise<RouterOutputs['sync']['push']>;
  pull(input: RouterInputs['sync']['pullPacked']): Promise<RouterOutputs['sync']['pullPacked']>;
  org(): Promise<RouterOutputs['org']['overview']>;
};

export type SyncState = {
  /** The browser says it has a network. */
  online: boolean;
  syncing: boolean;
  /** Items waiting to be sent (not refused). */
  pending: number;
  /** Items the server refused, with its reasons. */
  rejected: OutboxItem[];
  /** When a push and pull last went through (ISO timestamp). */
  lastSyncAt: string | null;
  /** Why the last attempt failed, in Swedish; null after a success. */
  error: string | null;
  /** The server no longer knows the session: sign in again (the outbox is kept). */
  needsSignIn: boolean;
  /** Why the server ended the session, when it said (with needsSignIn). */
  ended: SessionEnded | null;
  /** While a first sync is under way: decisions fetched so far, of how many. */
  fetching: { done: number; total: number } | null;
};

const PUSH_BATCH = 100;
const PULL_LIMIT = 500;

/** Refusals that are about the moment, not the item: sent again later instead of shown as refused. */
const TRANSIENT = new Set(['INTERNAL_SERVER_ERROR']);

export class SyncEngine {
  private state: SyncState;
  private readonly listeners = new Set<() => void>();
  private running: Promise<void> | null = null;
  private again = false;
  /** The user whose outbox this engine sends; null until signed in and after the session ends. */
  private owner: string | null = null;

  private readonly puller: PagePuller;

  /**
   * `puller` fetches and writes one page of sync.pullPacked: in the browser the pull worker (off the main
   * thread); by default `api.pull` in this thread.
   */
  constructor(
    private readonly db: LocalDb,
    private readonly api: SyncApi,
    online = typeof navigator === 'undefined' ? true : navigator.onLine,
    puller?: PagePuller,
  ) {
    this.puller = puller ?? ((limit) => pullPageInto(db, (input) => this.api.pull(input), limit));
    this.state = {
      online,
      syncing: false,
      pending: 0,
      rejected: [],
      lastSyncAt: null,
      error: null,
      needsSignIn: false,
      ended: null,
      fetching: null,
    };
  }

  // --- state for React (useSyncExternalStore) --------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SyncState => this.state;

  private set(patch: Partial<SyncState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** Reads the outbox and the last sync time into the state (at start and after every change). */
  async refresh(): Promise<void> {
    const [items, lastSyncAt] = await Promise.all([
      this.db.getAll('outbox'),
      getMeta<string>(this.db, 'lastSyncAt'),
    ]);
    this.set({
      pending: items.filter((i) => !i.rejected).length,
      rejected: items.filter((i) => i.rejected),
      lastSyncAt: lastSyncAt ?? null,
    });
  }

  setOnline(online: boolean): void {
    this.set({ online });
    if (online) void this.sync();
  }

  /** Starts sending for this user (the device's copy must be theirs: adoptUser). */
  signedIn(userId: string): void {
    this.owner = userId;
    this.set({ needsSignIn: false, ended: null, error: null });
    void this.sync();
  }

  /** Stops sending: signed out, or nobody is signed in yet. */
  signedOut(): void {
    this.owner = null;
  }

  /**
   * The server refused the session (a 401 to any call, not only the engine's): stop, remember it,
   * wipe the mirror when the session was revoked, and ask for a sign-in. The outbox and the drafts
   * stay.
   */
  async sessionEnded(reason: SessionEnded | null): Promise<void> {
    // Nobody signed in (or already ended): nothing to end.
    if (this.owner === null) return;
    this.owner = null;
    await recordSessionEnd(this.db, reason);
    this.set({ needsSignIn: true, ended: reason, error: 'Logga in igen för att skicka.' });
    for (const listener of this.changeListeners) listener();
  }

  // --- the outbox ------------------------------------------------------------------------------

  /**
   * Puts an event in the outbox (with a fresh mutation id) and tries to send it at once. The form's
   * draft is removed in the same transaction: the text is always in one of the two.
   */
  async enqueueEvent(event: CaseEvent, draftKey?: string): Promise<void> {
    await this.enqueueEvents([event], draftKey);
  }

  /**
   * Puts several events in the outbox in one transaction, all or none, to be sent in this order
   * (their mutation ids rise): a voiding and the event that logs it again as it should have been.
   */
  async enqueueEvents(events: readonly CaseEvent[], draftKey?: string): Promise<void> {
    const createdAt = new Date().toISOString();
    const tx = this.db.transaction(['outbox', 'drafts'], 'readwrite');
    for (const event of events) {
      const id = uuidv7();
      const item: OutboxItem = {
        id,
        mutation: { id, kind: 'event', event },
        createdAt,
        rejected: null,
      };
      await tx.objectStore('outbox').put(item);
    }
    if (draftKey) await tx.objectStore('drafts').delete(draftKey);
    await tx.done;
    await this.changed();
    void this.sync();
  }

  /** Throws a refused item away. */
  async discard(id: string): Promise<void> {
    await this.db.delete('outbox', id);
    await this.changed();
  }

  /**
   * Replaces a refused item with the corrected event, under new ids: the server has answered the
   * old mutation id for good, and its event was never stored.
   */
  async resubmit(id: string, event: CaseEvent): Promise<void> {
    await this.db.delete('outbox', id);
    await this.enqueueEvent({ ...event, id: uuidv7() });
  }

  private async changed(): Promise<void> {
    await this.refresh();
    for (const listener of this.changeListeners) listener();
  }

  // --- sync ------------------------------------------------------------------------------------

  /** Pushes the outbox, then pulls; one run at a time (a call during a run queues one more). */
  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.runOnce();
      } while (this.again && this.state.online && this.owner !== null);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runOnce(): Promise<void> {
    if (!this.state.online || this.owner === null) return;
    // Another tab signed out, or in as someone else: this copy is no longer the owner's.
    const me = await getMeta<{ id: string }>(this.db, 'me');
    if (me?.id !== this.owner) {
      this.owner = null;
      this.set({ needsSignIn: true, ended: null });
      return;
    }
    this.set({ syncing: true });
    try {
      await this.push();
      await this.pull();
      const org = await this.api.org();
      await setMeta(this.db, 'org', org);
      await setMeta(this.db, 'lastSyncAt', new Date().toISOString());
      this.set({ error: null });
    } catch (error) {
      const unauthorized = unauthorizedOf(error);
      if (unauthorized) await this.sessionEnded(unauthorized.ended);
      else this.set({ error: errorMessage(error) });
    } finally {
      await this.refresh();
      this.set({ syncing: false });
      for (const listener of this.changeListeners) listener();
    }
  }

  private async push(): Promise<void> {
    for (;;) {
      const waiting = (await this.db.getAll('outbox')).filter((i) => !i.rejected);
      if (waiting.length === 0) return;
      const batch = waiting.slice(0, PUSH_BATCH);
      const answers = await this.api.push({ mutations: batch.map((i) => i.mutation) });
      const byId = new Map(answers.map((a) => [a.id, a]));
      const tx = this.db.transaction(['outbox', 'events'], 'readwrite');
      let transient = false;
      for (const item of batch) {
        const answer = byId.get(item.id);
        if (!answer) continue;
        if (answer.status === 'applied') {
          if ('event' in answer.result) await tx.objectStore('events').put(answer.result.event);
          await tx.objectStore('outbox').delete(item.id);
        } else if (TRANSIENT.has(answer.code)) {
          transient = true;
        } else {
          await tx.objectStore('outbox').put({
            ...item,
            rejected: { code: answer.code, reason: answer.reason, at: new Date().toISOString() },
          });
        }
      }
      await tx.done;
      if (transient) throw new Error('Servern kunde inte ta emot allt just nu; det skickas igen.');
      if (batch.length < PUSH_BATCH) return;
    }
  }

  /**
   * Pulls page after page, each written in one transaction with its cursor, so a reload resumes
   * where the last written page ended. The screens re-read after every page: a first sync shows
   * the most urgent decisions (its first page) while the rest is fetched.
   */
  private async pull(): Promise<void> {
    try {
      for (;;) {
        const more = await this.pullPage();
        for (const listener of this.changeListeners) listener();
        if (!more) return;
      }
    } finally {
      if (this.state.fetching) this.set({ fetching: null });
    }
  }

  /** One page, fetched and written by the puller (in the browser: the pull worker); true when another follows. */
  private async pullPage(): Promise<boolean> {
    const page = await this.puller(PULL_LIMIT);
    this.set({ fetching: page.progress && page.more ? page.progress : null });
    return page.more;
  }

  // --- data changes, for the screens to re-read ------------------------------------------------

  private readonly changeListeners = new Set<() => void>();

  onDataChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }
}
