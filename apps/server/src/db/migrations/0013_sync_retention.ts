import { type Kysely, sql } from 'kysely';

/*
 * What lets a device hold only the decisions its user works on (issue 13): those still waiting,
 * and those that ended or changed within the sync window (13 months by default). Older ones are
 * read online when opened.
 *
 * - `decision.last_event_on`: the latest date of any of the decision's events (null with none).
 * - `decision.settled_on`: null while the decision may still be waiting (`waiting_ended_by` of
 *   migration 0003 is null); otherwise the last day it ended or changed, the latest of
 *   `waiting_ended_by`, `last_event_on` and `beslutsdatum`. A device keeps a decision while
 *   `settled_on` is null or within its window.
 *
 * - `decision_settled_change`: the day a decision had settled on before each change of it (a note
 *   dated later, an avbrott that makes it wait again). A device that had let the decision go (that
 *   day lay before its window) gets it back with its whole history; one that still holds it gets
 *   only what changed.
 *
 * Triggers keep them right whoever writes: an event raises `last_event_on`, the decision trigger of
 * migration 0002 derives `settled_on` on every write of the row, and when `settled_on` changes it
 * gives the decision a new seq (the next pull sees it, and a device drops it when it now lies
 * before the window) and, if it had settled, leaves the row of what it was.
 *
 * `decision_settled` finds the decisions that left a window between two days; `draft_seq` lets a
 * pull find the last change committed (data/sync.ts: lastCommittedSeq) from indexes alone.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('decision')
    .addColumn('last_event_on', 'date')
    .addColumn('settled_on', 'date')
    .execute();
  await sql`
    update decision set last_event_on = latest.date
    from (select decision_id, max(date) as date from case_event group by decision_id) latest
    where latest.decision_id = decision.id`.execute(db);

  // Once per statement, so a bulk insert updates each decision once, not once per event.
  await sql`
    create function case_event_track_activity() returns trigger language plpgsql as $$
    begin
      update decision set last_event_on = latest.date
      from (select decision_id, max(date) as date from inserted group by decision_id) latest
      where decision.id = latest.decision_id
        and (decision.last_event_on is null or decision.last_event_on < latest.date);
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger case_event_track_activity after insert on case_event
    referencing new table as inserted
    for each statement execute function case_event_track_activity()`.execute(db);

  await db.schema
    .createTable('decision_settled_change')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('decision_id', 'text', (c) => c.notNull().references('decision.id'))
    // The decision's seq after the change.
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('settled_before', 'date', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('decision_settled_change_seq')
    .on('decision_settled_change')
    .column('seq')
    .execute();

  // Migration 0002's function, plus settled_on, its seq and its history.
  await sql`
    create or replace function decision_track_scope() returns trigger language plpgsql as $$
    begin
      new.settled_on := case when new.waiting_ended_by is null then null
        else greatest(new.waiting_ended_by, new.last_event_on, new.beslutsdatum) end;
      if tg_op = 'INSERT' then
        new.scope_seq := new.seq;
        return new;
      end if;
      if (old.enhet_id, old.handlaggare_id, old.namnd_id, old.verksamhetsomrade)
            is distinct from (new.enhet_id, new.handlaggare_id, new.namnd_id, new.verksamhetsomrade) then
        if new.seq = old.seq then
          perform pg_advisory_xact_lock(7331001);
          new.seq := nextval('change_seq');
        end if;
        new.scope_seq := new.seq;
        insert into decision_scope_change
          (decision_id, seq, namnd_id, verksamhetsomrade, handlaggare_id, enhet_id)
          values (old.id, new.seq, old.namnd_id, old.verksamhetsomrade, old.handlaggare_id, old.enhet_id);
      else
        new.scope_seq := old.scope_seq;
        if new.settled_on is distinct from old.settled_on then
          if new.seq = old.seq then
            perform pg_advisory_xact_lock(7331001);
            new.seq := nextval('change_seq');
          end if;
          if old.settled_on is not null then
            insert into decision_settled_change (decision_id, seq, settled_before)
              values (old.id, new.seq, old.settled_on);
          end if;
        end if;
      end if;
      return new;
    end
    $$`.execute(db);

  // Derive settled_on for the decisions there are; the trigger above must not move their seqs.
  await sql`alter table decision disable trigger decision_track_scope`.execute(db);
  await sql`
    update decision set settled_on = greatest(waiting_ended_by, last_event_on, beslutsdatum)
    where waiting_ended_by is not null`.execute(db);
  await sql`alter table decision enable trigger decision_track_scope`.execute(db);

  await db.schema.createIndex('draft_seq').on('draft').column('seq').execute();
  await sql`create index decision_settled on decision (settled_on) where settled_on is not null`.execute(
    db,
  );
}
