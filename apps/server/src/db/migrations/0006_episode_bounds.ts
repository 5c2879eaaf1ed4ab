import { type Kysely, sql } from 'kysely';

/*
 * More of what lets the rapportör's views leave unread the decisions that cannot have a line
 * (issue 3). Migration 0003 keeps `waiting_ended_by`, a day on or after the end of a decision's
 * last waiting episode. Of the decisions still read with it, a quarter of a large nämnd had no
 * line: executed before three months had passed, or interrupted again but not yet overdue. Two
 * more facts of the episodes tell those apart:
 *
 * - `last_interruption`: the day of the last avbrott, where the last episode starts; null when
 *   there is none and the only episode starts at the decision (beslutsdatum).
 * - `earlier_waits_ended_by`: a day by which every episode before the last had ended: the last
 *   execution on or before the last interruption (an execution on that same day may have come
 *   after it, so counting it too can only make the day later); null with no interruption.
 *
 * Like `waiting_ended_by`, they state no rule: the reads compare them with bounds the domain
 * computes (data/reporting.ts), and the domain still decides every line from the events. The
 * trigger of 0003 now keeps all three columns, whoever writes an event; the index the views read
 * carries them, so the narrowing is decided from the index alone.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('decision')
    .addColumn('last_interruption', 'date')
    .addColumn('earlier_waits_ended_by', 'date')
    .execute();

  await sql`
    create function decision_track_episodes(target text) returns void
    language plpgsql as $$
    declare
      interrupted date;
      earlier date;
      ended date;
    begin
      select max(e.date) into interrupted from case_event e
      where e.decision_id = target and e.type = 'avbrott';
      select max(e.date) into earlier from case_event e
      where e.decision_id = target and e.type = 'verkstalld' and e.date <= interrupted;
      select min(e.date) into ended from case_event e
      where e.decision_id = target and e.type in ('verkstalld', 'avslutad')
        and e.date > coalesce(interrupted, '-infinity'::date);
      update decision
      set last_interruption = interrupted, earlier_waits_ended_by = earlier,
          waiting_ended_by = ended
      where id = target
        and (last_interruption, earlier_waits_ended_by, waiting_ended_by)
            is distinct from (interrupted, earlier, ended);
    end
    $$`.execute(db);
  // The same triggers (0003) call the function by name: replacing its body is enough.
  await sql`
    create or replace function case_event_track_waiting() returns trigger
    language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        perform decision_track_episodes(old.decision_id);
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        perform decision_track_episodes(new.decision_id);
      end if;
      return null;
    end
    $$`.execute(db);

  // Only decisions with an interruption get values; for the others all three stay as they are.
  await sql`
    select decision_track_episodes(decision_id)
    from (select distinct decision_id from case_event where type = 'avbrott') interrupted`.execute(
    db,
  );

  await sql`drop index decision_reporting`.execute(db);
  await sql`
    create index decision_reporting on decision (namnd_id, beslutsdatum)
    include (waiting_ended_by, last_interruption, earlier_waits_ended_by, verksamhetsomrade, id,
             person_id, lagrum, insats, forhandsbesked, ersatter_beslut_id)`.execute(db);
}
