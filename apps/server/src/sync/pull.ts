import { createHash } from 'node:crypto';
import {
  type IsoDate,
  isKeptOnDevice,
  type PackedEvents,
  packEvents,
  type SyncedEvent,
  syncWindowStart,
} from '@evb/domain';
import { type PersonView, personView, storedPersonOf } from '../access/redaction';
import { type DecisionScope, decisionScope, syncScope } from '../access/scope';
import { insertAudit } from '../data/audit';
import {
  changedDecisions,
  changedEvents,
  changedFilings,
  countKeptDecisions,
  decisionsEntered,
  decisionsLeavingWindow,
  decisionsOfChangedPersons,
  decisionsRegained,
  draftIdsOfDecisions,
  eventsOfDecisions,
  filingsOfDecisions,
  type KeyRange,
  lastCommittedSeq,
  type PulledDecision,
  type PulledEvent,
  pullDeletedDrafts,
  pullDrafts,
  pullRemovedDecisions,
  readDecisionsByIds,
  snapshotDecisions,
} from '../data/sync';
import type { Db } from '../db/database';
import { toDomainEvent } from '../services/case-events';
import type { AuthUser } from '../trpc/context';
import { decodeCursor, encodeCursor, type SyncCursor } from './cursor';
import type { DraftView } from './push';
import { DEFAULT_PULL_LIMIT, type PullInput } from './schemas';

/*
 * sync.pull: what the caller's device keeps, and then what changed of it.
 *
 * A device keeps the decisions of its user's offline roles (utförare, matchare, handläggare; a
 * rapportör's screens read online) that are waiting, or that settled within the sync window
 * (DEFAULT_SYNC_WINDOW_MONTHS, SYNC_WINDOW_MONTHS), with their events and filings, and the
 * user's drafts.
 *
 * - A first sync (no cursor, or one that cannot go on) sends those decisions in pages of `limit`,
 *   most urgent first, each with all its events and filings, and says how far it has come
 *   (`progress`); its cursor lets a device resume it after a reload. Its first page has `reset`:
 *   the device drops what it held.
 * - Then pulls read what changed after the last change seen: decisions, persons, events, filings,
 *   drafts, each by its seq on an index. A decision that reached the caller (ordered to their
 *   unit) or that changed after the device had let it go (it waits again) comes with its whole
 *   history; one they can no longer
 *   see, one that settled before the window, and one whose settling day the window has passed are
 *   listed in `removed.decisions` for the device to forget (with the caller's drafts of them).
 * - A pull reads at most SCAN_SPAN seqs of changes: its cost follows what changed, never the size
 *   of the database. A device that has been away for more than CATCH_UP_LIMIT changes syncs anew.
 * - The first sync starts over when the caller's roles changed (`scopeKey` differs), when the
 *   cursor is none this database gave, and when the window starts earlier than the device's.
 */

/** Seqs of changes read by one pull at most. */
export const SCAN_SPAN = 20_000;
/** A device further behind than this syncs anew: cheaper than reading every change. */
export const CATCH_UP_LIMIT = 200_000;

export type DecisionView = {
  id: string;
  namndId: string;
  verksamhetsomrade: string;
  inriktning: string | null;
  inriktningText: string | null;
  lagrum: 'SoL' | 'LSS';
  insats: string;
  beslutsdatum: string;
  forhandsbesked: boolean;
  ersatterBeslutId: string | null;
  handlaggareId: string;
  enhetId: string | null;
  extern: boolean;
  person: PersonView;
};

/** A line filed with IVO: a device needs only which quarters of a decision are filed. */
export type FilingView = { id: string; decisionId: string; quarter: string };

export type PullResult = {
  /** Send this back as the next pull's cursor (opaque). */
  cursor: string;
  /** Pull again at once: the first sync has more pages, or more changes wait. */
  more: boolean;
  /** The device should forget everything it holds and keep what this and the following pages bring. */
  reset: boolean;
  /** Send this back with the next pull. */
  scopeKey: string;
  /** During a first sync: decisions sent so far, of how many. */
  progress: { done: number; total: number } | null;
  decisions: DecisionView[];
  /** With who logged each: a device decides who may void it, and shows who did (makulering). */
  events: SyncedEvent[];
  filings: FilingView[];
  drafts: DraftView[];
  removed: { decisions: string[]; drafts: string[] };
};

/** sync.pullPacked's page: its events packed (the domain's sync-wire.ts), the rest as pull's. */
export type PackedPullResult = Omit<PullResult, 'events'> & PackedEvents;

export function packPage({ events, ...page }: PullResult): PackedPullResult {
  return { ...page, ...packEvents(events) };
}

export type PullOptions = { today: IsoDate; windowMonths: number };

export async function pullChanges(
  db: Db,
  user: AuthUser,
  input: PullInput,
  options: PullOptions,
): Promise<PullResult> {
  const scope = syncScope(user);
  // Drafts follow what the user may see at all; the key changes with any of their roles.
  const draftScope = decisionScope(user);
  const scopeKey = scopeKeyOf(draftScope);
  const limit = input.limit ?? DEFAULT_PULL_LIMIT;
  const window = syncWindowStart(options.today, options.windowMonths);
  // One snapshot for every query of the page.
  const { result, firstPage } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const last = await lastCommittedSeq(trx);
      let cursor = typeof input.cursor === 'string' ? decodeCursor(input.cursor) : null;
      if (
        cursor !== null &&
        ((input.scopeKey !== undefined && input.scopeKey !== scopeKey) ||
          cursor.seq > last ||
          (cursor.phase === 'changes' &&
            (window < cursor.window || last - cursor.seq > CATCH_UP_LIMIT)))
      ) {
        cursor = null;
      }
      const reader: PageReader = { db: trx, user, scope, draftScope, window, last, limit };
      const page =
        cursor?.phase === 'changes'
          ? await changesPage(reader, cursor)
          : await snapshotPage(reader, cursor);
      const result: PullResult = { ...page, reset: cursor === null, scopeKey };
      return { result, firstPage: cursor?.phase !== 'changes' };
    });
  // Audited after the snapshot's transaction, before anything is answered: the audit log's chain
  // is made at commit under a lock that a repeatable-read snapshot cannot read past (0014).
  const decisionIds = [
    ...new Set([
      ...result.decisions.map((d) => d.id),
      ...result.events.map((e) => e.decisionId),
      ...result.filings.map((f) => f.decisionId),
    ]),
  ];
  const namnder = [...new Set(result.decisions.map((d) => d.namndId))];
  await insertAudit(db, {
    userId: user.id,
    role: user.roles.map((r) => r.role).join(','),
    action: 'sync_pull',
    subjectType: decisionIds.length > 0 ? 'beslut' : null,
    namndId: namnder.length === 1 ? namnder[0] : null,
    details: {
      forsta: firstPage,
      omstart: result.reset,
      fler: result.more,
      beslut: decisionIds,
      handelser: result.events.length,
      utkast: result.drafts.length,
      borttagna: result.removed.decisions,
    },
  });
  return result;
}

type PageReader = {
  db: Db;
  user: AuthUser;
  /** What the device keeps: the decisions of the user's offline roles. */
  scope: DecisionScope;
  /** What the user may see at all: their drafts of those decisions come along. */
  draftScope: DecisionScope;
  /** Today's first day of the sync window. */
  window: IsoDate;
  /** The last change committed (lastCommittedSeq). */
  last: number;
  limit: number;
};

type Page = Omit<PullResult, 'reset' | 'scopeKey'>;

/** A page of a first sync: the next `limit` decisions, most urgent first, with their history. */
async function snapshotPage(
  r: PageReader,
  cursor: Extract<SyncCursor, { phase: 'snapshot' }> | null,
): Promise<Page> {
  const at = cursor ?? {
    phase: 'snapshot' as const,
    seq: r.last,
    window: r.window,
    after: null,
    total: await countKeptDecisions(r.db, r.scope, r.window),
    done: 0,
  };
  // One more than a page: whether another follows.
  const read = await snapshotDecisions(r.db, r.scope, at.window, at.after, r.limit + 1);
  const rows = read.slice(0, r.limit);
  const ids = rows.map((row) => row.id);
  const events = await eventsOfDecisions(r.db, ids);
  const filings = await filingsOfDecisions(r.db, ids);
  const drafts =
    cursor === null
      ? await pullDrafts(r.db, r.draftScope, r.user.id, { after: 0, upTo: at.seq })
      : [];
  const done = at.done + rows.length;
  const lastRow = rows.at(-1);
  const next: SyncCursor =
    read.length > r.limit && lastRow
      ? { ...at, after: { urgency: Number(lastRow.urgency), id: lastRow.id }, done }
      : { phase: 'changes', seq: at.seq, window: at.window };
  return {
    cursor: encodeCursor(next),
    // After the last page, the changes made while the pages went out.
    more: next.phase === 'snapshot' || at.seq < r.last,
    progress: { done, total: Math.max(at.total, done) },
    decisions: rows.map((row) => decisionView(r.user, row)),
    events: events.map(eventView),
    filings: filings.map(filingView),
    drafts: drafts.map(draftView),
    removed: { decisions: [], drafts: [] },
  };
}

type Keyed = { key: number };

/** A page of changes after the cursor's seq, at most SCAN_SPAN seqs and about `limit` rows. */
async function changesPage(
  r: PageReader,
  cursor: Extract<SyncCursor, { phase: 'changes' }>,
): Promise<Page> {
  const { db, scope, window } = r;
  const after = cursor.seq;
  const upTo = Math.min(r.last, after + SCAN_SPAN);
  const changed = stream((k) => changedDecisions(db, scope, k));
  const persons = stream((k) => decisionsOfChangedPersons(db, scope, window, k));
  const entered = stream((k) => decisionsEntered(db, scope, window, k));
  const regained = stream((k) => decisionsRegained(db, scope, window, cursor.window, k));
  const events = stream((k) => changedEvents(db, scope, window, k));
  const filings = stream((k) => changedFilings(db, scope, window, k));
  const drafts = stream((k) => pullDrafts(db, r.draftScope, r.user.id, k));
  const removedDecisions = stream((k) => pullRemovedDecisions(db, scope, k));
  const deletedDrafts = stream((k) => pullDeletedDrafts(db, r.user.id, k));
  const streams = [
    changed,
    persons,
    entered,
    regained,
    events,
    filings,
    drafts,
    removedDecisions,
    deletedDrafts,
  ];

  // Up to limit + 1 rows of each kind: together they hold the first limit + 1 keys of all.
  for (const s of streams) await s.fetch({ after, upTo, limit: r.limit + 1 });
  const keys = streams.flatMap((s) => s.rows.map((row) => row.key)).sort((a, b) => a - b);
  let next = upTo;
  let more = upTo < r.last;
  if (keys.length > r.limit) {
    next = keys[r.limit - 1]!;
    more = true;
    for (const s of streams) {
      const full = s.rows.length === r.limit + 1;
      s.rows = s.rows.filter((row) => row.key <= next);
      // This kind may have more rows with the page's last key than were read.
      if (full && s.rows.length === r.limit + 1) await s.fetch({ after, upTo: next });
    }
  }

  const kept = changed.rows.filter((row) => isKeptOnDevice(row.settledOn, window));
  const enteredIds = [...new Set([...entered.rows, ...regained.rows].map((row) => row.id))];
  const decisionIds = new Set([
    ...kept.map((row) => row.id),
    ...persons.rows.map((row) => row.id),
    ...enteredIds,
  ]);
  // Settled before the window, or the window has passed the day it settled.
  const leaving =
    window > cursor.window ? await decisionsLeavingWindow(db, scope, cursor.window, window) : [];
  const removedIds = [
    ...new Set([
      ...removedDecisions.rows.map((row) => row.id),
      ...changed.rows.filter((row) => !isKeptOnDevice(row.settledOn, window)).map((row) => row.id),
      ...leaving,
    ]),
  ].filter((id) => !decisionIds.has(id));

  const nextCursor: SyncCursor = {
    phase: 'changes',
    seq: next,
    // Never earlier than the cursor's: a pull from a later window starts over.
    window,
  };
  return {
    cursor: encodeCursor(nextCursor),
    more,
    progress: null,
    decisions: (await readDecisionsByIds(db, [...decisionIds])).map((row) =>
      decisionView(r.user, row),
    ),
    events: uniqueById([...events.rows, ...(await eventsOfDecisions(db, enteredIds))]).map(
      eventView,
    ),
    filings: uniqueById([...filings.rows, ...(await filingsOfDecisions(db, enteredIds))]).map(
      filingView,
    ),
    drafts: drafts.rows.map(draftView),
    removed: {
      decisions: removedIds,
      drafts: [
        ...deletedDrafts.rows.map((row) => row.id),
        ...(await draftIdsOfDecisions(db, r.user.id, removedIds)),
      ],
    },
  };
}

/** One kind of row, read a range at a time. */
function stream<R extends Keyed>(read: (range: KeyRange) => Promise<R[]>) {
  const s = {
    rows: [] as R[],
    async fetch(range: KeyRange) {
      s.rows = await read(range);
    },
  };
  return s;
}

function uniqueById<T extends { id: string }>(rows: readonly T[]): T[] {
  return [...new Map(rows.map((row) => [row.id, row])).values()];
}

function eventView(row: PulledEvent): PullResult['events'][number] {
  return { ...toDomainEvent(row), recordedBy: { id: row.recordedBy, namn: row.recordedByNamn } };
}

function draftView(row: Awaited<ReturnType<typeof pullDrafts>>[number]): DraftView {
  return {
    id: row.id,
    decisionId: row.decisionId,
    form: row.form ?? '',
    data: row.data ?? {},
    updatedAt: isoTime(row.updatedAt),
  };
}

function decisionView(user: AuthUser, row: PulledDecision): DecisionView {
  return {
    id: row.id,
    namndId: row.namndId,
    verksamhetsomrade: row.verksamhetsomrade,
    inriktning: row.inriktning,
    inriktningText: row.inriktningText,
    lagrum: row.lagrum,
    insats: row.insats,
    beslutsdatum: row.beslutsdatum,
    forhandsbesked: row.forhandsbesked,
    ersatterBeslutId: row.ersatterBeslutId,
    handlaggareId: row.handlaggareId,
    enhetId: row.enhetId,
    extern: row.extern,
    person: personView(user, row, storedPersonOf(row)),
  };
}

function filingView(row: { id: string; decisionId: string; quarter: string }): FilingView {
  return { id: row.id, decisionId: row.decisionId, quarter: row.quarter };
}

/** A timestamp column as ISO text (the schema types some generated ones loosely). */
function isoTime(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** A short fingerprint of what the caller may see: it changes when their roles do. */
export function scopeKeyOf(scope: DecisionScope): string {
  const canonical = JSON.stringify({
    enhetIds: [...scope.enhetIds].sort(),
    handlaggareId: scope.handlaggareId,
    namndAreas: scope.namndAreas.map((a) => `${a.namndId}/${a.verksamhetsomrade ?? '*'}`).sort(),
  });
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}
