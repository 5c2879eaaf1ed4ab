import { type Kysely, sql } from 'kysely';

/*
 * What sync needs beyond the initial schema.
 *
 * - `decision.scope_seq`: the seq of the last change to who may see a decision (its unit or team,
 *   handläggare, nämnd or verksamhetsområde). A pull sends a decision's events and filings again
 *   when it moved after the caller's cursor, so a decision ordered to a unit later reaches that
 *   unit with its whole history.
 * - `decision_scope_change`: who could see a decision before each such change, so a pull can tell
 *   a phone to forget a decision that was ordered away from its unit.
 * - `draft`: a user's unfinished forms, kept on the server so they follow the user between devices.
 *
 * A trigger keeps the first two right whoever writes a decision: a change of scope always gets a
 * new seq (taking the change-sequence lock, as every seq writer does) and leaves its history row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('decision').addColumn('scope_seq', 'bigint').execute();
  await sql`update decision set scope_seq = seq`.execute(db);
  await db.schema
    .alterTable('decision')
    .alterColumn('scope_seq', (c) => c.setNotNull())
    .execute();
  await db.schema.createIndex('decision_scope_seq').on('decision').column('scope_seq').execute();

  await db.schema
    .createTable('decision_scope_change')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('decision_id', 'text', (c) => c.notNull().references('decision.id'))
    // The decision's seq after the change.
    .addColumn('seq', 'bigint', (c) => c.notNull())
    // Who could see it before the change: the columns decisionScope's conditions read.
    .addColumn('namnd_id', 'text', (c) => c.notNull())
    .addColumn('verksamhetsomrade', 'text', (c) => c.notNull())
    .addColumn('handlaggare_id', 'text', (c) => c.notNull())
    .addColumn('enhet_id', 'text')
    .execute();
  await db.schema
    .createIndex('decision_scope_change_seq')
    .on('decision_scope_change')
    .column('seq')
    .execute();

  await sql`
    create function decision_track_scope() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        new.scope_seq := new.seq;
      elsif (old.enhet_id, old.handlaggare_id, old.namnd_id, old.verksamhetsomrade)
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
      end if;
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger decision_track_scope before insert or update on decision
    for each row execute function decision_track_scope()`.execute(db);

  await db.schema
    .createTable('draft')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('decision_id', 'text', (c) => c.references('decision.id'))
    .addColumn('form', 'text')
    .addColumn('data', 'jsonb')
    // The client's time of the last edit: the later edit wins when two devices save.
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    // A deleted draft stays as a tombstone, so other devices learn of it and a late save from
    // another device cannot bring it back.
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(sql`nextval('change_seq')`))
    .addCheckConstraint(
      'draft_content',
      sql`deleted_at is not null or (form is not null and data is not null)`,
    )
    .execute();
  await db.schema.createIndex('draft_user_seq').on('draft').columns(['user_id', 'seq']).execute();

  // Pulls read these by seq.
  await db.schema.createIndex('person_seq').on('person').column('seq').execute();
  await db.schema.createIndex('rapport_filing_seq').on('rapport_filing').column('seq').execute();
}
