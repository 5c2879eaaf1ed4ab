import { type Kysely, sql } from 'kysely';

/*
 * Loggkontroll (issue 14): the loggranskare role, an index of whom each audit row names, and the
 * monthly review of a sample of the log.
 *
 * - `user_role.role` may be `loggranskare` (scoped to a nämnd, like a rapportör).
 * - `audit_subject`: one row per person or decision an audit row names, so that "every access to
 *   this person's data" is an index lookup rather than a scan of every row's jsonb. An audit row
 *   names a decision as its subject (`subject_type` 'beslut'), in a list (`details.beslut`: a list
 *   read, a sync pull, a quarter export) or a person as its subject (`subject_type` 'person') or by
 *   `details.personId`. The server writes these in the same statement as the audit row
 *   (data/audit.ts); the rows written before this migration are filled in here by the same rule.
 *   A row goes with its audit row when that is pruned after the retention period.
 * - `log_review`: a nämnd's review of one month, drawn once (unique per nämnd and month), with the
 *   number of accesses it was drawn from; `log_review_item`: the sampled audit rows, each marked
 *   motiverad or folj_upp with a comment. Both are written only through the log review screens,
 *   each step audited.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table user_role drop constraint user_role_role_check`.execute(db);
  await sql`
    alter table user_role add constraint user_role_role_check check (
      role in ('utforare', 'matchare', 'handlaggare', 'rapportor', 'huvudrapportor', 'loggranskare', 'admin')
    )`.execute(db);

  await sql`
    create table audit_subject (
      audit_id bigint not null references audit_log (id) on delete cascade,
      decision_id text,
      person_id text,
      check ((decision_id is null) <> (person_id is null))
    )`.execute(db);
  await sql`create index audit_subject_audit on audit_subject (audit_id)`.execute(db);
  await sql`
    create index audit_subject_decision on audit_subject (decision_id, audit_id)
    where decision_id is not null`.execute(db);
  await sql`
    create index audit_subject_person on audit_subject (person_id, audit_id)
    where person_id is not null`.execute(db);

  await sql`
    insert into audit_subject (audit_id, decision_id, person_id)
    select distinct a.id, s.decision_id, s.person_id
    from audit_log a
    cross join lateral (
      select a.subject_id as decision_id, null::text as person_id
        where a.subject_type = 'beslut' and a.subject_id is not null
      union all
      select null, a.subject_id where a.subject_type = 'person' and a.subject_id is not null
      union all
      select e.value, null
        from jsonb_array_elements_text(
          case when jsonb_typeof(a.details -> 'beslut') = 'array' then a.details -> 'beslut'
          else '[]'::jsonb end
        ) as e(value)
      union all
      select null, a.details ->> 'personId' where jsonb_typeof(a.details -> 'personId') = 'string'
    ) s`.execute(db);

  await sql`
    create table log_review (
      id text primary key,
      namnd_id text not null references namnd (id),
      month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      sample_size integer not null check (sample_size between 1 and 1000),
      population integer not null check (population >= 0),
      started_by text not null references app_user (id),
      started_at timestamptz not null default now(),
      finished_by text references app_user (id),
      finished_at timestamptz,
      unique (namnd_id, month),
      check ((finished_by is null) = (finished_at is null))
    )`.execute(db);
  await sql`
    create table log_review_item (
      review_id text not null references log_review (id) on delete cascade,
      position integer not null check (position >= 1),
      audit_id bigint not null references audit_log (id) on delete cascade,
      verdict text check (verdict in ('motiverad', 'folj_upp')),
      comment text check (char_length(comment) <= 2000),
      marked_by text references app_user (id),
      marked_at timestamptz,
      primary key (review_id, position),
      unique (review_id, audit_id)
    )`.execute(db);
}
