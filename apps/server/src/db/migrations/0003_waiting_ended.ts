import { type Kysely, sql } from 'kysely';

/*
 * What the rapportör's quarter view needs to read a large nämnd quickly (issue 3).
 *
 * - `case_event_episode`: the events that start or end a waiting episode (the domain's
 *   EPISODE_EVENT_TYPES, which `episodes` and `quarterReport` depend on alone), by decision and
 *   date. The reporting views read only these, and the trigger below looks them up.
 * - `decision_reporting`: a nämnd's decisions by beslutsdatum, with what the view reads of them.
 * - `decision.waiting_ended_by`: a day by which every waiting episode of the decision had ended;
 *   null while one may still be open. A quarter's lines need only the decisions with no such day
 *   before the quarter's first day, so the view can leave the others unread. It only narrows what
 *   is read: the domain still decides every line from the events.
 *
 * How the day is found: the last episode starts at the last interruption (avbrott), or at the
 * decision when there is none, and ends at the first execution or closing after it. Events are
 * ordered by date, then by when they were recorded; an ending on the same day as the last
 * interruption may have come before or after it, so only endings on a later day count. That makes
 * the day the last episode's end or later, never earlier, and null whenever it may still be open:
 * a decision is never left out of a quarter where the domain would give it a line.
 *
 * A trigger keeps the column right whoever writes an event (events are append-only, but an update
 * or delete is covered too); events of other types do not fire it, so notes and offers cost
 * nothing. The lists of types are written out here, as a migration must not change after it ran;
 * a test checks them against the domain's.
 */

export const EPISODE_TYPES_AT_0003 = ['verkstalld', 'avbrott', 'avslutad'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index case_event_episode on case_event (decision_id, date)
    where type in ('verkstalld', 'avbrott', 'avslutad')`.execute(db);

  await db.schema.alterTable('decision').addColumn('waiting_ended_by', 'date').execute();
  await sql`
    with last_interruption as (
      select decision_id, max(date) as date from case_event
      where type = 'avbrott' group by decision_id
    ),
    ended as (
      select e.decision_id, min(e.date) as date
      from case_event e left join last_interruption i on i.decision_id = e.decision_id
      where e.type in ('verkstalld', 'avslutad') and (i.date is null or e.date > i.date)
      group by e.decision_id
    )
    update decision set waiting_ended_by = ended.date
    from ended where ended.decision_id = decision.id`.execute(db);
  // The quarter view reads a nämnd's decisions by beslutsdatum and waiting_ended_by; carrying the
  // columns it selects lets it read them from the index alone.
  await sql`
    create index decision_reporting on decision (namnd_id, beslutsdatum)
    include (waiting_ended_by, verksamhetsomrade, id, person_id, lagrum, insats, forhandsbesked,
             ersatter_beslut_id)`.execute(db);

  await sql`
    create function decision_waiting_ended_by(target text) returns date
    language sql stable as $$
      select min(e.date) from case_event e
      where e.decision_id = target and e.type in ('verkstalld', 'avslutad')
        and e.date > coalesce(
          (select max(i.date) from case_event i where i.decision_id = target and i.type = 'avbrott'),
          '-infinity'::date)
    $$`.execute(db);
  await sql`
    create function case_event_track_waiting() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        update decision set waiting_ended_by = decision_waiting_ended_by(old.decision_id)
        where id = old.decision_id
          and waiting_ended_by is distinct from decision_waiting_ended_by(old.decision_id);
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        update decision set waiting_ended_by = decision_waiting_ended_by(new.decision_id)
        where id = new.decision_id
          and waiting_ended_by is distinct from decision_waiting_ended_by(new.decision_id);
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger case_event_track_waiting_insert after insert on case_event
    for each row when (new.type in ('verkstalld', 'avbrott', 'avslutad'))
    execute function case_event_track_waiting()`.execute(db);
  await sql`
    create trigger case_event_track_waiting_update after update on case_event
    for each row when (old.type in ('verkstalld', 'avbrott', 'avslutad')
                       or new.type in ('verkstalld', 'avbrott', 'avslutad'))
    execute function case_event_track_waiting()`.execute(db);
  await sql`
    create trigger case_event_track_waiting_delete after delete on case_event
    for each row when (old.type in ('verkstalld', 'avbrott', 'avslutad'))
    execute function case_event_track_waiting()`.execute(db);
}
