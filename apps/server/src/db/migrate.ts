import type { Kysely } from 'kysely';
import { type Migration, type MigrationResultSet, Migrator } from 'kysely/migration';
import * as initial from './migrations/0001_initial';
import * as sync from './migrations/0002_sync';
import * as waitingEnded from './migrations/0003_waiting_ended';
import * as individrapportDraft from './migrations/0004_individrapport_draft';
import * as decisionCaseSystemId from './migrations/0005_decision_case_system_id';
import * as episodeBounds from './migrations/0006_episode_bounds';
import * as sessionTimeouts from './migrations/0007_session_timeouts';
import * as filingRecorded from './migrations/0008_filing_recorded';
import * as reminders from './migrations/0009_reminders';
import * as makulering from './migrations/0011_makulering';
import * as webPush from './migrations/0012_web_push';
import * as syncRetention from './migrations/0013_sync_retention';
import * as auditIntegrity from './migrations/0014_audit_integrity';
import * as externalIdentity from './migrations/0015_external_identity';
import * as saml from './migrations/0016_saml';
import * as logReview from './migrations/0017_log_review';
import * as mfa from './migrations/0018_mfa';

// Listed in code, not read from a folder, so they run the same from source, in tests and bundled.
const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_sync': sync,
  '0003_waiting_ended': waitingEnded,
  '0004_individrapport_draft': individrapportDraft,
  '0005_decision_case_system_id': decisionCaseSystemId,
  '0006_episode_bounds': episodeBounds,
  '0007_session_timeouts': sessionTimeouts,
  '0008_filing_recorded': filingRecorded,
  '0009_reminders': reminders,
  // No 0010: Web Push came after 0011 had run on existing databases, and a migration is only
  // applied after every earlier name.
  '0011_makulering': makulering,
  '0012_web_push': webPush,
  '0013_sync_retention': syncRetention,
  '0014_audit_integrity': auditIntegrity,
  '0015_external_identity': externalIdentity,
  '0016_saml': saml,
  '0017_log_review': logReview,
  '0018_mfa': mfa,
};

/** Brings the database up to the newest schema. Forward-only: a failure stops the server. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  await migrate(db, (migrator) => migrator.migrateToLatest());
}

/** Brings the database up to the named migration: for tests of a migration over older data. */
export async function migrateTo(db: Kysely<unknown>, name: string): Promise<void> {
  if (!(name in migrations)) throw new Error(`No migration named ${name}`);
  await migrate(db, (migrator) => migrator.migrateTo(name));
}

async function migrate(
  db: Kysely<unknown>,
  run: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await run(migrator);
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(
      `Database migration${failed ? ` ${failed.migrationName}` : ''} failed: ${(error as Error)?.message ?? 'unknown error'}`,
      { cause: error },
    );
  }
}
