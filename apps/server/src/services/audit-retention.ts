import { insertAudit } from '../data/audit';
import { planAuditPrune, pruneAuditLog } from '../data/audit-chain';
import type { Db } from '../db/database';
import { SYSTEM_ROLE } from './administrator';

/*
 * Pruning the audit log after its retention period (AUDIT_RETENTION_YEARS, default five years):
 * the `audit-prune` command. The pruning is itself audited, with counts only.
 */

/** The moment `years` whole years before `now`: rows older than this may be pruned. */
export function retentionCutoff(now: Date, years: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

export type AuditPruneRun = {
  cutoff: Date;
  /** Rows removed, or that would be on a dry run. */
  rows: number;
  /** The new anchor's seq (null when nothing went); on a dry run, what it would be. */
  upToSeq: number | null;
  dryRun: boolean;
};

export async function runAuditPrune(options: {
  db: Db;
  now: Date;
  retentionYears: number;
  dryRun: boolean;
}): Promise<AuditPruneRun> {
  const { db, now, retentionYears, dryRun } = options;
  const cutoff = retentionCutoff(now, retentionYears);
  if (dryRun) {
    const plan = await planAuditPrune(db, cutoff);
    return { cutoff, ...plan, dryRun };
  }
  return db.transaction().execute(async (trx) => {
    const plan = await pruneAuditLog(trx, cutoff);
    await insertAudit(trx, {
      userId: null,
      role: SYSTEM_ROLE,
      action: 'granskningslogg_gallrad',
      details: {
        // One word each: the server reads JSON keys in camelCase.
        rader: plan.rows,
        anker: plan.upToSeq,
        fore: cutoff.toISOString(),
        ar: retentionYears,
      },
    });
    return { cutoff, ...plan, dryRun };
  });
}
