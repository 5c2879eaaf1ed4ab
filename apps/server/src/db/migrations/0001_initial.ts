import { type Kysely, sql } from 'kysely';

// Migrations are forward-only and run at start-up, the same on PGlite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence change_seq`.execute(db);
  const seq = sql`nextval('change_seq')`;

  await db.schema
    .createTable('kommun')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('namn', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('namnd')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kommun_id', 'text', (c) => c.notNull().references('kommun.id'))
    .addColumn('namn', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('namnd_verksamhetsomrade')
    .addColumn('namnd_id', 'text', (c) => c.notNull().references('namnd.id'))
    .addColumn('verksamhetsomrade', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('namnd_verksamhetsomrade_pk', ['namnd_id', 'verksamhetsomrade'])
    .execute();
  await db.schema
    .createTable('enhet')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('namnd_id', 'text', (c) => c.notNull().references('namnd.id'))
    .addColumn('namn', 'text', (c) => c.notNull())
    .addColumn('typ', 'text', (c) =>
      c
        .notNull()
        .check(sql`typ in ('utforarenhet', 'boendeteamet', 'centralen_for_sysselsattning')`),
    )
    .execute();

  await db.schema
    .createTable('app_user')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('telefon', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('user_role')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`role in ('utforare', 'matchare', 'handlaggare', 'rapportor', 'huvudrapportor', 'admin')`,
        ),
    )
    .addColumn('namnd_id', 'text', (c) => c.references('namnd.id'))
    .addColumn('verksamhetsomrade', 'text')
    .addColumn('enhet_id', 'text', (c) => c.references('enhet.id'))
    .execute();
  await db.schema.createIndex('user_role_user').on('user_role').column('user_id').execute();
  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('session_user').on('session').column('user_id').execute();
  await db.schema
    .createTable('login_throttle')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .execute();

  await db.schema
    .createTable('person')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kommun_id', 'text', (c) => c.notNull().references('kommun.id'))
    .addColumn('fornamn', 'text', (c) => c.notNull())
    .addColumn('efternamn', 'text', (c) => c.notNull())
    .addColumn('personnummer', 'text')
    .addColumn('identitet', 'text', (c) =>
      c.notNull().check(sql`identitet in ('personnummer', 'samordningsnummer', 'saknas')`),
    )
    .addColumn('kon', 'text', (c) => c.notNull().check(sql`kon in ('kvinna', 'man')`))
    .addColumn('fodelsedatum', 'date', (c) => c.notNull())
    .addColumn('skyddad_identitet', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('ivo_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(seq))
    .addUniqueConstraint('person_personnummer_unique', ['kommun_id', 'personnummer'])
    .execute();

  await db.schema
    .createTable('decision')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('namnd_id', 'text', (c) => c.notNull().references('namnd.id'))
    .addColumn('verksamhetsomrade', 'text', (c) => c.notNull())
    .addColumn('inriktning', 'text')
    .addColumn('inriktning_text', 'text')
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.id'))
    .addColumn('lagrum', 'text', (c) => c.notNull().check(sql`lagrum in ('SoL', 'LSS')`))
    .addColumn('insats', 'text', (c) => c.notNull())
    .addColumn('beslutsdatum', 'date', (c) => c.notNull())
    .addColumn('forhandsbesked', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('ersatter_beslut_id', 'text', (c) => c.references('decision.id'))
    .addColumn('handlaggare_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('enhet_id', 'text', (c) => c.references('enhet.id'))
    .addColumn('ordered_at', 'timestamptz')
    .addColumn('extern', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(seq))
    .execute();
  // The views: a rapportör's nämnd and area, a unit's orders, a handläggare's cases, a person.
  await db.schema
    .createIndex('decision_namnd_area')
    .on('decision')
    .columns(['namnd_id', 'verksamhetsomrade'])
    .execute();
  await db.schema.createIndex('decision_enhet').on('decision').column('enhet_id').execute();
  await db.schema
    .createIndex('decision_handlaggare')
    .on('decision')
    .column('handlaggare_id')
    .execute();
  await db.schema.createIndex('decision_person').on('decision').column('person_id').execute();
  await db.schema.createIndex('decision_seq').on('decision').column('seq').execute();

  await db.schema
    .createTable('case_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('decision_id', 'text', (c) => c.notNull().references('decision.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(seq))
    .execute();
  await db.schema
    .createIndex('case_event_decision')
    .on('case_event')
    .columns(['decision_id', 'date'])
    .execute();
  await db.schema.createIndex('case_event_seq').on('case_event').column('seq').execute();

  await db.schema
    .createTable('rapport_filing')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('decision_id', 'text', (c) => c.notNull().references('decision.id'))
    .addColumn('episode_start', 'date', (c) => c.notNull())
    .addColumn('quarter', 'text', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull().check(sql`report in ('ny', 'ater')`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('filed_on', 'date', (c) => c.notNull())
    .addColumn('filed_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('filed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(seq))
    .addUniqueConstraint('rapport_filing_once', ['decision_id', 'episode_start', 'quarter'])
    .execute();
  await db.schema
    .createIndex('rapport_filing_quarter')
    .on('rapport_filing')
    .column('quarter')
    .execute();

  await db.schema
    .createTable('message_handled')
    .addColumn('message_key', 'text', (c) => c.primaryKey())
    .addColumn('decision_id', 'text', (c) => c.notNull().references('decision.id'))
    .addColumn('handled_by', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('handled_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('message_handled_decision')
    .on('message_handled')
    .column('decision_id')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('user_id', 'text')
    .addColumn('role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('namnd_id', 'text')
    .addColumn('details', 'jsonb')
    .execute();
  await db.schema
    .createIndex('audit_log_namnd_at')
    .on('audit_log')
    .columns(['namnd_id', 'at'])
    .execute();

  await db.schema
    .createTable('client_mutation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('reason_code_list')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.references('app_user.id'))
    .execute();
}
