import { type Kysely, sql } from 'kysely';

/*
 * Filings made outside evb (issue 11). A kommun files in IVO's e-tjänst and may record it in evb
 * afterwards, or bring its earlier filings in from a file when it starts using evb:
 *
 * - `recorded`: how the filing came into evb — `evb` (marked as filed on the day, the report as evb
 *   showed it), `efterhand` (recorded afterwards by a rapportör), `import` (from the filings
 *   import). `filed_by` and `filed_at` say who recorded it and when.
 * - `fields_as_sent`: whether the frozen copy is what was sent. A filing recorded without the
 *   fields keeps evb's prefill as its copy (what the next återrapportering builds on), and says so.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('rapport_filing')
    .addColumn('recorded', 'text', (c) =>
      c.notNull().defaultTo('evb').check(sql`recorded in ('evb', 'efterhand', 'import')`),
    )
    .addColumn('fields_as_sent', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
}
