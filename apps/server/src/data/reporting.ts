import {
  addDays,
  type CaseEvent,
  daysBetween,
  EPISODE_EVENT_TYPES,
  firstOverdueDay,
  type IsoDate,
  latestStartOverdueBy,
} from '@evb/domain';
import { type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { DatabaseKind, Db } from '../db/database';
import type { CaseEventRow, DB, DecisionRow, RapportFilingRow } from '../db/schema';
import { visibleTo } from './decisions';
import { notVoided } from './voided';

/*
 * What the rapportör's views read: a nämnd's decisions with their persons, the events that shape
 * their waiting episodes, what has been filed with IVO and which messages are handled. Each is one
 * set-based query over every decision in view (never one per decision), so a nämnd with thousands
 * of open decisions answers in one round of reads.
 */

export type ReportingSelection = {
  scope: DecisionScope;
  /**
   * Only decisions that may have an episode overdue (waited more than three months, not yet
   * ended) on some day from `from` to `to`: a quarter's lines (its first and last day), the
   * statistics' quarters, the waits overdue today. Others are left unread (see `mayBeOverdue`).
   */
  overdueDuring?: { from: IsoDate; to: IsoDate };
};

/**
 * The fewest days from an episode's start to its first overdue day, over every start date: the
 * domain's firstOverdueDay (three calendar months, clamped to the month's end, and a day) over
 * four years, which hold every month-length pattern, leap or not.
 */
export const FEWEST_DAYS_TO_OVERDUE = (() => {
  let fewest = Number.POSITIVE_INFINITY;
  for (let start = '2001-01-01'; start < '2005-01-01'; start = addDays(start, 1)) {
    fewest = Math.min(fewest, daysBetween(start, firstOverdueDay(start)));
  }
  return fewest;
})();

/**
 * Whether a decision may have an episode overdue on a day from `from` to `to`, from what the
 * trigger of migrations 0003 and 0006 keeps on it. Each test only leaves out a decision that
 * cannot have one; the domain still decides every line from the events:
 * - every episode starts on or after beslutsdatum, so one overdue by `to` started by
 *   `latestStartOverdueBy(to)` (the index range);
 * - an episode before the last ended by `earlier_waits_ended_by`: if that is before `from`, none
 *   is overdue then;
 * - the last episode starts at `last_interruption`, or at beslutsdatum: it is overdue by `to` only
 *   if it started by `latestStartOverdueBy(to)`, and in the period only if it has not ended
 *   (`waiting_ended_by`, a day on or after its end) before `from` nor before it waited
 *   FEWEST_DAYS_TO_OVERDUE days.
 */
function mayBeOverdue(period: { from: IsoDate; to: IsoDate }) {
  const latestStart = latestStartOverdueBy(period.to);
  return (eb: ExpressionBuilder<DB, 'decision'>) => {
    const lastStart = eb.fn.coalesce('decision.lastInterruption', 'decision.beslutsdatum');
    return eb.and([
      eb('decision.beslutsdatum', '<=', latestStart),
      eb.or([
        eb('decision.earlierWaitsEndedBy', '>=', period.from),
        eb.and([
          eb(lastStart, '<=', latestStart),
          eb.or([
            eb('decision.waitingEndedBy', 'is', null),
            eb.and([
              eb('decision.waitingEndedBy', '>=', period.from),
              eb(
                'decision.waitingEndedBy',
                '>=',
                sql<string>`${lastStart} + ${sql.lit(FEWEST_DAYS_TO_OVERDUE)}`,
              ),
            ]),
          ]),
        ]),
      ]),
    ]);
  };
}

/**
 * The episode event types as literals, not parameters, so that PostgreSQL can use the partial
 * index `case_event_episode` whatever plan it makes.
 */
const episodeEventTypes = sql<boolean>`${sql.ref('caseEvent.type')} in (${sql.join(
  EPISODE_EVENT_TYPES.map((t) => sql.lit(t)),
)})`;

/** The condition on `decision` that picks the selected decisions. */
export function selected(selection: ReportingSelection) {
  return (eb: ExpressionBuilder<DB, 'decision'>) => {
    const visible = visibleTo(selection.scope)(eb);
    return selection.overdueDuring
      ? eb.and([visible, mayBeOverdue(selection.overdueDuring)(eb)])
      : visible;
  };
}

/**
 * Rows as one JSON document of arrays, one array per row: a nämnd has thousands of rows in view,
 * and receiving them one by one (each parsed by the driver and renamed by the camel-case plugin)
 * took Node twice the CPU time of one native JSON.parse of the same rows.
 */
function rowsAsJson(values: RawBuilder<unknown>[]) {
  return sql<string>`coalesce(json_agg(json_build_array(${sql.join(values)})), '[]')::text`;
}

/** What the domain needs of a decision, in the order the reads return it. */
const DECISION_COLUMNS = [
  'id',
  'namndId',
  'verksamhetsomrade',
  'lagrum',
  'insats',
  'beslutsdatum',
  'forhandsbesked',
  'ersatterBeslutId',
] as const;

/** What the reads below take of each selected decision, as the table expression `inView`. */
const IN_VIEW_COLUMNS = [
  ...DECISION_COLUMNS,
  'personId',
  'lastInterruption',
  'waitingEndedBy',
] as const;
type InViewDb = DB & { inView: Pick<DecisionRow, (typeof IN_VIEW_COLUMNS)[number]> };

/**
 * The selected decisions as the common table expression `inView`. Materialized when several reads
 * share it in one statement, so the selection is made once; otherwise PostgreSQL plans it into
 * the read.
 */
function withInView(db: Db, selection: ReportingSelection, shared = false) {
  return db.with(
    (cte) => (shared ? cte('inView').materialized() : cte('inView')),
    (qc) =>
      qc
        .selectFrom('decision')
        .select(IN_VIEW_COLUMNS.map((column) => `decision.${column}` as const))
        .where(selected(selection)),
  );
}

/** The reporting read of one decision, with the person it concerns. */
export type ReportingDecision = Pick<DecisionRow, (typeof DECISION_COLUMNS)[number]> & {
  personFornamn: string;
  personEfternamn: string;
  personIvoId: string;
  personSkyddadIdentitet: boolean;
};

/** The decisions in view with their persons, as one JSON document (see rowsAsJson). */
function decisionsJson(eb: ExpressionBuilder<InViewDb, never>) {
  return eb
    .selectFrom('inView')
    .innerJoin('person', 'person.id', 'inView.personId')
    .select(
      rowsAsJson(
        [
          ...DECISION_COLUMNS.map((column) => `inView.${column}`),
          'person.fornamn',
          'person.efternamn',
          'person.ivoId',
          'person.skyddadIdentitet',
        ].map((column) => sql.ref(column)),
      ).as('rows'),
    );
}

function parseDecisions(json: string): ReportingDecision[] {
  // DECISION_COLUMNS, then the person's, as decisionsJson lists them.
  type Row = [
    string,
    string,
    string,
    DecisionRow['lagrum'],
    string,
    string,
    boolean,
    string | null,
    string,
    string,
    string,
    boolean,
  ];
  return (JSON.parse(json) as Row[]).map(
    ([
      id,
      namndId,
      verksamhetsomrade,
      lagrum,
      insats,
      beslutsdatum,
      forhandsbesked,
      ersatterBeslutId,
      personFornamn,
      personEfternamn,
      personIvoId,
      personSkyddadIdentitet,
    ]) => ({
      id,
      namndId,
      verksamhetsomrade,
      lagrum,
      insats,
      beslutsdatum,
      forhandsbesked,
      ersatterBeslutId,
      personFornamn,
      personEfternamn,
      personIvoId,
      personSkyddadIdentitet,
    }),
  );
}

/**
 * The selected decisions, with what the domain needs of each and the person it concerns.
 */
export async function reportingDecisions(
  db: Db,
  selection: ReportingSelection,
): Promise<ReportingDecision[]> {
  const { rows } = await withInView(db, selection)
    .selectNoFrom((eb) => [decisionsJson(eb).as('rows')])
    .executeTakeFirstOrThrow();
  return parseDecisions(rows ?? '[]');
}

/** An episode event as the reporting views read it. */
export type ReportingEvent = Pick<CaseEventRow, 'id' | 'decisionId' | 'type' | 'date'> & {
  /** As the domain writes it: `Date.toISOString`. */
  recordedAt: string;
  data: Record<string, unknown>;
};

type EpisodeEventRow = [
  id: string,
  decisionId: string,
  type: CaseEventRow['type'],
  date: string,
  recordedAt: string,
  data: Record<string, unknown>,
];

/** The episode events of the decisions in view, as one JSON document (see rowsAsJson). */
function episodeEventsJson(eb: ExpressionBuilder<InViewDb, never>) {
  return (
    eb
      .selectFrom('inView')
      .innerJoin('caseEvent', 'caseEvent.decisionId', 'inView.id')
      .select(
        rowsAsJson([
          sql.ref('caseEvent.id'),
          sql.ref('caseEvent.decisionId'),
          sql.ref('caseEvent.type'),
          sql.ref('caseEvent.date'),
          // Milliseconds truncated, as the driver's Date and toISOString do.
          sql`to_char(${sql.ref('caseEvent.recordedAt')} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
          sql.ref('caseEvent.data'),
        ]).as('rows'),
      )
      .where(episodeEventTypes)
      .where(notVoided())
      // A decision with no interruption and no end of waiting has no episode event at all (what
      // the trigger of migrations 0003 and 0006 keeps): its events need not be looked for. Two
      // in five of a quarter's decisions are such.
      .where((eb) =>
        eb.or([
          eb('inView.lastInterruption', 'is not', null),
          eb('inView.waitingEndedBy', 'is not', null),
        ]),
      )
  );
}

/** The episode events of every selected decision, as arrays (see rowsAsJson). */
async function episodeEventRows(db: Db, selection: ReportingSelection): Promise<EpisodeEventRow[]> {
  const { rows } = await withInView(db, selection)
    .selectNoFrom((eb) => [episodeEventsJson(eb).as('rows')])
    .executeTakeFirstOrThrow();
  return JSON.parse(rows ?? '[]') as EpisodeEventRow[];
}

/** The episode events of every selected decision. */
export async function reportingEpisodeEvents(
  db: Db,
  selection: ReportingSelection,
): Promise<ReportingEvent[]> {
  return (await episodeEventRows(db, selection)).map(
    ([id, decisionId, type, date, recordedAt, data]) => ({
      id,
      decisionId,
      type,
      date,
      recordedAt,
      data,
    }),
  );
}

/** The episode events as the domain reads them, by decision. */
function toTimelines(rows: EpisodeEventRow[]): Map<string, CaseEvent[]> {
  const timelines = new Map<string, CaseEvent[]>();
  for (const [id, decisionId, type, date, recordedAt, data] of rows) {
    const event = { ...data, id, decisionId, type, date, recordedAt } as CaseEvent;
    const timeline = timelines.get(decisionId);
    if (timeline) timeline.push(event);
    else timelines.set(decisionId, [event]);
  }
  return timelines;
}

/**
 * The episode events of every selected decision as the domain reads them, by decision: what
 * `reportingEpisodeEvents`, `reportingEventToDomain` and `byDecision` give, built in one pass.
 */
export async function reportingEpisodeTimelines(
  db: Db,
  selection: ReportingSelection,
): Promise<Map<string, CaseEvent[]>> {
  return toTimelines(await episodeEventRows(db, selection));
}

/**
 * A filing with IVO as the rapportör's views read it: which line (decision, episode, quarter), what
 * was filed, and how it came into evb (marked as filed, recorded afterwards, imported). Without
 * the frozen copy.
 */
export type ReportingFiling = Pick<
  RapportFilingRow,
  'decisionId' | 'episodeStart' | 'quarter' | 'report' | 'status' | 'filedOn' | 'recorded'
>;

type FilingJsonRow = [
  decisionId: string,
  episodeStart: string,
  quarter: string,
  report: ReportingFiling['report'],
  status: string,
  filedOn: string,
  recorded: ReportingFiling['recorded'],
];

/**
 * The filings of the decisions in view for the quarters `from` to `to` (`2026-Q2`, both
 * included; either left open), as one JSON document (see rowsAsJson).
 */
function filingsJson(range: { from?: string; to?: string }) {
  return (eb: ExpressionBuilder<InViewDb, never>) => {
    let query = eb
      .selectFrom('inView')
      .innerJoin('rapportFiling', 'rapportFiling.decisionId', 'inView.id')
      .select(
        rowsAsJson(
          [
            'rapportFiling.decisionId',
            'rapportFiling.episodeStart',
            'rapportFiling.quarter',
            'rapportFiling.report',
            'rapportFiling.status',
            'rapportFiling.filedOn',
            'rapportFiling.recorded',
          ].map((column) => sql.ref(column)),
        ).as('rows'),
      );
    if (range.from !== undefined) query = query.where('rapportFiling.quarter', '>=', range.from);
    if (range.to !== undefined) query = query.where('rapportFiling.quarter', '<=', range.to);
    return query;
  };
}

function parseFilings(json: string | null): ReportingFiling[] {
  return (JSON.parse(json ?? '[]') as FilingJsonRow[]).map(
    ([decisionId, episodeStart, quarter, report, status, filedOn, recorded]) => ({
      decisionId,
      episodeStart,
      quarter,
      report,
      status,
      filedOn,
      recorded,
    }),
  );
}

/** The decisions in view without their persons, as one JSON document (see rowsAsJson). */
function bareDecisionsJson(eb: ExpressionBuilder<InViewDb, never>) {
  return eb
    .selectFrom('inView')
    .select(rowsAsJson(DECISION_COLUMNS.map((column) => sql.ref(`inView.${column}`))).as('rows'));
}

/** A decision as bareDecisionsJson reads it: what the domain needs, without the person. */
export type BareReportingDecision = Pick<DecisionRow, (typeof DECISION_COLUMNS)[number]>;

function parseBareDecisions(json: string | null): BareReportingDecision[] {
  type Row = [
    string,
    string,
    string,
    DecisionRow['lagrum'],
    string,
    string,
    boolean,
    string | null,
  ];
  return (JSON.parse(json ?? '[]') as Row[]).map(
    ([
      id,
      namndId,
      verksamhetsomrade,
      lagrum,
      insats,
      beslutsdatum,
      forhandsbesked,
      ersatterBeslutId,
    ]) => ({
      id,
      namndId,
      verksamhetsomrade,
      lagrum,
      insats,
      beslutsdatum,
      forhandsbesked,
      ersatterBeslutId,
    }),
  );
}

type InViewRead = (
  eb: ExpressionBuilder<InViewDb, never>,
) => SelectQueryBuilder<InViewDb, keyof InViewDb, { rows: string }>;

/**
 * Several reads over the same selection, each answering one JSON document. On PostgreSQL they are
 * read side by side, each on a connection of its own, so that the server's cores share the work.
 * The embedded database answers one statement at a time, so there they are read in one statement
 * over one selection, made once (20 % faster there than one statement each; 20 % slower on
 * PostgreSQL, at 100 000 decisions).
 */
async function readInView<Name extends string>(
  db: Db,
  kind: DatabaseKind,
  selection: ReportingSelection,
  reads: Record<Name, InViewRead>,
): Promise<Record<Name, string | null>> {
  const names = Object.keys(reads) as Name[];
  if (kind === 'pglite') {
    return (await withInView(db, selection, true)
      .selectNoFrom((eb) => names.map((name) => reads[name](eb).as(name)))
      .executeTakeFirstOrThrow()) as Record<Name, string | null>;
  }
  const each = await Promise.all(
    names.map((name) =>
      withInView(db, selection)
        .selectNoFrom((eb) => [reads[name](eb).as('rows')])
        .executeTakeFirstOrThrow(),
    ),
  );
  return Object.fromEntries(names.map((name, i) => [name, each[i]!.rows])) as Record<
    Name,
    string | null
  >;
}

/**
 * What the quarter view reads of the decisions in view: the decisions with their persons, their
 * episode events by decision, their filings with IVO up to the quarter (`2026-Q2`; the earlier
 * ones decide the report type sent), and the keys of their handled messages (without who handled
 * them and when).
 */
export async function quarterReadings(
  db: Db,
  kind: DatabaseKind,
  selection: ReportingSelection,
  quarter: string,
) {
  const json = await readInView(db, kind, selection, {
    decisions: decisionsJson,
    events: episodeEventsJson,
    filings: filingsJson({ to: quarter }),
    handledKeys: (eb) =>
      eb
        .selectFrom('inView')
        .innerJoin('messageHandled', 'messageHandled.decisionId', 'inView.id')
        .select(
          sql<string>`coalesce(json_agg(${sql.ref('messageHandled.messageKey')}), '[]')::text`.as(
            'rows',
          ),
        ),
  });
  return {
    decisions: parseDecisions(json.decisions ?? '[]'),
    timelines: toTimelines(JSON.parse(json.events ?? '[]') as EpisodeEventRow[]),
    filings: parseFilings(json.filings),
    handledKeys: new Set(JSON.parse(json.handledKeys ?? '[]') as string[]),
  };
}

/**
 * What the notice of earlier periods reads: the decisions in view (without their persons), their
 * episode events by decision, and their filings from the quarter `from` (`2026-Q2`) on — a line of
 * an earlier quarter is settled by its own filing or by a later one of its episode.
 */
export async function earlierPeriodReadings(
  db: Db,
  kind: DatabaseKind,
  selection: ReportingSelection,
  from: string,
) {
  const json = await readInView(db, kind, selection, {
    decisions: bareDecisionsJson,
    events: episodeEventsJson,
    filings: filingsJson({ from }),
  });
  return {
    decisions: parseBareDecisions(json.decisions),
    timelines: toTimelines(JSON.parse(json.events ?? '[]') as EpisodeEventRow[]),
    filings: parseFilings(json.filings),
  };
}

/** The handled messages of the selected decisions, with who handled them. */
export async function handledMessages(db: Db, selection: ReportingSelection) {
  return db
    .selectFrom('messageHandled')
    .innerJoin('decision', 'decision.id', 'messageHandled.decisionId')
    .leftJoin('appUser', 'appUser.id', 'messageHandled.handledBy')
    .select([
      'messageHandled.messageKey',
      'messageHandled.decisionId',
      'messageHandled.handledAt',
      'messageHandled.handledBy',
      'appUser.displayName as handledByName',
    ])
    .where(selected(selection))
    .execute();
}

/**
 * Marks a message handled; a message handled before keeps its first record. True when this call
 * marked it.
 */
export async function markMessageHandled(
  db: Db,
  message: { messageKey: string; decisionId: string; handledBy: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('messageHandled')
    .values(message)
    .onConflict((oc) => oc.column('messageKey').doNothing())
    .returning('messageKey')
    .execute();
  return inserted.length > 0;
}

export async function findHandledMessage(db: Db, messageKey: string) {
  return db
    .selectFrom('messageHandled')
    .leftJoin('appUser', 'appUser.id', 'messageHandled.handledBy')
    .select([
      'messageHandled.messageKey',
      'messageHandled.decisionId',
      'messageHandled.handledAt',
      'messageHandled.handledBy',
      'appUser.displayName as handledByName',
    ])
    .where('messageHandled.messageKey', '=', messageKey)
    .executeTakeFirst();
}

/** Rows grouped by the decision they belong to. */
export function byDecision<T extends { decisionId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.decisionId);
    if (group) group.push(row);
    else groups.set(row.decisionId, [row]);
  }
  return groups;
}

/** The domain's view of an event read by `reportingEpisodeEvents`. */
export function reportingEventToDomain(row: ReportingEvent): CaseEvent {
  return {
    ...row.data,
    id: row.id,
    decisionId: row.decisionId,
    type: row.type,
    date: row.date,
    recordedAt: row.recordedAt,
  } as CaseEvent;
}
