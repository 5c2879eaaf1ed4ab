import {
  auditActionLabel,
  LOG_REVIEW_VERDICT_LABELS,
  type LogReviewCounts,
  type LogReviewVerdict,
  loggranskareNamnder,
  logReviewCounts,
  logReviewUnfinished,
  ROLE_LABELS,
  type Role,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import {
  type ExtractRow,
  findReviews,
  type LogReviewItemRow,
  type LogReviewRow,
  personExtract,
  reviewItems,
} from '../data/log-review';
import { namnderWithAreas } from '../data/users';
import type { Db } from '../db/database';
import type { AuthUser } from '../trpc/context';

/*
 * Loggkontroll as the screens and the files show it: the loggranskare's own nämnder checked, the
 * log's rows in Swedish (who, when, which screen or export), and a month's review with its counts.
 * Rows carry no case data: only what the log row itself names (its kind, the ids of decisions).
 */

/** Refuses anyone but a loggranskare of `namndId`, with 403. */
export function requireReviewerOf(user: AuthUser, namndId: string): void {
  if (!loggranskareNamnder(user.roles).includes(namndId)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Du är inte loggranskare för den nämnden.',
    });
  }
}

/** The nämnder a loggranskare reviews, with their names. */
export async function reviewerNamnder(db: Db, user: AuthUser) {
  const ids = loggranskareNamnder(user.roles);
  return (await namnderWithAreas(db, ids)).map((n) => ({ id: n.id, namn: n.namn }));
}

const TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A moment as Swedes read it: `2026-12-07 21:05:03`, Stockholm time. */
export function stockholmTime(at: Date): string {
  return TIME.format(at);
}

/** The roles an audit row was written in (comma-separated codes), in Swedish. */
export function roleText(role: string | null): string {
  if (!role) return '';
  return role
    .split(',')
    .map((r) => ROLE_LABELS[r as Role] ?? r)
    .join(', ');
}

/** One row of a per-person extract, as the screen, the PDF and the CSV show it. */
export type ExtractEntry = {
  id: number;
  tid: string;
  vem: string;
  anvandarnamn: string;
  roll: string;
  action: string;
  vad: string;
  avser: string;
  beslut: string[];
};

export function extractEntry(row: ExtractRow): ExtractEntry {
  const n = row.beslut.length;
  const decisions = n === 1 ? '1 av personens beslut' : `${n} av personens beslut`;
  return {
    id: row.id,
    tid: stockholmTime(new Date(row.at)),
    vem: row.userName ?? (row.userId ? 'Okänd användare' : 'Systemet'),
    anvandarnamn: row.username ?? '',
    roll: roleText(row.role),
    action: row.action,
    vad: auditActionLabel(row.action),
    avser: row.namesPerson ? (n > 0 ? `Personen och ${decisions}` : 'Personen') : decisions,
    beslut: row.beslut,
  };
}

/** The most rows an extract file holds: a person with more is given the newest and told so. */
export const EXTRACT_FILE_MAX_ROWS = 50_000;

/**
 * A whole extract for a file, newest first, read a thousand rows at a time; cut at `maxRows`
 * (EXTRACT_FILE_MAX_ROWS; a test passes a small one).
 */
export async function wholeExtract(
  db: Db,
  namndId: string,
  personId: string,
  maxRows = EXTRACT_FILE_MAX_ROWS,
): Promise<{ entries: ExtractEntry[]; cut: boolean }> {
  const entries: ExtractEntry[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await personExtract(db, {
      namndId,
      personId,
      limit: 1000,
      ...(before !== undefined ? { before } : {}),
    });
    entries.push(...page.map(extractEntry));
    if (entries.length > maxRows) return { entries: entries.slice(0, maxRows), cut: true };
    if (page.length < 1000) return { entries, cut: false };
    before = page[page.length - 1]!.id;
  }
}

/** One sampled access of a review, as the screen and the report show it. */
export type ReviewItemView = {
  position: number;
  auditId: number;
  tid: string;
  vem: string;
  anvandarnamn: string;
  roll: string;
  action: string;
  vad: string;
  avser: string;
  verdict: LogReviewVerdict | null;
  verdictLabel: string | null;
  comment: string | null;
  markedBy: string | null;
  markedAt: string | null;
};

function avserText(item: LogReviewItemRow): string {
  const parts: string[] = [];
  if (item.personer > 0) parts.push(item.personer === 1 ? '1 person' : `${item.personer} personer`);
  if (item.beslut > 0) parts.push(`${item.beslut} beslut`);
  return parts.join(' och ');
}

function itemView(item: LogReviewItemRow): ReviewItemView {
  return {
    position: item.position,
    auditId: item.auditId,
    tid: stockholmTime(new Date(item.at)),
    vem: item.userName ?? 'Okänd användare',
    anvandarnamn: item.username ?? '',
    roll: roleText(item.role),
    action: item.action,
    vad: auditActionLabel(item.action),
    avser: avserText(item),
    verdict: item.verdict,
    verdictLabel: item.verdict ? LOG_REVIEW_VERDICT_LABELS[item.verdict] : null,
    comment: item.comment,
    markedBy: item.markedByName,
    markedAt: item.markedAt ? stockholmTime(new Date(item.markedAt)) : null,
  };
}

export type ReviewSummary = {
  month: string;
  sampleSize: number;
  population: number;
  startedBy: string | null;
  startedAt: string;
  finishedBy: string | null;
  finishedAt: string | null;
  counts: LogReviewCounts;
};

export type ReviewView = {
  review: ReviewSummary & { id: string };
  items: ReviewItemView[];
  /** Why it cannot be finished yet; null when it can (or is finished). */
  unfinished: string | null;
};

function summaryOf(review: LogReviewRow, counts: LogReviewCounts): ReviewSummary & { id: string } {
  return {
    id: review.id,
    month: review.month,
    sampleSize: review.sampleSize,
    population: review.population,
    startedBy: review.startedByName,
    startedAt: stockholmTime(new Date(review.startedAt)),
    finishedBy: review.finishedByName,
    finishedAt: review.finishedAt ? stockholmTime(new Date(review.finishedAt)) : null,
    counts,
  };
}

/** A month's review of a nämnd with its sampled accesses, or null when none is drawn. */
export async function reviewView(
  db: Db,
  namndId: string,
  month: string,
): Promise<ReviewView | null> {
  const [review] = await findReviews(db, namndId, month);
  if (!review) return null;
  const rows = await reviewItems(db, review.id);
  return {
    review: summaryOf(review, logReviewCounts(rows)),
    items: rows.map(itemView),
    unfinished: review.finishedAt ? null : logReviewUnfinished(rows),
  };
}

/** A nämnd's reviews, newest month first, with their counts. */
export async function reviewList(db: Db, namndId: string): Promise<ReviewSummary[]> {
  const reviews = await findReviews(db, namndId);
  const out: ReviewSummary[] = [];
  for (const review of reviews) {
    const rows = await reviewItems(db, review.id);
    const { id: _id, ...summary } = summaryOf(review, logReviewCounts(rows));
    out.push(summary);
  }
  return out;
}
