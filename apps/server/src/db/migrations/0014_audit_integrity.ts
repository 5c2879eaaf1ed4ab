import { type Kysely, sql } from 'kysely';

/*
 * The audit log's integrity (issue 14): append-only, enforced by the database, with a hash chain
 * that shows any change, and pruning of rows past the retention period.
 *
 * - `audit_chain`: one link per audit row, in the order the rows were committed. A link's hash is
 *   SHA-256 over a canonical text of its position (`seq`), the previous link's hash and every
 *   column of the audit row (`audit_link_hash`). The chain is a table of its own, written once and
 *   never updated, so that the audit rows themselves are never updated either.
 * - The links are made by a trigger when the writing transaction commits (a deferred constraint
 *   trigger), so every writer is covered (the server, the seed, the commands) and concurrent
 *   writers chain in a strict order: the trigger takes a transaction-level advisory lock, which is
 *   held only from the commit's trigger until the commit ends, never while the transaction does
 *   its other work (no waiting on a long import, no lock cycle with the rows it locks). It reads
 *   the previous link afresh under that lock, which only a READ COMMITTED transaction can; any
 *   other is refused, and `seq` as the primary key makes a fork impossible in any case.
 * - `audit_chain_anchor`: where verification starts after pruning: the position and hash of the
 *   last pruned link. An anchor can only be added for links whose rows are all more than a year
 *   old, however the retention is configured.
 * - Triggers refuse UPDATE and TRUNCATE of all three tables and DELETE of anchors; an audit row or
 *   link may only be deleted once an anchor lies at or past it (pruning: the oldest rows only), so
 *   a DELETE in the middle of the chain is refused. The owner can still disable the triggers;
 *   that is what the chain is for (`audit-verify` finds the changed row). The application's
 *   database role should not own the tables and have no UPDATE/DELETE/TRUNCATE on them (README).
 *
 * Existing rows are chained in id order.
 */

/** The advisory lock that orders the chain (other locks of the server: 7331001, 7331002). */
export const AUDIT_CHAIN_LOCK = 7331014;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_chain (
      seq bigint primary key,
      audit_id bigint not null unique,
      prev_hash text not null,
      hash text not null
    )`.execute(db);
  await sql`
    create table audit_chain_anchor (
      seq bigint primary key,
      hash text not null,
      cutoff timestamptz not null,
      rows bigint not null,
      pruned_at timestamptz not null default now()
    )`.execute(db);

  // The canonical text is a JSON array (jsonb's text form: its keys in a fixed order, strings
  // escaped, so no two rows read alike) with the time in UTC to the microsecond, whatever the
  // session's time zone. The verifier calls the same function.
  await sql`
    create function audit_link_hash(p_seq bigint, p_prev text, a audit_log) returns text
    language sql stable
    as $$
      select encode(sha256(convert_to(jsonb_build_array(
        p_seq, p_prev, a.id,
        to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        a.user_id, a.role, a.action, a.subject_type, a.subject_id, a.namnd_id, a.details
      )::text, 'UTF8')), 'hex')
    $$`.execute(db);

  // Security definer: the application's role needs no privileges on the chain.
  await sql`
    create function audit_chain_link() returns trigger
    language plpgsql security definer set search_path from current
    as $$
    declare
      last_seq bigint;
      last_hash text;
    begin
      if current_setting('transaction_isolation') <> 'read committed' then
        raise exception 'audit_log rows must be written in a READ COMMITTED transaction (this one is %): the chain reads its last link at commit', current_setting('transaction_isolation');
      end if;
      perform pg_advisory_xact_lock(${sql.lit(AUDIT_CHAIN_LOCK)});
      select seq, hash into last_seq, last_hash from audit_chain order by seq desc limit 1;
      if last_seq is null then
        select seq, hash into last_seq, last_hash from audit_chain_anchor order by seq desc limit 1;
      end if;
      last_seq := coalesce(last_seq, 0);
      last_hash := coalesce(last_hash, repeat('0', 64));
      insert into audit_chain (seq, audit_id, prev_hash, hash)
        values (last_seq + 1, new.id, last_hash, audit_link_hash(last_seq + 1, last_hash, new));
      return null;
    end
    $$`.execute(db);

  await sql`
    create function audit_refuse() returns trigger
    language plpgsql
    as $$
    begin
      raise exception 'the audit log is append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);

  // Pruning deletes the rows first, then their links, both only at or before the latest anchor.
  await sql`
    create function audit_log_guard_delete() returns trigger
    language plpgsql security definer set search_path from current
    as $$
    begin
      if exists (
        select 1 from audit_chain c
        where c.audit_id = old.id
          and c.seq <= (select max(seq) from audit_chain_anchor)
      ) then
        return old;
      end if;
      raise exception 'the audit log is append-only: DELETE of audit row % refused (only rows pruned past an anchor may go)', old.id
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create function audit_chain_guard_delete() returns trigger
    language plpgsql security definer set search_path from current
    as $$
    begin
      if old.seq <= (select max(seq) from audit_chain_anchor) then
        return old;
      end if;
      raise exception 'the audit chain is append-only: DELETE of link % refused', old.seq
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);

  // An anchor moves forward, onto an existing link, whose rows (and all before it) are over a year
  // old: a floor under AUDIT_RETENTION_YEARS that no configuration can lower.
  await sql`
    create function audit_anchor_guard_insert() returns trigger
    language plpgsql security definer set search_path from current
    as $$
    declare
      link_hash text;
    begin
      if new.seq <= coalesce((select max(seq) from audit_chain_anchor), 0) then
        raise exception 'audit chain anchor % does not move past the latest anchor', new.seq;
      end if;
      select hash into link_hash from audit_chain where seq = new.seq;
      if link_hash is null or link_hash <> new.hash then
        raise exception 'audit chain anchor % is not the hash of that link', new.seq;
      end if;
      if exists (
        select 1 from audit_chain c left join audit_log a on a.id = c.audit_id
        where c.seq <= new.seq and (a.id is null or a.at >= now() - interval '1 year')
      ) then
        raise exception 'audit chain anchor %: rows less than a year old may not be pruned', new.seq;
      end if;
      return new;
    end
    $$`.execute(db);

  await sql`
    create constraint trigger audit_log_chain after insert on audit_log
    deferrable initially deferred
    for each row execute function audit_chain_link()`.execute(db);
  await sql`
    create trigger audit_log_no_update before update on audit_log
    for each row execute function audit_refuse()`.execute(db);
  await sql`
    create trigger audit_log_delete before delete on audit_log
    for each row execute function audit_log_guard_delete()`.execute(db);
  await sql`
    create trigger audit_chain_no_update before update on audit_chain
    for each row execute function audit_refuse()`.execute(db);
  await sql`
    create trigger audit_chain_delete before delete on audit_chain
    for each row execute function audit_chain_guard_delete()`.execute(db);
  await sql`
    create trigger audit_chain_anchor_insert before insert on audit_chain_anchor
    for each row execute function audit_anchor_guard_insert()`.execute(db);
  await sql`
    create trigger audit_chain_anchor_no_change before update or delete on audit_chain_anchor
    for each row execute function audit_refuse()`.execute(db);
  for (const table of ['audit_log', 'audit_chain', 'audit_chain_anchor']) {
    await sql`
      create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function audit_refuse()`.execute(db);
  }

  // The rows written before this migration, in id order.
  await sql`
    do $$
    declare
      r audit_log;
      n bigint := 0;
      prev text := repeat('0', 64);
      h text;
    begin
      for r in select * from audit_log order by id loop
        n := n + 1;
        h := audit_link_hash(n, prev, r);
        insert into audit_chain (seq, audit_id, prev_hash, hash) values (n, r.id, prev, h);
        prev := h;
      end loop;
    end
    $$`.execute(db);
}
