import { sql } from 'kysely';
import type { Db } from '../db/database';

/*
 * The audit log's hash chain (migration 0014): verifying it and pruning its oldest rows. The
 * links are made by the database's trigger; the hash is recomputed here by the same SQL function
 * (audit_link_hash), so the canonical text of a row is defined in one place.
 */

/** The hash the first link points at when nothing was ever pruned. */
export const GENESIS_HASH = '0'.repeat(64);

/** Links read per query while verifying: bounds memory on a log of millions of rows. */
const VERIFY_PAGE = 5000;

export type ChainBreak = {
  /** The audit row where the chain breaks (null: its link names a row that is gone). */
  auditId: number | null;
  /** The link's position (null: an audit row with no link at all). */
  seq: number | null;
  reason:
    | 'changed' // the row (or its link) differs from what was hashed
    | 'missing' // the link's audit row is gone
    | 'gap' // links are missing before this one
    | 'link' // the link does not point at the previous link's hash
    | 'unchained'; // an audit row that has no link (written with the trigger disabled)
};

export type ChainReport = {
  /** Links checked, from the anchor on (all of them when the chain is intact). */
  checked: number;
  /** Where verification started: the last pruned link (0 when nothing was pruned). */
  anchorSeq: number;
  /** The newest link, for comparing with an earlier run's (a cut-off tail shows only there). */
  head: { seq: number; hash: string } | null;
  /** The first break, or null when the chain is intact. */
  broken: ChainBreak | null;
};

/** The latest anchor: where the chain starts. */
async function latestAnchor(db: Db): Promise<{ seq: number; hash: string }> {
  const anchor = await db
    .selectFrom('auditChainAnchor')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return anchor ? { seq: Number(anchor.seq), hash: anchor.hash } : { seq: 0, hash: GENESIS_HASH };
}

/**
 * Walks the chain from the latest anchor in seq order, recomputing each link's hash from its audit
 * row, and then looks for audit rows without a link. Stops at the first break.
 */
export async function verifyAuditChain(db: Db): Promise<ChainReport> {
  const anchor = await latestAnchor(db);
  let expectedSeq = anchor.seq + 1;
  let expectedPrev = anchor.hash;
  let checked = 0;
  let head: ChainReport['head'] = null;
  const report = (broken: ChainBreak | null): ChainReport => ({
    checked,
    anchorSeq: anchor.seq,
    head,
    broken,
  });
  for (;;) {
    const { rows } = await sql<{
      seq: number;
      auditId: number;
      prevHash: string;
      hash: string;
      present: boolean;
      recomputed: string | null;
    }>`
      select c.seq, c.audit_id, c.prev_hash, c.hash, a.id is not null as present,
        case when a.id is not null then audit_link_hash(c.seq, c.prev_hash, a) end as recomputed
      from audit_chain c left join audit_log a on a.id = c.audit_id
      where c.seq >= ${expectedSeq}
      order by c.seq
      limit ${VERIFY_PAGE}`.execute(db);
    for (const row of rows) {
      // Numbers whatever the driver makes of bigint (the server's parse it; a bare pool does not).
      const link = { ...row, seq: Number(row.seq), auditId: Number(row.auditId) };
      const at = { auditId: link.auditId, seq: link.seq };
      if (link.seq !== expectedSeq) return report({ ...at, reason: 'gap' });
      if (!link.present) return report({ auditId: null, seq: link.seq, reason: 'missing' });
      if (link.prevHash !== expectedPrev) return report({ ...at, reason: 'link' });
      if (link.recomputed !== link.hash) return report({ ...at, reason: 'changed' });
      checked += 1;
      head = { seq: link.seq, hash: link.hash };
      expectedSeq = link.seq + 1;
      expectedPrev = link.hash;
    }
    if (rows.length < VERIFY_PAGE) break;
  }
  // Rows committed after the walk are linked in their own commit, so they are not counted here.
  const unchained = await db
    .selectFrom('auditLog')
    .select('auditLog.id')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('auditChain')
            .select('auditChain.seq')
            .whereRef('auditChain.auditId', '=', 'auditLog.id'),
        ),
      ),
    )
    .orderBy('auditLog.id')
    .limit(1)
    .executeTakeFirst();
  if (unchained) {
    return report({ auditId: Number(unchained.id), seq: null, reason: 'unchained' });
  }
  return report(null);
}

export type PrunePlan = {
  /** The last link that would go (the new anchor), or null when nothing would. */
  upToSeq: number | null;
  /** How many audit rows would go. */
  rows: number;
};

/**
 * What pruning at `cutoff` would remove: the longest run of links from the start of the chain
 * whose rows are all older than the cutoff. Rows are pruned from the start only, so the chain
 * stays whole from the new anchor; a row older than the cutoff that was committed after a younger
 * one waits for the next pruning.
 */
export async function planAuditPrune(db: Db, cutoff: Date): Promise<PrunePlan> {
  const anchor = await latestAnchor(db);
  const { rows } = await sql<{ upToSeq: number | null }>`
    select coalesce(
      (select min(c.seq) - 1 from audit_chain c left join audit_log a on a.id = c.audit_id
        where a.id is null or a.at >= ${cutoff}),
      (select max(seq) from audit_chain)
    ) as up_to_seq`.execute(db);
  const found = rows[0]?.upToSeq;
  const upToSeq = found === null || found === undefined ? null : Number(found);
  if (upToSeq === null || upToSeq <= anchor.seq) return { upToSeq: null, rows: 0 };
  const counted = await db
    .selectFrom('auditChain')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('seq', '<=', upToSeq)
    .executeTakeFirstOrThrow();
  return { upToSeq, rows: Number(counted.n) };
}

/**
 * Prunes what planAuditPrune finds, in the caller's transaction: records the anchor (the
 * database checks it is the hash of that link and that its rows are over a year old), then
 * deletes the rows and their links, which the database allows only at or before an anchor. Needs
 * the owner's privileges on PostgreSQL when the application's role has no DELETE (README).
 */
export async function pruneAuditLog(db: Db, cutoff: Date): Promise<PrunePlan> {
  const plan = await planAuditPrune(db, cutoff);
  if (plan.upToSeq === null) return plan;
  const upToSeq = plan.upToSeq;
  await db
    .insertInto('auditChainAnchor')
    .values((eb) => ({
      seq: upToSeq,
      hash: eb.selectFrom('auditChain').select('hash').where('seq', '=', upToSeq),
      cutoff,
      rows: plan.rows,
    }))
    .execute();
  await db
    .deleteFrom('auditLog')
    .where('id', 'in', (eb) =>
      eb.selectFrom('auditChain').select('auditId').where('seq', '<=', upToSeq),
    )
    .execute();
  await db.deleteFrom('auditChain').where('seq', '<=', upToSeq).execute();
  return plan;
}

/** The tables of the audit log and its chain, whose triggers keep them append-only (0014). */
export const AUDIT_TABLES = ['audit_log', 'audit_chain', 'audit_chain_anchor'] as const;

/**
 * Runs `work` with the audit log's triggers off, in the caller's transaction: for the seed's
 * --reset, which empties the whole database, the log included. Only the tables' owner may (the
 * application's role cannot), and the triggers are back on when the transaction commits.
 */
export async function withAuditTriggersDisabled<T>(db: Db, work: () => Promise<T>): Promise<T> {
  for (const table of AUDIT_TABLES) {
    await sql`alter table ${sql.table(table)} disable trigger user`.execute(db);
  }
  const result = await work();
  for (const table of AUDIT_TABLES) {
    await sql`alter table ${sql.table(table)} enable trigger user`.execute(db);
  }
  return result;
}
