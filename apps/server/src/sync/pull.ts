import { createHash } from 'node:crypto';
import type { CaseEvent } from '@evb/domain';
import { type PersonView, personView, storedPersonOf } from '../access/redaction';
import { type DecisionScope, decisionScope } from '../access/scope';
import { insertAudit } from '../data/audit';
import {
  draftIdsOfDecisions,
  type KeyRange,
  lastChangeSeq,
  pullDecisions,
  pullDeletedDrafts,
  pullDrafts,
  pullEvents,
  pullFilings,
  pullRemovedDecisions,
} from '../data/sync';
import type { Db } from '../db/database';
import { toDomainEvent } from '../services/case-events';
import type { AuthUser } from '../trpc/context';
import type { DraftView } from './push';
import { DEFAULT_PULL_LIMIT, type PullInput } from './schemas';

/*
 * sync.pull: everything the caller may see that changed after their cursor, in change order.
 *
 * Each kind of row has a key drawn from the one change sequence; a page is every row whose key lies
 * after the cursor and up to the page's last key, and that key is the next cursor. Writers draw
 * seqs under one lock, so once a pull has seen a key, nothing at or below it can still commit.
 *
 * - A decision's key moves when it, its person, or its order changes. Its events, filings and the
 *   caller's drafts of it are keyed by their own seq or by the decision's last change of scope,
 *   whichever is later: a decision ordered to the caller's unit arrives with its whole history.
 * - A decision the caller could see before such a change and no longer can is listed in
 *   `removed.decisions` (with the caller's drafts of it in `removed.drafts`), for the phone to forget.
 * - When the caller's roles changed since the last pull (`scopeKey` differs) or the cursor is
 *   unknown to this database, the pull starts over: `reset: true`, the phone drops what it holds and
 *   keeps what the pages from here on bring.
 * - Rows with the same key are never split over two pages, so a page may hold a few more than
 *   `limit` rows.
 */

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
  orderedAt: string | null;
  extern: boolean;
  createdAt: string;
  person: PersonView;
};

export type FilingView = {
  id: string;
  decisionId: string;
  episodeStart: string;
  quarter: string;
  report: 'ny' | 'ater';
  status: string;
  filedOn: string;
  filedBy: string;
  filedAt: string;
};

export type PullResult = {
  /** Send this back as the next pull's cursor. */
  cursor: number;
  /** The page was cut at the limit: pull again at once. */
  more: boolean;
  /** The phone should forget everything it holds and keep what this and the following pages bring. */
  reset: boolean;
  /** Send this back with the next pull. */
  scopeKey: string;
  decisions: DecisionView[];
  /** With who logged each: a phone decides who may void it, and shows who did (makulering). */
  events: (CaseEvent & { recordedBy?: { id: string; namn: string } })[];
  filings: FilingView[];
  drafts: DraftView[];
  removed: { decisions: string[]; drafts: string[] };
};

export async function pullChanges(db: Db, user: AuthUser, input: PullInput): Promise<PullResult> {
  const scope = decisionScope(user);
  const scopeKey = scopeKeyOf(scope);
  const limit = input.limit ?? DEFAULT_PULL_LIMIT;
  // One snapshot for every query of the page.
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      let cursor = input.cursor;
      if (
        cursor !== null &&
        ((input.scopeKey !== undefined && input.scopeKey !== scopeKey) ||
          cursor > (await lastChangeSeq(trx)))
      ) {
        cursor = null;
      }
      const page = await readPage(trx, user, scope, cursor, limit);
      const result: PullResult = { ...page, reset: cursor === null, scopeKey };
      const decisionIds = [
        ...new Set([
          ...result.decisions.map((d) => d.id),
          ...result.events.map((e) => e.decisionId),
          ...result.filings.map((f) => f.decisionId),
        ]),
      ];
      const namnder = [...new Set(result.decisions.map((d) => d.namndId))];
      await insertAudit(trx, {
        userId: user.id,
        role: user.roles.map((r) => r.role).join(','),
        action: 'sync_pull',
        subjectType: decisionIds.length > 0 ? 'beslut' : null,
        namndId: namnder.length === 1 ? namnder[0] : null,
        details: {
          markor: input.cursor,
          nyMarkor: result.cursor,
          omstart: result.reset,
          fler: result.more,
          beslut: decisionIds,
          handelser: result.events.length,
          utkast: result.drafts.length,
          borttagna: result.removed.decisions,
        },
      });
      return result;
    });
}

type Keyed = { key: number };

async function readPage(
  db: Db,
  user: AuthUser,
  scope: DecisionScope,
  cursor: number | null,
  limit: number,
): Promise<Omit<PullResult, 'reset' | 'scopeKey'>> {
  const after = cursor ?? 0;
  const decisions = stream((r) => pullDecisions(db, scope, r));
  const events = stream((r) => pullEvents(db, scope, r));
  const filings = stream((r) => pullFilings(db, scope, r));
  const drafts = stream((r) => pullDrafts(db, scope, user.id, r));
  // A first pull has nothing to forget.
  const removedDecisions = stream((r) =>
    cursor === null ? Promise.resolve([]) : pullRemovedDecisions(db, scope, r),
  );
  const deletedDrafts = stream((r) =>
    cursor === null ? Promise.resolve([]) : pullDeletedDrafts(db, user.id, r),
  );
  const streams = [decisions, events, filings, drafts, removedDecisions, deletedDrafts];

  // Up to limit + 1 rows of each kind: together they hold the first limit + 1 keys of all.
  for (const s of streams) await s.fetch({ after, limit: limit + 1 });
  const keys = streams.flatMap((s) => s.rows.map((r) => r.key)).sort((a, b) => a - b);
  let next = keys.length > 0 ? keys[keys.length - 1]! : after;
  let more = false;
  if (keys.length > limit) {
    next = keys[limit - 1]!;
    for (const s of streams) {
      const full = s.rows.length === limit + 1;
      if (s.rows.some((r) => r.key > next)) more = true;
      s.rows = s.rows.filter((r) => r.key <= next);
      // This kind may have more rows with the page's last key than were read.
      if (full && s.rows.length === limit + 1) {
        await s.fetch({ after, upTo: next });
        if (!more) more = (await s.peek({ after: next, limit: 1 })).length > 0;
      }
    }
  }

  const removedIds = removedDecisions.rows.map((r) => r.id);
  return {
    cursor: next,
    more,
    decisions: decisions.rows.map((row) => decisionView(user, row)),
    events: events.rows.map((row) => ({
      ...toDomainEvent(row),
      recordedBy: { id: row.recordedBy, namn: row.recordedByNamn },
    })),
    filings: filings.rows.map(filingView),
    drafts: drafts.rows.map((row) => ({
      id: row.id,
      decisionId: row.decisionId,
      form: row.form ?? '',
      data: row.data ?? {},
      updatedAt: isoTime(row.updatedAt),
    })),
    removed: {
      decisions: removedIds,
      drafts: [
        ...deletedDrafts.rows.map((r) => r.id),
        ...(await draftIdsOfDecisions(db, user.id, removedIds)),
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
    peek: read,
  };
  return s;
}

function decisionView(
  user: AuthUser,
  row: Awaited<ReturnType<typeof pullDecisions>>[number],
): DecisionView {
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
    orderedAt: row.orderedAt ? isoTime(row.orderedAt) : null,
    extern: row.extern,
    createdAt: isoTime(row.createdAt),
    person: personView(user, row, storedPersonOf(row)),
  };
}

function filingView(row: Awaited<ReturnType<typeof pullFilings>>[number]): FilingView {
  return {
    id: row.id,
    decisionId: row.decisionId,
    episodeStart: row.episodeStart,
    quarter: row.quarter,
    report: row.report,
    status: row.status,
    filedOn: row.filedOn,
    filedBy: row.filedBy,
    filedAt: isoTime(row.filedAt),
  };
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
