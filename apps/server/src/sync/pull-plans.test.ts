import { CompiledQuery, type KyselyPlugin, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { rolesOfUser } from '../data/users';
import { ORG } from '../testing/fixture';
import { useTestDatabase } from '../testing/harness';
import { pullChanges } from './pull';

/*
 * A pull's cost must follow the rows it returns, not where its cursor stands or how large the
 * database is (issue 13): every read of a pull is served by an index. On PostgreSQL, with a
 * nämnd of 40 units and 4 000 decisions of 20 events each (a third waiting, with two filed
 * quarters), this runs a first sync and a pull of
 * changes for an utförare and a handläggare, asks the planner for the plan of every query they
 * ran, and fails on a sequential scan of the decisions, persons, events or filings.
 */

const onPostgresql = process.env.EVB_TEST_DB === 'postgresql';
const database = useTestDatabase({ reset: 'once' });

const UNITS = 40;
const DECISIONS = 4000;
const EVENTS_PER_DECISION = 20;
const WATCHED = new Set(['decision', 'person', 'case_event', 'rapport_filing']);

async function seedNamnd() {
  const db = database.db;
  await sql`
    insert into enhet (id, namnd_id, namn, typ)
    select 'e-x' || i, ${ORG.vard}, 'Enhet ' || i, 'utforarenhet' from generate_series(1, ${UNITS}) i`.execute(
    db,
  );
  await sql`
    insert into person (id, kommun_id, fornamn, efternamn, personnummer, identitet, kon, fodelsedatum, ivo_id, seq)
    select 'px' || i, ${ORG.kommun}, 'Anna', 'Berg ' || i, null, 'saknas', 'kvinna', date '1980-01-01',
           '19800101-x' || i, nextval('change_seq')
    from generate_series(1, ${DECISIONS}) i`.execute(db);
  // Every 40th decision is unit A's, every 40th (another) the first handläggare's.
  await sql`
    insert into decision (id, namnd_id, verksamhetsomrade, person_id, lagrum, insats, beslutsdatum,
                          handlaggare_id, enhet_id, ordered_at, seq)
    select 'dx' || i, ${ORG.vard}, 'LSS', 'px' || i, 'LSS', 'LSS_9_10',
           date '2021-01-01' + (i % 2000),
           case when i % ${UNITS} = 1 then 'handlaggare1' else 'handlaggare2' end,
           case when i % ${UNITS} = 0 then ${ORG.enhetA} else 'e-x' || (i % ${UNITS}) end,
           now(), nextval('change_seq')
    from generate_series(1, ${DECISIONS}) i`.execute(db);
  // Notes, and an execution for two decisions in three (a third wait).
  await sql`
    insert into case_event (id, decision_id, type, date, recorded_at, recorded_by, data, seq)
    select 'ex' || i || '-' || k, 'dx' || i,
           case when k = ${EVENTS_PER_DECISION} and i % 3 <> 0 then 'verkstalld' else 'anteckning' end,
           date '2021-01-01' + (i % 2000) + k, now(), 'handlaggare2',
           case when k = ${EVENTS_PER_DECISION} and i % 3 <> 0 then '{}'::jsonb
                else '{"text": "Anteckning"}'::jsonb end,
           nextval('change_seq')
    from generate_series(1, ${DECISIONS}) i, generate_series(1, ${EVENTS_PER_DECISION}) k`.execute(
    db,
  );
  // A filed line for two quarters of every waiting decision.
  await sql`
    insert into rapport_filing (id, decision_id, episode_start, quarter, report, status, filed_on,
                                filed_by, snapshot, seq)
    select 'fx' || i || '-' || q, 'dx' || i, date '2021-01-01' + (i % 2000), '2026-Q' || q,
           case when q = 1 then 'ny' else 'ater' end, 'ej_verkstalld', date '2026-05-01',
           'rapportorLss', '{}'::jsonb, nextval('change_seq')
    from generate_series(3, ${DECISIONS}, 3) i, generate_series(1, 2) q`.execute(db);
  await sql`analyze`.execute(db);
}

/** Runs `work` on a database handle that records every query it compiles. */
async function capturing(work: (db: typeof database.db) => Promise<unknown>) {
  const queries: CompiledQuery[] = [];
  const executor = database.db.getExecutor();
  const capture: KyselyPlugin = {
    transformQuery(args) {
      queries.push(executor.compileQuery(args.node, args.queryId));
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
  await work(database.db.withPlugin(capture));
  return queries;
}

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };

function scansOf(node: PlanNode): string[] {
  const own =
    node['Node Type'] === 'Seq Scan' && WATCHED.has(node['Relation Name'] ?? '')
      ? [node['Relation Name']!]
      : [];
  return [...own, ...(node.Plans ?? []).flatMap(scansOf)];
}

async function sequentialScans(queries: CompiledQuery[]) {
  const found: { sql: string; tables: string[] }[] = [];
  for (const query of queries) {
    if (!/^\s*select/i.test(query.sql)) continue;
    const explained = await database.db.executeQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
      CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]),
    );
    const tables = scansOf(explained.rows[0]!['QUERY PLAN'][0]!.Plan);
    if (tables.length > 0) found.push({ sql: query.sql, tables });
  }
  return found;
}

describe.skipIf(!onPostgresql)('the plans of a pull on PostgreSQL', () => {
  it('reads every row through an index, in a first sync and in a pull of changes', async () => {
    await seedNamnd();
    for (const userId of ['utforareA', 'handlaggare1']) {
      const row = await database.db
        .selectFrom('appUser')
        .select(['id', 'username', 'displayName'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      const user = { ...row, roles: await rolesOfUser(database.db, userId) };
      const options = { today: '2026-11-22', windowMonths: 13 };
      let cursor: string | null = null;
      const queries = await capturing(async (db) => {
        for (let page = 0; page < 100; page++) {
          const result = await pullChanges(db, user, { cursor, limit: 40 }, options);
          cursor = result.cursor;
          if (!result.more) break;
        }
        // A hundred new notes across the nämnd, then a pull of changes.
        await sql`
          insert into case_event (id, decision_id, type, date, recorded_at, recorded_by, data, seq)
          select 'new-' || ${userId} || '-' || i, 'dx' || (i * 37 % ${DECISIONS} + 1), 'anteckning',
                 date '2026-11-20', now(), 'handlaggare2', '{"text": "Ny"}'::jsonb, nextval('change_seq')
          from generate_series(1, 100) i`.execute(database.db);
        await pullChanges(db, user, { cursor, limit: 40 }, options);
      });
      expect(queries.length, userId).toBeGreaterThan(10);
      expect(await sequentialScans(queries), userId).toEqual([]);
    }
  });
});
