import { assertEventFits, type CaseEvent, type CaseEventType, type Decision } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { decisionScope } from '../access/scope';
import { insertAudit } from '../data/audit';
import {
  eventsOfDecision,
  findEventById,
  findVisibleDecision,
  insertEvent,
  lockChangeSequence,
} from '../data/decisions';
import type { Db } from '../db/database';
import type { CaseEventRow, DecisionRow, Role } from '../db/schema';
import type { AuthUser } from '../trpc/context';
import { notFound } from '../trpc/init';

/** The domain's view of a decision row. */
export function toDomainDecision(row: DecisionRow): Decision {
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

const UTFORARE_EVENTS: CaseEventType[] = [
  'erbjudande',
  'tackat_nej',
  'delvis_verkstalld',
  'kompenserande_insats',
  'avbrott',
  'verkstalld',
  'sammanfattning',
  'skal',
  'anteckning',
];

/** What each role may log on a decision it has in its care. */
const EVENTS_BY_ROLE: Record<Role, readonly CaseEventType[]> = {
  utforare: UTFORARE_EVENTS,
  matchare: UTFORARE_EVENTS,
  handlaggare: [...UTFORARE_EVENTS, 'uppfoljning', 'avslutad'],
  rapportor: ['skal', 'anteckning'],
  huvudrapportor: ['skal', 'anteckning'],
  admin: [],
};

/** The event types `user` may log on `decision`, over every role that reaches it. */
export function loggableEventTypes(user: AuthUser, decision: DecisionRow): Set<CaseEventType> {
  const types = new Set<CaseEventType>();
  for (const grant of user.roles) {
    const reaches =
      ((grant.role === 'utforare' || grant.role === 'matchare') &&
        grant.enhetId === decision.enhetId) ||
      (grant.role === 'handlaggare' && decision.handlaggareId === user.id) ||
      ((grant.role === 'rapportor' || grant.role === 'huvudrapportor') &&
        grant.namndId === decision.namndId &&
        (grant.verksamhetsomrade === null ||
          grant.verksamhetsomrade === decision.verksamhetsomrade));
    if (reaches) for (const type of EVENTS_BY_ROLE[grant.role]) types.add(type);
  }
  return types;
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
};

export type AppendResult = { event: CaseEvent; seq: number; replayed: boolean };

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
    // Only whoever logged it, or someone who sees its decision, hears of a stored event: an id
    // alone reveals nothing. The one who logged it gets the answer even after the decision was
    // re-routed away from their unit, so a repeated push is still acknowledged.
    if (
      existing.recordedBy !== user.id &&
      !(await findVisibleDecision(db, scope, existing.decisionId))
    ) {
      throw notFound();
    }
    const stored = toDomainEvent(existing);
    if (
      existing.decisionId !== event.decisionId ||
      existing.type !== event.type ||
      existing.date !== event.date
    ) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: 'Händelsens id används redan för en annan händelse.',
      });
    }
    return { event: stored, seq: existing.seq, replayed: true };
  }
  const decision = await findVisibleDecision(db, scope, event.decisionId);
  if (!decision) throw notFound();
  if (!loggableEventTypes(user, decision).has(event.type)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `Din roll får inte registrera ${TYPE_LABELS[event.type]} för det här beslutet.`,
    });
  }
  const events = (await eventsOfDecision(db, decision.id)).map(toDomainEvent);
  const recordedAt = event.recordedAt ? new Date(event.recordedAt) : now;
  const candidate = { ...event, recordedAt: recordedAt.toISOString() } as CaseEvent;
  assertEventFits(toDomainDecision(decision), events, candidate, today);
  const { id, decisionId, type, date, recordedAt: _recordedAt, ...data } = candidate;
  const row = await insertEvent(db, {
    id,
    decisionId,
    type,
    date,
    recordedAt,
    recordedBy: user.id,
    data,
  });
  await insertAudit(db, {
    userId: user.id,
    role: user.roles.map((r) => r.role).join(','),
    action: `handelse_${type}`,
    subjectType: 'beslut',
    subjectId: decisionId,
    namndId: decision.namndId,
    details: { handelseId: id, datum: date },
  });
  return { event: toDomainEvent(row), seq: row.seq, replayed: false };
}
