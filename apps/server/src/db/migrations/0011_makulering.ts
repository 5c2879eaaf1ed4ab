import { type Kysely, sql } from 'kysely';

/*
 * Correcting the record (issue 12): an event logged by mistake is voided (makulerad) by a later
 * `makulering` event whose data names it (`makulerarId`). The log stays append-only: nothing is
 * updated or deleted, so a voided event is told apart by the voiding that names it.
 *
 * - `case_event_voiding`: the voidings of a decision by the id they void, so the reads that must
 *   skip voided events (data/voided.ts: `notVoided`) find the voiding of an event at once.
 * - `decision_track_episodes` (migration 0006) now leaves voided events out of the three columns
 *   the reporting views narrow by (`last_interruption`, `earlier_waits_ended_by`,
 *   `waiting_ended_by`): a voided execution or interruption no longer counts there, as it no
 *   longer counts in the domain's rules.
 * - A voiding of an episode event changes those columns, so inserting a voiding runs the same
 *   trigger function (0003, 0006) as inserting an episode event.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index case_event_voiding on case_event (decision_id, (data ->> 'makulerarId'))
    where type = 'makulering'`.execute(db);

  await sql`
    create or replace function decision_track_episodes(target text) returns void
    language plpgsql as $$
    declare
      interrupted date;
      earlier date;
      ended date;
    begin
      -- The episode events that are not voided (the same condition in each of the three).
      select max(e.date) into interrupted from case_event e
      where e.decision_id = target and e.type = 'avbrott'
        and not exists (select 1 from case_event v where v.decision_id = target
                        and v.type = 'makulering' and v.data ->> 'makulerarId' = e.id);
      select max(e.date) into earlier from case_event e
      where e.decision_id = target and e.type = 'verkstalld' and e.date <= interrupted
        and not exists (select 1 from case_event v where v.decision_id = target
                        and v.type = 'makulering' and v.data ->> 'makulerarId' = e.id);
      select min(e.date) into ended from case_event e
      where e.decision_id = target and e.type in ('verkstalld', 'avslutad')
        and e.date > coalesce(interrupted, '-infinity'::date)
        and not exists (select 1 from case_event v where v.decision_id = target
                        and v.type = 'makulering' and v.data ->> 'makulerarId' = e.id);
      update decision
      set last_interruption = interrupted, earlier_waits_ended_by = earlier,
          waiting_ended_by = ended
      where id = target
        and (last_interruption, earlier_waits_ended_by, waiting_ended_by)
            is distinct from (interrupted, earlier, ended);
    end
    $$`.execute(db);

  await sql`
    create trigger case_event_track_voiding after insert on case_event
    for each row when (new.type = 'makulering')
    execute function case_event_track_waiting()`.execute(db);
}
