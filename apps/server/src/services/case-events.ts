import {
  assertEventFits,
  type CaseEvent,
  type CaseEventType,
  type Decision,
  EPISODE_EVENT_TYPES,
  loggableEventTypes,
  mayVoid,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { decisionScope } from '../access/scope';
import { type AuditEntry, insertAudit, insertEventAudits } from '../data/audit';
import {
  type EventInsert,
  eventsOfDecision,
  findEventById,
  findEventsByIds,
  findVisibleDecision,
  findVisibleDecisions,
  insertEvent,
  insertEvents,
  lockChangeSequence,
  timelinesWithFieldsOf,
} from '../data/decisions';
import type { Db } from '../db/database';
import type { CaseEventRow, DecisionRow } from '../db/schema';
import type { AuthUser } from '../trpc/context';
import { notFound } from '../trpc/init';

/** The domain's view of a decision row. */
export function toDomainDecision(
  row: Pick<
    DecisionRow,
    'id' | 'lagrum' | 'insats' | 'beslutsdatum' | 'forhandsbesked' | 'ersatterBeslutId'
  >,
): Decision {
  return {
    id: row.id,
    lagrum: row.lagrum,
    insats: row.insats,
    beslutsdatum: row.beslutsdatum,
    forhandsbesked: row.forhandsbesked,
    ersatterBeslutId: row.ersatterBeslutId,
  };
}

/** The domain's view of a stored event: the common columns plus its type's own fields. */
export function toDomainEvent(row: CaseEventRow): CaseEvent {
  return {
    ...(row.data as object),
    id: row.id,
    decisionId: row.decisionId,
    type: row.type,
    date: row.date,
    recordedAt: row.recordedAt.toISOString(),
  } as CaseEvent;
}

const TYPE_LABELS: Record<CaseEventType, string> = {
  verkstalld: 'verkställighet',
  avbrott: 'avbrott',
  avslutad: 'avslut',
  erbjudande: 'erbjudanden',
  tackat_nej: 'tackat nej',
  delvis_verkstalld: 'delvis verkställighet',
  kompenserande_insats: 'kompenserande insatser',
  skal: 'skäl till dröjsmålet',
  uppfoljning: 'uppföljningssamtal',
  sammanfattning: 'sammanfattningar',
  anteckning: 'anteckningar',
  makulering: 'makuleringar',
};

export type AppendResult = { event: CaseEvent; seq: number; replayed: boolean };

/** What a stored event is compared by when its id comes again. */
type StoredEventKey = Pick<CaseEventRow, 'decisionId' | 'type' | 'date' | 'recordedBy'>;

/**
 * An event id that is already stored. Only whoever logged it, or someone who sees its decision,
 * hears of a stored event: an id alone reveals nothing. The one who logged it gets the answer even
 * after the decision was re-routed away from their unit, so a repeated push is still acknowledged.
 * The repeat must be the same event; an id reused for another is refused.
 */
function assertRepeatOf(
  stored: StoredEventKey,
  event: CaseEvent,
  user: AuthUser,
  seesDecision: boolean,
): void {
  if (stored.recordedBy !== user.id && !seesDecision) throw notFound();
  if (
    stored.decisionId !== event.decisionId ||
    stored.type !== event.type ||
    stored.date !== event.date
  ) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: 'Händelsens id används redan för en annan händelse.',
    });
  }
}

/** Who logged an event that a makulering names, and on which decision. */
type VoidTarget = Pick<CaseEventRow, 'decisionId' | 'recordedBy'>;

/**
 * The decision must be visible to the user (else 404) and the event type theirs to log. A
 * makulering is theirs when they logged the event it voids or are the decision's handläggare
 * (mayVoid); a target that is not the decision's is left to the domain to refuse (400).
 */
function assertMayLog(
  user: AuthUser,
  decision: DecisionRow | undefined,
  event: CaseEvent,
  target?: VoidTarget,
): asserts decision is DecisionRow {
  if (!decision) throw notFound();
  const { type } = event;
  if (type === 'makulering') {
    if (target && target.decisionId === decision.id && !mayVoid(user, decision, target)) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message:
          'Bara den som registrerade händelsen eller beslutets handläggare får makulera den.',
      });
    }
    return;
  }
  if (!loggableEventTypes(user, decision).has(type)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `Din roll får inte registrera ${TYPE_LABELS[type]} för det här beslutet.`,
    });
  }
}

/**
 * The stored events `assertEventFits` needs of a timeline: those that start or end an episode.
 * The other types never change a decision's state or episodes, and each was checked against the
 * decision when it was logged, so the domain answers the same without them; a batch then reads a
 * few events per decision instead of its whole history. case-events.test.ts holds the domain to
 * this: if it ever judges an event by other stored types, that test fails.
 */
export const TYPES_AN_EVENT_IS_CHECKED_AGAINST: readonly CaseEventType[] = EPISODE_EVENT_TYPES;

/** A new event as it will be stored: the domain's view, its row, and its audit entry. */
type PreparedEvent = { candidate: CaseEvent; row: EventInsert; audit: AuditEntry };

/**
 * Checks a new event against the decision's timeline (`events`: every event of the decision
 * stored or accepted before it) with the domain, and prepares what to write.
 */
function prepareNewEvent(
  user: AuthUser,
  decision: DecisionRow,
  events: readonly CaseEvent[],
  event: CaseEvent,
  today: string,
  now: Date,
): PreparedEvent {
  const recordedAt = event.recordedAt ? new Date(event.recordedAt) : now;
  const candidate = { ...event, recordedAt: recordedAt.toISOString() } as CaseEvent;
  assertEventFits(toDomainDecision(decision), events, candidate, today);
  const { id, decisionId, type, date, recordedAt: _recordedAt, ...data } = candidate;
  return {
    candidate,
    row: { id, decisionId, type, date, recordedAt, recordedBy: user.id, data },
    audit: {
      userId: user.id,
      role: user.roles.map((r) => r.role).join(','),
      action: `handelse_${type}`,
      subjectType: 'beslut',
      subjectId: decisionId,
      namndId: decision.namndId,
      details: {
        handelseId: id,
        datum: date,
        ...(candidate.type === 'makulering' ? { makulerarId: candidate.makulerarId } : {}),
      },
    },
  };
}

/**
 * Logs one event on a decision, in the caller's transaction: the decision must be visible to the
 * user, the event type theirs to log, and the event must fit the decision's timeline (the domain
 * decides). The event's id is the client's: logging the same event again answers the stored one
 * instead of adding a second, and an id reused for something else is refused.
 */
export async function appendCaseEvent(
  db: Db,
  user: AuthUser,
  event: CaseEvent,
  today: string,
  now: Date,
): Promise<AppendResult> {
  await lockChangeSequence(db);
  const scope = decisionScope(user);
  const existing = await findEventById(db, event.id);
  if (existing) {
    const seesDecision =
      existing.recordedBy === user.id ||
      Boolean(await findVisibleDecision(db, scope, existing.decisionId));
    assertRepeatOf(existing, event, user, seesDecision);
    return { event: toDomainEvent(existing), seq: existing.seq, replayed: true };
  }
  const decision = await findVisibleDecision(db, scope, event.decisionId);
  const target =
    event.type === 'makulering' ? await findEventById(db, event.makulerarId) : undefined;
  assertMayLog(user, decision, event, target);
  const events = (await eventsOfDecision(db, decision.id)).map(toDomainEvent);
  const prepared = prepareNewEvent(user, decision, events, event, today, now);
  const row = await insertEvent(db, prepared.row);
  await insertAudit(db, prepared.audit);
  return { event: toDomainEvent(row), seq: row.seq, replayed: false };
}

/**
 * Many events logged in one transaction, each judged exactly as appendCaseEvent judges it, with a
 * few set-based queries instead of several per event: `load` reads the stored events with the
 * batch's ids, the decisions the batch touches (as far as the user sees them) and the events of
 * their timelines that a new event is checked against; `add` checks one event in memory against
 * those and the batch's events accepted before it, in the order added; `write` inserts the
 * accepted events and their audit rows in one statement each, with seqs in the order added. Hold the change-sequence lock from `load` through
 * `write` (load takes it), so nothing read can change meanwhile.
 */
export class CaseEventBatch {
  private readonly accepted: PreparedEvent[] = [];

  private constructor(
    private readonly user: AuthUser,
    /** Every event id stored or accepted so far, with its row once stored. */
    private readonly known: Map<string, StoredEventKey>,
    private readonly rows: Map<string, CaseEventRow>,
    /** The decisions the batch touches that the user sees. */
    private readonly decisions: Map<string, DecisionRow>,
    /**
     * Of each visible decision that gets a new event: its stored events of the types an event is
     * checked against, and the batch's events accepted so far.
     */
    private readonly timelines: Map<string, CaseEvent[]>,
    /** The stored events the batch's makuleringar name: who logged them, on which decision. */
    private readonly voidTargets: Map<string, VoidTarget>,
  ) {}

  static async load(db: Db, user: AuthUser, events: readonly CaseEvent[]): Promise<CaseEventBatch> {
    await lockChangeSequence(db);
    const stored = await findEventsByIds(db, unique(events.map((e) => e.id)));
    const storedIds = new Set(stored.map((e) => e.id));
    const decisions = await findVisibleDecisions(
      db,
      decisionScope(user),
      unique([
        ...events.map((e) => e.decisionId),
        ...stored.filter((e) => e.recordedBy !== user.id).map((e) => e.decisionId),
      ]),
    );
    const fresh = events.filter((e) => !storedIds.has(e.id));
    const getsNew = new Set(fresh.map((e) => e.decisionId));
    // A makulering is judged against the whole timeline (what it voids may be of any type, and
    // may be voided already); so is every other new event of its decision, after it.
    const getsVoiding = new Set(
      fresh.filter((e) => e.type === 'makulering').map((e) => e.decisionId),
    );
    const checked = decisions.filter((d) => getsNew.has(d.id)).map((d) => d.id);
    const loaded = await timelinesWithFieldsOf(
      db,
      checked.filter((id) => !getsVoiding.has(id)),
      TYPES_AN_EVENT_IS_CHECKED_AGAINST,
    );
    for (const [id, timeline] of await timelinesWithFieldsOf(
      db,
      checked.filter((id) => getsVoiding.has(id)),
    )) {
      loaded.set(id, timeline);
    }
    const voidTargets = new Map<string, VoidTarget>(
      (
        await findEventsByIds(
          db,
          unique(fresh.flatMap((e) => (e.type === 'makulering' ? [e.makulerarId] : []))),
        )
      ).map((row) => [row.id, row]),
    );
    const timelines = new Map<string, CaseEvent[]>();
    for (const decision of decisions) {
      if (!getsNew.has(decision.id)) continue;
      const events = loaded.get(decision.id) ?? [];
      timelines.set(
        decision.id,
        events.map(
          ({ data, ...event }) => ({ ...data, ...event, decisionId: decision.id }) as CaseEvent,
        ),
      );
    }
    const rows = new Map(stored.map((row) => [row.id, row]));
    return new CaseEventBatch(
      user,
      new Map<string, StoredEventKey>(rows),
      rows,
      new Map(decisions.map((d) => [d.id, d])),
      timelines,
      voidTargets,
    );
  }

  /**
   * Checks the next event and accepts it (a new one, to write) or recognises it (a repeat of a
   * stored or accepted one); throws what appendCaseEvent throws for it. After `write`,
   * `storedEvent(event.id)` is the answer.
   */
  add(event: CaseEvent, today: string, now: Date): void {
    const known = this.known.get(event.id);
    if (known) {
      const seesDecision =
        known.recordedBy === this.user.id || this.decisions.has(known.decisionId);
      assertRepeatOf(known, event, this.user, seesDecision);
      return;
    }
    const decision = this.decisions.get(event.decisionId);
    const target =
      event.type === 'makulering'
        ? (this.voidTargets.get(event.makulerarId) ?? this.known.get(event.makulerarId))
        : undefined;
    assertMayLog(this.user, decision, event, target);
    const timeline = this.timelines.get(decision.id);
    if (!timeline) throw new Error(`The timeline of ${decision.id} was not loaded`);
    const prepared = prepareNewEvent(this.user, decision, timeline, event, today, now);
    timeline.push(prepared.candidate);
    this.known.set(event.id, prepared.row);
    this.accepted.push(prepared);
  }

  /** Writes the accepted events and their audit rows; call once, after the last `add`. */
  async write(db: Db): Promise<void> {
    const rows = await insertEvents(
      db,
      this.accepted.map((p) => p.row),
    );
    await insertEventAudits(
      db,
      this.accepted.map((p) => p.audit),
    );
    for (const row of rows) this.rows.set(row.id, row);
  }

  /** The event with this id as stored (an added event's answer, after `write`). */
  storedEvent(id: string): CaseEvent {
    const row = this.rows.get(id);
    if (!row) throw new Error(`The event ${id} was not stored`);
    return toDomainEvent(row);
  }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
