import { type Kysely, sql } from 'kysely';

/*
 * The rapportör's unfinished individrapport of one report line (issue 5): the fields they changed
 * over the prefill the domain builds (`prefillIndividrapport`), kept on the server so that nothing
 * typed is lost and a colleague can carry on. One row per line: decision, episode and quarter, the
 * same key as `rapport_filing`. Only the changes are stored; untouched fields follow the case.
 * The row is removed when the line is filed (the filing keeps a frozen copy). Rapportörer work
 * online at a desk, so the rows are not synced and carry no seq.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('individrapport_draft')
    .addColumn('decision_id', 'text', (c) => c.notNull().references('decision.id'))
    .addColumn('episode_start', 'date', (c) => c.notNull())
    .addColumn('quarter', 'text', (c) => c.notNull())
    .addColumn('edits', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('individrapport_draft_pk', ['decision_id', 'episode_start', 'quarter'])
    .execute();
}
