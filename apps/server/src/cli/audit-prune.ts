/*
 * `audit-prune [--dry-run]`: removes the audit rows older than AUDIT_RETENTION_YEARS (default 5)
 * from the start of the hash chain and records where the chain now starts (migration 0014); the
 * pruning is itself audited, with counts. `--dry-run` only counts. Meant to run daily (cron, a
 * systemd timer) as the database's owner: the application's role should have no DELETE on the
 * audit log (README). DATABASE_URL, else the embedded database in DATA_DIR (stop the server first
 * then). Prints counts only.
 */

import { runAuditPrune } from '../services/audit-retention';
import { commandConfig, commandOptions, openCommandDatabase } from './command-line';

const USAGE = `Användning: audit-prune [--dry-run]

Gallrar granskningsloggen: tar bort loggposter som är äldre än AUDIT_RETENTION_YEARS år
(standard 5), de äldsta först, och noterar var hashkedjan nu börjar så att audit-verify
fortfarande kan kontrollera resten. Gallringen loggas själv, med antal.

Kör som databasens ägare (inte programmets databasroll). Databasen är serverns: DATABASE_URL,
annars den inbäddade databasen i DATA_DIR (stoppa servern först).

  --dry-run   räkna bara hur många poster som skulle tas bort
  --help      visa den här texten`;

const values = commandOptions({ 'dry-run': { type: 'boolean' } }, USAGE);

const config = commandConfig();

const database = await openCommandDatabase(config);
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
