import { type Kysely, sql } from 'kysely';

/*
 * The id a decision has in the kommun's case system (verksamhetssystem), for decisions imported
 * from its CSV export (issue 5): importing the same file twice must not register a decision twice.
 * Unique within the nämnd; null for decisions registered in evb.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('decision').addColumn('case_system_id', 'text').execute();
  await sql`
    create unique index decision_case_system_id on decision (namnd_id, case_system_id)
    where case_system_id is not null`.execute(db);
}
