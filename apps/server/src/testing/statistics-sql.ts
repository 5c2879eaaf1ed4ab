import type { IsoDate } from '@evb/domain';
import { sql } from 'kysely';
import type { Db } from '../db/database';

/*
 * The statistics counted a second way, in plain SQL over decision, case_event and person, to check
 * the domain's quarterStatistics on seeded data without going through it: a decision waits on a
 * day when its last verkstalld/avbrott/avslutad event up to that day is none (waiting since the
 * decision) or an avbrott (waiting since the interruption); it counts when that start plus three
 * months (PostgreSQL's interval arithmetic, which clamps to the month's end like the domain) is
 * before the day. Sex from the third character after the dash of the IVO pseudo-id.
 */

export type SqlCountRow = {
  insats: string;
  kind: 'beslut' | 'avbrott';
  kon: 'kvinna' | 'man';
  vantetid: '3_6' | '6_12' | 'over_12';
  n: number;
};

export type SqlScope = { namndId: string; verksamhetsomrade: string | null };

function inScope(scope: SqlScope) {
  return scope.verksamhetsomrade
    ? sql`d.namnd_id = ${scope.namndId} and d.verksamhetsomrade = ${scope.verksamhetsomrade}`
    : sql`d.namnd_id = ${scope.namndId}`;
}

/** Decisions and interruptions waiting more than three months on `day`, grouped. */
export async function sqlWaitingCounts(
  db: Db,
  scope: SqlScope,
  day: IsoDate,
): Promise<SqlCountRow[]> {
  const { rows } = await sql<SqlCountRow>`
    with last_event as (
      select distinct on (e.decision_id) e.decision_id, e.type, e.date
      from case_event e
      where e.type in ('verkstalld', 'avbrott', 'avslutad') and e.date <= ${day}::date
      order by e.decision_id, e.date desc, e.recorded_at desc, e.id desc
    ),
    waiting as (
      select d.insats,
             case when le.type = 'avbrott' then 'avbrott' else 'beslut' end as kind,
             case when le.type = 'avbrott' then le.date else d.beslutsdatum end as start,
             case when substr(split_part(p.ivo_id, '-', 2), 3, 1)::int % 2 = 0
                  then 'kvinna' else 'man' end as kon
      from decision d
      join person p on p.id = d.person_id
      left join last_event le on le.decision_id = d.id
      where ${inScope(scope)}
        and d.beslutsdatum <= ${day}::date
        and (le.type is null or le.type = 'avbrott')
    )
    select insats, kind, kon,
           case when start + interval '6 months' >= ${day}::date then '3_6'
                when start + interval '12 months' >= ${day}::date then '6_12'
                else 'over_12' end as vantetid,
           count(*)::int as n
    from waiting
    where start + interval '3 months' < ${day}::date
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4
  `.execute(db);
  return rows;
}

/**
 * Episodes that ended (verkstalld or avslutad) between `from` and `to` after waiting more than
 * three months. The episode an end event closes starts at the previous episode event: none (the
 * decision), or an avbrott; an avslutad after a verkstalld closes no episode.
 */
export async function sqlEndedCounts(
  db: Db,
  scope: SqlScope,
  from: IsoDate,
  to: IsoDate,
): Promise<{ verkstalld: number; avslutad: number }> {
  const { rows } = await sql<{ type: 'verkstalld' | 'avslutad'; n: number }>`
    with ordered as (
      select e.decision_id, e.type, e.date,
             lag(e.type) over w as previous_type,
             lag(e.date) over w as previous_date
      from case_event e
      where e.type in ('verkstalld', 'avbrott', 'avslutad')
      window w as (partition by e.decision_id order by e.date, e.recorded_at, e.id)
    )
    select o.type, count(*)::int as n
    from ordered o
    join decision d on d.id = o.decision_id
    where ${inScope(scope)}
      and o.type in ('verkstalld', 'avslutad')
      and o.date between ${from}::date and ${to}::date
      and (o.previous_type is null or o.previous_type = 'avbrott')
      and o.date > (case when o.previous_type = 'avbrott' then o.previous_date
                         else d.beslutsdatum end) + interval '3 months'
    group by o.type
  `.execute(db);
  return {
    verkstalld: rows.find((r) => r.type === 'verkstalld')?.n ?? 0,
    avslutad: rows.find((r) => r.type === 'avslutad')?.n ?? 0,
  };
}
