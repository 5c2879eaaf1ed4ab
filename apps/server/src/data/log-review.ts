import type { LogReviewVerdict } from '@evb/domain';
import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../db/database';
import type { DB } from '../db/schema';

/*
 * Loggkontroll's reads and writes (issue 14): who of a nämnd's persons exists for its
 * loggranskare, the per-person extract of the access log, and the monthly review's sample.
 *
 * "A nämnd's person" is one with a decision in the nämnd, or one the nämnd's own log names (a
 * look-up in a registration or import of that nämnd). Nothing here answers about a person of
 * another nämnd: the same empty answer as for a personnummer nobody has.
 *
 * An access belongs to the nämnd when its row is the nämnd's and names a person or decision
 * (audit_subject), or when it names one of the nämnd's decisions whatever nämnd it was logged
 * under (a sync pull across nämnder is logged under none).
 */

/** Midnight in Stockholm at the start of `date`, as a timestamp. */
const stockholmMidnight = (date: string) =>
  sql`(${date}::date)::timestamp at time zone 'Europe/Stockholm'`;

/** The person of the nämnd with this personnummer (12 digits) or id, or undefined. */
export async function findNamndPerson(
  db: Db,
  namndId: string,
  by: { personnummer: string } | { personId: string },
): Promise<{ id: string; personnummer: string | null } | undefined> {
  let q = db.selectFrom('person').select(['person.id', 'person.personnummer']);
  q =
    'personnummer' in by
      ? q.where('person.personnummer', '=', by.personnummer)
      : q.where('person.id', '=', by.personId);
  return q
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('decision')
            .select(sql.lit(1).as('one'))
            .whereRef('decision.personId', '=', 'person.id')
            .where('decision.namndId', '=', namndId),
        ),
        eb.exists(
          eb
            .selectFrom('auditSubject')
            .innerJoin('auditLog', 'auditLog.id', 'auditSubject.auditId')
            .select(sql.lit(1).as('one'))
            .whereRef('auditSubject.personId', '=', 'person.id')
            .where('auditLog.namndId', '=', namndId),
        ),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
}

/** The ids of the audit rows about a person of a nämnd: naming them, or one of their decisions. */
function personAuditIds(eb: ExpressionBuilder<DB, 'auditLog'>, namndId: string, personId: string) {
  return eb
    .selectFrom('auditSubject')
    .innerJoin('auditLog as named', 'named.id', 'auditSubject.auditId')
    .select('auditSubject.auditId')
    .where('auditSubject.personId', '=', personId)
    .where('named.namndId', '=', namndId)
    .union(
      eb
        .selectFrom('auditSubject')
        .innerJoin('decision', 'decision.id', 'auditSubject.decisionId')
        .select('auditSubject.auditId')
        .where('decision.personId', '=', personId)
        .where('decision.namndId', '=', namndId),
    );
}

export type ExtractRow = {
  id: number;
  at: Date;
  userId: string | null;
  userName: string | null;
  username: string | null;
  role: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  /** The row names the person directly (a look-up, a person read). */
  namesPerson: boolean;
  /** The person's decisions of the nämnd the row names. */
  beslut: string[];
};

/**
 * A page of the per-person extract: every audit row that names the person or one of their
 * decisions of the nämnd, newest first; `before` is the previous page's last id.
 */
export async function personExtract(
  db: Db,
  query: { namndId: string; personId: string; before?: number; limit: number },
): Promise<ExtractRow[]> {
  let q = db
    .selectFrom('auditLog')
    .leftJoin('appUser', 'appUser.id', 'auditLog.userId')
    .select([
      'auditLog.id',
      'auditLog.at',
      'auditLog.userId',
      'appUser.displayName as userName',
      'appUser.username',
      'auditLog.role',
      'auditLog.action',
      'auditLog.subjectType',
      'auditLog.subjectId',
    ])
    .where('auditLog.id', 'in', (eb) => personAuditIds(eb, query.namndId, query.personId));
  if (query.before !== undefined) q = q.where('auditLog.id', '<', query.before);
  const rows = await q.orderBy('auditLog.id', 'desc').limit(query.limit).execute();
  if (rows.length === 0) return [];
  const named = await db
    .selectFrom('auditSubject')
    .leftJoin('decision', 'decision.id', 'auditSubject.decisionId')
    .select(['auditSubject.auditId', 'auditSubject.decisionId', 'auditSubject.personId'])
    .where(
      'auditSubject.auditId',
      'in',
      rows.map((r) => r.id),
    )
    .where((eb) =>
      eb.or([
        eb('auditSubject.personId', '=', query.personId),
        eb.and([
          eb('decision.personId', '=', query.personId),
          eb('decision.namndId', '=', query.namndId),
        ]),
      ]),
    )
    .execute();
  return rows.map((row) => {
    const mine = named.filter((n) => Number(n.auditId) === Number(row.id));
    return {
      ...row,
      id: Number(row.id),
      namesPerson: mine.some((n) => n.personId !== null),
      beslut: [...new Set(mine.flatMap((n) => (n.decisionId ? [n.decisionId] : [])))].sort(),
    };
  });
}

/** The accesses of a nämnd in a month that a review may sample (see the head comment). */
function reviewPopulation(
  db: Db,
  query: { namndId: string; first: string; next: string; reviewerId: string },
) {
  return db
    .selectFrom('auditLog')
    .where(sql<boolean>`${sql.ref('auditLog.at')} >= ${stockholmMidnight(query.first)}`)
    .where(sql<boolean>`${sql.ref('auditLog.at')} < ${stockholmMidnight(query.next)}`)
    .where('auditLog.userId', 'is not', null)
    .where('auditLog.userId', '!=', query.reviewerId)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('auditLog.namndId', '=', query.namndId),
          eb.exists(
            eb
              .selectFrom('auditSubject')
              .select(sql.lit(1).as('one'))
              .whereRef('auditSubject.auditId', '=', 'auditLog.id'),
          ),
        ]),
        eb.exists(
          eb
            .selectFrom('auditSubject')
            .innerJoin('decision', 'decision.id', 'auditSubject.decisionId')
            .select(sql.lit(1).as('one'))
            .whereRef('auditSubject.auditId', '=', 'auditLog.id')
            .where('decision.namndId', '=', query.namndId),
        ),
      ]),
    );
}

export type LogReviewRow = {
  id: string;
  namndId: string;
  month: string;
  sampleSize: number;
  population: number;
  startedBy: string;
  startedByName: string | null;
  startedAt: Date;
  finishedBy: string | null;
  finishedByName: string | null;
  finishedAt: Date | null;
};

/** A nämnd's reviews, newest month first, or one month's. */
export async function findReviews(
  db: Db,
  namndId: string,
  month?: string,
): Promise<LogReviewRow[]> {
  let q = db
    .selectFrom('logReview')
    .innerJoin('appUser as starter', 'starter.id', 'logReview.startedBy')
    .leftJoin('appUser as finisher', 'finisher.id', 'logReview.finishedBy')
    .select([
      'logReview.id',
      'logReview.namndId',
      'logReview.month',
      'logReview.sampleSize',
      'logReview.population',
      'logReview.startedBy',
      'starter.displayName as startedByName',
      'logReview.startedAt',
      'logReview.finishedBy',
      'finisher.displayName as finishedByName',
      'logReview.finishedAt',
    ])
    .where('logReview.namndId', '=', namndId);
  if (month) q = q.where('logReview.month', '=', month);
  return q.orderBy('logReview.month', 'desc').limit(240).execute();
}

/**
 * Draws a month's sample once: the review and up to `sampleSize` accesses chosen at random among
 * the month's (reviewPopulation), in one transaction. When the month has a review already (drawn
 * by someone else meanwhile too), nothing is drawn: `created` is false.
 */
export async function drawReview(
  db: Db,
  draw: {
    id: string;
    namndId: string;
    month: string;
    first: string;
    next: string;
    sampleSize: number;
    reviewerId: string;
  },
): Promise<{ created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const population = reviewPopulation(trx, { ...draw, reviewerId: draw.reviewerId });
    const counted = await population
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const inserted = await trx
      .insertInto('logReview')
      .values({
        id: draw.id,
        namndId: draw.namndId,
        month: draw.month,
        sampleSize: draw.sampleSize,
        population: Number(counted.n),
        startedBy: draw.reviewerId,
      })
      .onConflict((oc) => oc.columns(['namndId', 'month']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return { created: false };
    const sample = population.select('auditLog.id').orderBy(sql`random()`).limit(draw.sampleSize);
    await trx
      .insertInto('logReviewItem')
      .columns(['reviewId', 'position', 'auditId'])
      .expression(
        trx
          .selectFrom(sample.as('sample'))
          .select([
            sql.lit(draw.id).as('reviewId'),
            sql<number>`(row_number() over (order by ${sql.ref('sample.id')}))::integer`.as(
              'position',
            ),
            'sample.id as auditId',
          ]),
      )
      .execute();
    return { created: true };
  });
}

export type LogReviewItemRow = {
  position: number;
  auditId: number;
  at: Date;
  userId: string | null;
  userName: string | null;
  username: string | null;
  role: string | null;
  action: string;
  subjectType: string | null;
  /** How many persons and decisions the access names. */
  personer: number;
  beslut: number;
  verdict: LogReviewVerdict | null;
  comment: string | null;
  markedByName: string | null;
  markedAt: Date | null;
};

/** A review's sampled accesses in their order, with the verdicts so far. */
export async function reviewItems(db: Db, reviewId: string): Promise<LogReviewItemRow[]> {
  const rows = await db
    .selectFrom('logReviewItem')
    .innerJoin('auditLog', 'auditLog.id', 'logReviewItem.auditId')
    .leftJoin('appUser', 'appUser.id', 'auditLog.userId')
    .leftJoin('appUser as marker', 'marker.id', 'logReviewItem.markedBy')
    .select((eb) => [
      'logReviewItem.position',
      'logReviewItem.auditId',
      'auditLog.at',
      'auditLog.userId',
      'appUser.displayName as userName',
      'appUser.username',
      'auditLog.role',
      'auditLog.action',
      'auditLog.subjectType',
      eb
        .selectFrom('auditSubject')
        .select((s) => s.fn.count<string>('auditSubject.personId').as('n'))
        .whereRef('auditSubject.auditId', '=', 'auditLog.id')
        .as('personer'),
      eb
        .selectFrom('auditSubject')
        .select((s) => s.fn.count<string>('auditSubject.decisionId').as('n'))
        .whereRef('auditSubject.auditId', '=', 'auditLog.id')
        .as('beslut'),
      'logReviewItem.verdict',
      'logReviewItem.comment',
      'marker.displayName as markedByName',
      'logReviewItem.markedAt',
    ])
    .where('logReviewItem.reviewId', '=', reviewId)
    .orderBy('logReviewItem.position')
    .execute();
  return rows.map((r) => ({
    ...r,
    auditId: Number(r.auditId),
    personer: Number(r.personer ?? 0),
    beslut: Number(r.beslut ?? 0),
  }));
}

/** Marks one sampled access of an unfinished review; false when there is no such item to mark. */
export async function markReviewItem(
  db: Db,
  mark: {
    reviewId: string;
    position: number;
    verdict: LogReviewVerdict;
    comment: string | null;
    userId: string;
    at: Date;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('logReviewItem')
    .set({ verdict: mark.verdict, comment: mark.comment, markedBy: mark.userId, markedAt: mark.at })
    .where('reviewId', '=', mark.reviewId)
    .where('position', '=', mark.position)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('logReview')
          .select(sql.lit(1).as('one'))
          .where('logReview.id', '=', mark.reviewId)
          .where('logReview.finishedAt', 'is', null),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Finishes a review; false when it was finished already. */
export async function finishReview(
  db: Db,
  finish: { reviewId: string; userId: string; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('logReview')
    .set({ finishedBy: finish.userId, finishedAt: finish.at })
    .where('id', '=', finish.reviewId)
    .where('finishedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
