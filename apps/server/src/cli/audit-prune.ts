/*
 * `audit-prune [--dry-run]`: removes the audit rows older than AUDIT_RETENTION_YEARS (default 5)
 * from the start of the hash chain and records where the chain now starts (migration 0014); the
 * pruning is itself audited, with counts. `--dry-run` only counts. Meant to run daily (cron, a
 * systemd timer) as the database's owner: the application's role should have no DELETE on the
 * audit log (README). DATABASE_URL, else the embedded database in DATA_DIR (stop the server first
 * then). Prints counts only.
 */
import { parseArgs } from 'node:util';
import { createDatabase, describeDatabase } from '../db/database';
import { EnvError, parseEnv } from '../env';
import { runAuditPrune } from '../services/audit-retention';

const USAGE = `Användning: audit-prune [--dry-run]

Gallrar granskningsloggen: tar bort loggposter som är äldre än AUDIT_RETENTION_YEARS år
(standard 5), de äldsta först, och noterar var hashkedjan nu börjar så att audit-verify
fortfarande kan kontrollera resten. Gallringen loggas själv, med antal.

Kör som databasens ägare (inte programmets databasroll). Databasen är serverns: DATABASE_URL,
annars den inbäddade databasen i DATA_DIR (stoppa servern först).

  --dry-run   räkna bara hur många poster som skulle tas bort
  --help      visa den här texten`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

let values: { 'dry-run'?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: { 'dry-run': { type: 'boolean' }, help: { type: 'boolean' } },
  }));
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`, 2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

let config: ReturnType<typeof parseEnv>;
try {
  config = parseEnv(process.env);
} catch (error) {
  if (error instanceof EnvError) fail(error.message);
  throw error;
}

const database = await createDatabase(config.database).catch((error: Error) =>
  fail(`Kan inte öppna databasen (${describeDatabase(config.database)}): ${error.message}`),
);
try {
  const years = config.audit.retentionYears;
  const run = await runAuditPrune({
    db: database.db,
    now: new Date(),
    retentionYears: years,
    dryRun: values['dry-run'] === true,
  });
  const older = `äldre än ${years} år (före ${run.cutoff.toISOString()})`;
  console.log(
    run.dryRun
      ? `Skulle ta bort ${run.rows} loggposter ${older}. Inget är ändrat.`
      : `Tog bort ${run.rows} loggposter ${older}.`,
  );
} catch (error) {
  console.error(`Gallringen misslyckades: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
