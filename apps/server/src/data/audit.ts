import { addDays } from '@evb/domain';
import { sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import { visibleTo } from './decisions';

export type AuditEntry = {
  userId: string | null;
  role: string | null;
  action: string;
  subjectType?: string | null;
  subjectId?: string | null;
  namndId?: string | null;
  details?: Record<string, unknown> | null;
};

function auditRow(entry: AuditEntry) {
  return {
    userId: entry.userId,
    role: entry.role,
    action: entry.action,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    namndId: entry.namndId ?? null,
    details: entry.details ? JSON.stringify(entry.details) : null,
  };
}

export async function insertAudit(db: Db, entry: AuditEntry): Promise<void> {
  await insertAudits(db, [entry]);
}

/**
 * Many audit rows in one statement, in the order given: a batch of logged events writes one per
 * event without a round trip each.
 *
 * The same statement records whom each row names in `audit_subject` (migration 0017 says the
 * rule: a decision as subject or in `details.beslut`, a person as subject or `details.personId`),
 * so the per-person extract finds a person's rows by index, and no row is ever without them.
 */
export async function insertAudits(db: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .with('ins', (qb) =>
      qb
        .insertInto('auditLog')
        .values(entries.map(auditRow))
        .returning(['id', 'subjectType', 'subjectId', 'details']),
    )
    .insertInto('auditSubject')
    .columns(['auditId', 'decisionId', 'personId'])
    .expression(
      sql`select distinct ins.id, s.decision_id, s.person_id
        from ins
        cross join lateral (
          select ins.subject_id as decision_id, null::text as person_id
            where ins.subject_type = 'beslut' and ins.subject_id is not null
          union all
          select null, ins.subject_id where ins.subject_type = 'person' and ins.subject_id is not null
          union all
          select e.value, null
            from jsonb_array_elements_text(
              case when jsonb_typeof(ins.details -> 'beslut') = 'array' then ins.details -> 'beslut'
              else '[]'::jsonb end
            ) as e(value)
          union all
          select null, ins.details ->> 'personId'
            where jsonb_typeof(ins.details -> 'personId') = 'string'
        ) s`,
    )
    .execute();
}

export const insertEventAudits = insertAudits;

export type AuditQuery = {
  namndIds: readonly string[];
  /**
   * The decisions the reader may see: an entry about a decision (subject `beslut`), about a person
   * (subject `person`: one of their decisions), or listing decisions (`details.beslut`: one of
   * them) is shown only when it is about one the reader sees; other entries (imports, exports,
   * users, reads of aggregates) belong to the nämnd.
   */
  scope: DecisionScope;
  userId?: string;
  action?: string;
  /** Days in Europe/Stockholm, both included. */
  from?: string;
  to?: string;
  /** Only entries older than this id (the previous page's last); newest first. */
  before?: number;
  limit: number;
};

/** Midnight in Stockholm at the start of `date`, as a timestamp. */
const stockholmMidnight = (date: string) =>
  sql`(${date}::date)::timestamp at time zone 'Europe/Stockholm'`;

/**
 * A page of the audit log of some nämnder that the reader may see (AuditQuery.scope), newest
 * first, with the name of who did it. Dates bound `at` directly (not a cast of it) so the
 * (namnd_id, at) index serves the query.
 */
export async function listAudit(db: Db, query: AuditQuery) {
  if (query.namndIds.length === 0) return [];
  const visible = visibleTo(query.scope);
  let q = db
    .selectFrom('auditLog')
    .leftJoin('appUser', 'appUser.id', 'auditLog.userId')
    .select([
      'auditLog.id',
      'auditLog.at',
      'auditLog.userId',
      'appUser.displayName as userName',
      'auditLog.role',
      'auditLog.action',
      'auditLog.subjectType',
      'auditLog.subjectId',
      'auditLog.namndId',
      'auditLog.details',
    ])
    .where('auditLog.namndId', 'in', query.namndIds)
    .where((eb) => {
      const aboutDecision = eb('auditLog.subjectType', 'is not distinct from', 'beslut');
      const aboutPerson = eb('auditLog.subjectType', 'is not distinct from', 'person');
      const subject = eb('auditLog.subjectId', 'is not', null);
      const listed = sql<boolean>`coalesce(jsonb_typeof(${sql.ref('auditLog.details')} -> 'beslut') = 'array', false)`;
      const one = sql.lit(1).as('one');
      return eb.or([
        eb.and([eb.not(eb.and([eb.or([aboutDecision, aboutPerson]), subject])), eb.not(listed)]),
        eb.and([
          aboutDecision,
          subject,
          eb.exists(
            eb
              .selectFrom('decision')
              .select(one)
              .whereRef('decision.id', '=', 'auditLog.subjectId')
              .where(visible),
          ),
        ]),
        eb.and([
          aboutPerson,
          subject,
          eb.exists(
            eb
              .selectFrom('decision')
              .select(one)
              .whereRef('decision.personId', '=', 'auditLog.subjectId')
              .where(visible),
          ),
        ]),
        eb.and([
          eb.not(eb.and([eb.or([aboutDecision, aboutPerson]), subject])),
          listed,
          eb.exists(
            eb
              .selectFrom('decision')
              .select(one)
              .where(
                sql<boolean>`${sql.ref('decision.id')} in (select jsonb_array_elements_text(${sql.ref('auditLog.details')} -> 'beslut'))`,
              )
              .where(visible),
          ),
        ]),
      ]);
    });
  if (query.userId) q = q.where('auditLog.userId', '=', query.userId);
  if (query.action) q = q.where('auditLog.action', '=', query.action);
  if (query.from) {
    q = q.where(sql<boolean>`${sql.ref('auditLog.at')} >= ${stockholmMidnight(query.from)}`);
  }
  if (query.to) {
    const end = stockholmMidnight(addDays(query.to, 1));
    q = q.where(sql<boolean>`${sql.ref('auditLog.at')} < ${end}`);
  }
  if (query.before !== undefined) q = q.where('auditLog.id', '<', query.before);
  return q.orderBy('auditLog.id', 'desc').limit(query.limit).execute();
}
